"""A share kit for families who are not on Telegram: the link, a QR code, and texts ready to paste.

Most UK parents are not on Telegram, so a forum needs the same invitation for WhatsApp, a text message,
an email and a poster. Pure: texts and bytes out, nothing sent.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

import segno
from babel.dates import format_skeleton

from bot.broadcast.posts import SECTION_RULE, Translate, area_name, pack
from bot.broadcast.sms import SmsLength, for_sms, sms_length
from bot.i18n.catalog import Translator, translator
from bot.i18n.languages import by_code
from bot.inspection import Inspection


@dataclass(frozen=True)
class ShareTexts:
    """One language's ready-to-paste texts (plain text, no HTML)."""

    code: str
    language: str        # the language's own name
    whatsapp: str
    sms: str
    email_subject: str
    email_body: str
    sms_length: SmsLength | None = None


def short_date(t: Translator, day: date) -> str:
    """Day and month in the language's own order ("11 Dec", "12月11日"): a text message has little room."""
    return t.isolate(format_skeleton("MMMd", day, locale=t.babel_locale))


def share_texts(t: Translator, inspection: Inspection, link: str) -> ShareTexts:
    _ = t.gettext
    area = t.isolate(area_name(inspection.area_code))
    closes = t.date(inspection.survey_closes)
    no_telegram = (_("No Telegram? Use the inspectors' own survey: %(url)s", url=inspection.official_survey_url)
                   if inspection.official_survey_url else "")
    whatsapp = "\n\n".join(p for p in (
        "*" + _("SEND services in %(area)s are being inspected", area=area) + "*",
        _("Inspectors from Ofsted and the CQC want to hear from families of children with special educational "
          "needs and disabilities. The survey is open from %(opens)s to %(closes)s.",
          opens=t.date(inspection.survey_opens), closes=closes),
        _("Answer anonymously, in your own language, on Telegram: %(link)s", link=link),
        no_telegram,
    ) if p)
    # Short, to fit one text message where the language's letters allow it (see bot.broadcast.sms).
    sms = for_sms(_("%(area)s SEND inspection: have your say by %(date)s, anonymously and in your language: "
                    "%(link)s", area=area, date=short_date(t, inspection.survey_closes), link=link))
    subject = _("Have your say in the SEND inspection in %(area)s", area=area)
    body = "\n\n".join(p for p in (
        _("Hello,"),
        _("Ofsted and the CQC are inspecting how well %(area)s helps children and young people with special "
          "educational needs and disabilities (SEND). They want to hear from families like yours.", area=area),
        _("The survey is open from %(opens)s to %(closes)s.", opens=t.date(inspection.survey_opens), closes=closes),
        _("You can answer on Telegram, in your own language, one question at a time. Your answers are "
          "anonymous. Open this link on your phone: %(link)s", link=link),
        no_telegram,
        _("Please share this with other families."),
    ) if p)
    language = by_code(t.code)
    return ShareTexts(t.code, language.native_name if language else t.code, whatsapp, sms, subject, body,
                      sms_length(sms))


def qr_png(link: str, scale: int = 8) -> bytes:
    """A QR code of the link, big enough to print on a poster and scan from a metre away."""
    buf = io.BytesIO()
    segno.make(link, error="m", micro=False).save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


def length_note(forum_t: Translator, length: SmsLength) -> str:
    """What a forum needs before pasting a text message: how long it is and how many messages it costs."""
    if length.parts <= 1:
        return forum_t.gettext("Length in characters: %(length)s of %(limit)s. It fits in one text message.",
                               length=forum_t.number(length.length), limit=forum_t.number(length.limit))
    return forum_t.ngettext("Length in characters: %(length)s. It is sent as %(count)s text message.",
                            "Length in characters: %(length)s. It is sent as %(count)s text messages.",
                            length.parts, length=forum_t.number(length.length))


def _section_html(forum_t: Translator, texts: ShareTexts) -> str:
    """Labels in the forum's language (they are instructions); the texts in the families' language."""
    _ = forum_t.gettext
    subject = _("Subject: %(subject)s", subject=texts.email_subject)
    return "\n".join((
        f"{SECTION_RULE} {escape(texts.language)} {SECTION_RULE}",
        "<b>" + escape(_("WhatsApp")) + "</b>",
        f"<pre>{escape(texts.whatsapp)}</pre>",
        "<b>" + escape(_("Text message (SMS)")) + "</b>",
        f"<pre>{escape(texts.sms)}</pre>",
        "<i>" + escape(length_note(forum_t, sms_length(texts.sms))) + "</i>",
        "<b>" + escape(_("Email")) + "</b>",
        "<pre>" + escape(subject) + "\n\n" + escape(texts.email_body) + "</pre>",
    ))


@dataclass(frozen=True)
class ShareKit:
    messages: list[str]      # Telegram HTML, each under the limit, split between languages
    qr: bytes                # PNG
    document: bytes          # UTF-8 text with every language's texts
    filename: str
    link: str


def share_kit(inspection: Inspection, languages: Sequence[str], link: str, forum_t: Translator,
              translate: Translate = translator) -> ShareKit:
    """The kit in the chosen languages; the forum's own language explains how to use it."""
    _ = forum_t.gettext
    area = area_name(inspection.area_code)
    intro = "\n\n".join((
        "<b>" + escape(_("Share kit for %(area)s", area=forum_t.isolate(area))) + "</b>",
        escape(_("Your link: %(link)s", link=link)),
        escape(_("Copy a text below into WhatsApp, a text message or an email. The QR code and a file with all "
                 "the texts follow. Families who open the link come to the survey with your forum's mark, so "
                 "/reach can count them (never their answers).")),
    ))
    translators = [translate(code) for code in languages]
    texts = [share_texts(t, inspection, link) for t in translators]
    messages = pack([intro, *(_section_html(forum_t, s) for s in texts)])
    doc_lines = [_("Share kit for %(area)s", area=area), link, ""]
    labels = (_("WhatsApp"), _("Text message (SMS)"), _("Email"))
    for s in texts:
        subject = _("Subject: %(subject)s", subject=s.email_subject)
        doc_lines += [f"== {s.language} ==", "", f"[{labels[0]}]", s.whatsapp, "", f"[{labels[1]}]", s.sms,
                      length_note(forum_t, sms_length(s.sms)), "",
                      f"[{labels[2]}]", subject, "", s.email_body, "", ""]
    return ShareKit(messages, qr_png(link), "\n".join(doc_lines).encode("utf-8"),
                    f"parentvoice-{inspection.id}-share-kit.txt", link)
