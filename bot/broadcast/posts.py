"""What forums post and what subscribed parents receive, rendered per language, split under Telegram's limit.

Pure: an inspection, translators and links in, HTML texts and URL buttons out. Every sentence is a whole
gettext message with named placeholders; dates are formatted by the translator of the language they sit in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from bot import areas
from bot.i18n.catalog import Translator, translator
from bot.i18n.languages import by_code
from bot.inspection import Inspection
from bot.replies import TELEGRAM_TEXT_LIMIT, Button, split_text

Translate = Callable[[str], Translator]
SECTION_RULE = "〰〰〰"


@dataclass(frozen=True)
class OutMessage:
    """One message to send: Telegram HTML and rows of URL buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


def area_name(code: str) -> str:
    area = areas.by_code(code)
    return area.name if area else code


def pack_indexed(sections: Sequence[str], limit: int = TELEGRAM_TEXT_LIMIT,
                 sep: str = "\n\n") -> list[tuple[str, tuple[int, ...]]]:
    """Like ``pack``, with the indices of the sections (or pieces of them) each message holds."""
    messages: list[tuple[str, tuple[int, ...]]] = []
    current, held = "", ()
    for index, section in enumerate(sections):
        pieces = split_text(section, limit) if len(section) > limit else [section]
        for piece in pieces:
            candidate = f"{current}{sep}{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
                held = held if index in held else (*held, index)
            else:
                if current:
                    messages.append((current, held))
                current, held = piece, (index,)
    if current:
        messages.append((current, held))
    return messages


def pack(sections: Sequence[str], limit: int = TELEGRAM_TEXT_LIMIT, sep: str = "\n\n") -> list[str]:
    """Join whole sections into as few messages as fit; only a section too long on its own is cut."""
    return [text for text, _ in pack_indexed(sections, limit, sep)]


def _dates(t: Translator, inspection: Inspection) -> list[str]:
    _ = t.gettext
    lines = [escape(_("The survey is open from %(opens)s to %(closes)s.",
                      opens=t.date(inspection.survey_opens), closes=t.date(inspection.survey_closes)))]
    if inspection.visit_starts and inspection.visit_ends:
        lines.append(escape(_("The inspectors visit from %(start)s to %(end)s.",
                              start=t.date(inspection.visit_starts), end=t.date(inspection.visit_ends))))
    return lines


def post_section(t: Translator, inspection: Inspection) -> str:
    """One language's part of a forum's multilingual post."""
    _ = t.gettext
    area = t.isolate(area_name(inspection.area_code))
    language = by_code(t.code)
    lines = [f"{SECTION_RULE} {escape(language.native_name if language else t.code)} {SECTION_RULE}",
             "<b>" + escape(_("Have your say: SEND services in %(area)s are being inspected", area=area)) + "</b>",
             escape(_("Inspectors from Ofsted and the CQC are checking how well %(area)s helps children and young "
                      "people with special educational needs and disabilities (SEND). They want to hear from "
                      "families.", area=area)),
             *_dates(t, inspection),
             escape(_("You can answer in your own language, one question at a time. Your answers are anonymous: "
                      "tap the button below to start."))]
    if inspection.official_survey_url:
        lines.append(escape(_("The inspectors also have their own survey: %(url)s",
                              url=t.isolate(inspection.official_survey_url))))
    return "\n".join(lines)


def share_button(t: Translator, link: str) -> Button:
    return Button(t.gettext("Share your experience"), url=link)


def forum_post(inspection: Inspection, languages: Sequence[str], link: str,
               translate: Translate = translator) -> list[OutMessage]:
    """The post for a forum's chats: every chosen language, as few messages as fit.

    Each message carries the buttons of the languages it holds, right below them, so "tap the button below"
    is true in every part however the post is split; all carry the same deep link. Untranslated languages
    would repeat the English label, so a label appears once per message.
    """
    translators = [translate(code) for code in languages]
    parts = pack_indexed([post_section(t, inspection) for t in translators])
    out = []
    for text, held in parts:
        buttons: list[tuple[Button, ...]] = []
        seen: set[str] = set()
        for index in held:
            button = share_button(translators[index], link)
            if button.text not in seen:
                seen.add(button.text)
                buttons.append((button,))
        if inspection.official_survey_url:
            buttons.append((Button(translators[held[0]].gettext("The inspectors' own survey"),
                                   url=inspection.official_survey_url),))
        out.append(OutMessage(text, tuple(buttons)))
    return out


def _unsubscribe_line(t: Translator, area: str) -> str:
    return "<i>" + escape(t.gettext("You get this message because you asked for news about %(area)s. To stop "
                                    "these messages, send /unsubscribe.", area=area)) + "</i>"


def parent_announcement(t: Translator, inspection: Inspection, link: str) -> OutMessage:
    """What a subscribed parent gets, privately and in their own language, when their area is announced."""
    _ = t.gettext
    area = t.isolate(area_name(inspection.area_code))
    lines = ["<b>" + escape(_("SEND services in %(area)s are being inspected", area=area)) + "</b>",
             escape(_("Inspectors from Ofsted and the CQC want to hear from families in %(area)s.", area=area)),
             *_dates(t, inspection),
             escape(_("Tap the button to start. You can stop at any time and carry on later.")),
             _unsubscribe_line(t, area)]
    return OutMessage("\n\n".join(lines), ((Button(_("Start the survey"), url=link),),))


def reminder(t: Translator, inspection: Inspection, link: str) -> OutMessage:
    """Before the survey closes, to subscribers who have not sent their answers."""
    _ = t.gettext
    area = t.isolate(area_name(inspection.area_code))
    lines = ["<b>" + escape(_("Reminder: the survey for %(area)s closes on %(date)s",
                              area=area, date=t.date(inspection.survey_closes))) + "</b>",
             escape(_("If you want the inspectors to hear about your family's experience, please answer before "
                      "then. If you have already started, you carry on where you stopped.")),
             _unsubscribe_line(t, area)]
    return OutMessage("\n\n".join(lines), ((Button(_("Answer the survey"), url=link),),))


def report_published(t: Translator, inspection: Inspection, report_url: str) -> OutMessage:
    _ = t.gettext
    area = t.isolate(area_name(inspection.area_code))
    lines = ["<b>" + escape(_("The inspection report for %(area)s is out", area=area)) + "</b>",
             escape(_("Ofsted and the CQC have published their report on SEND services in %(area)s. Thank you "
                      "to every family who took part.", area=area)),
             _unsubscribe_line(t, area)]
    return OutMessage("\n\n".join(lines), ((Button(_("Read the report"), url=report_url),),))
