"""What forums see: linking chats, choosing an inspection and languages, previews, the share kit and reach.

Pure rendering into ``Reply`` objects, in the forum member's language. The state of a half-made
announcement travels in its buttons (inspection id and a language bitmask), so nothing is kept between
presses and a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.broadcast.posts import area_name
from bot.broadcast.reach import Cell, Column, Reach
from bot.callbacks import encode
from bot.i18n.catalog import Translator
from bot.i18n.languages import LANGUAGES
from bot.inspection import Inspection
from bot.replies import Button, Reply, rows
from bot.storage.forum_chats import ForumChat

CHECK = "✅"
BOX = "⬜"
ANNOUNCE, KIT, REACH = "a", "k", "r"
MODES = (ANNOUNCE, KIT, REACH)
DEFAULT_MASK = 1  # English, always first in LANGUAGES


# ---------------------------------------------------------------- encoding state in buttons


def mask_of(codes: Sequence[str]) -> str:
    bits = 0
    for i, lang in enumerate(LANGUAGES):
        if lang.code in codes:
            bits |= 1 << i
    return format(bits, "x")


def codes_of(mask: str) -> list[str] | None:
    """The languages of a mask, in the shipped order; None for a malformed or empty mask."""
    try:
        bits = int(mask, 16)
    except ValueError:
        return None
    if bits <= 0 or bits >= 1 << len(LANGUAGES):
        return None
    return [lang.code for i, lang in enumerate(LANGUAGES) if bits & (1 << i)]


def chat_arg(chat_id: int) -> str:
    """Callback data allows no '-': group and channel ids are negative."""
    return f"n{-chat_id}" if chat_id < 0 else f"p{chat_id}"


def parse_chat_arg(arg: str) -> int | None:
    if len(arg) < 2 or arg[0] not in "np" or not arg[1:].isdigit():
        return None
    return -int(arg[1:]) if arg[0] == "n" else int(arg[1:])


def cell_text(t: Translator, cell: Cell) -> str:
    if cell.value is not None:
        return t.number(cell.value)
    if cell.hidden == "secondary":
        return t.gettext("not shown")
    return t.gettext("fewer than 10")


# ---------------------------------------------------------------- linking chats


def _chat_kind(t: Translator, chat_type: str) -> str:
    return t.gettext("channel") if chat_type == "channel" else t.gettext("group")


def link_request(t: Translator, chat_id: int, title: str, chat_type: str) -> Reply:
    _ = t.gettext
    text = escape(_("You added me to the %(kind)s %(title)s. Shall I post your announcements there?",
                    kind=_chat_kind(t, chat_type), title=t.isolate(title)))
    return Reply(text, rows([Button(_("Yes, link it"), encode("flink", chat_arg(chat_id), "yes")),
                             Button(_("No"), encode("flink", chat_arg(chat_id), "no"))], 2))


def linked(t: Translator, chat: ForumChat) -> Reply:
    return Reply(escape(t.gettext("Linked: %(title)s. Your announcements will be posted there. See all your chats "
                                  "with /chats.", title=t.isolate(chat.title))), replace_pressed=True)


def not_linked(t: Translator) -> Reply:
    return Reply(escape(t.gettext("Not linked. I will not post there.")), replace_pressed=True)


def chats_list(t: Translator, chats: Sequence[ForumChat]) -> Reply:
    _ = t.gettext
    if not chats:
        return Reply(escape(_("You have no linked channels or groups yet. Add me to your channel or group as an "
                              "admin, and I will ask you here to confirm.")))
    lines = ["<b>" + escape(_("Your linked channels and groups")) + "</b>"]
    lines += [f"• {escape(t.isolate(c.title))} ({escape(_chat_kind(t, c.chat_type))})" for c in chats]
    lines.append(escape(_("To unlink one, send /unlink.")))
    return Reply("\n".join(lines))


def unlink_menu(t: Translator, chats: Sequence[ForumChat]) -> Reply:
    if not chats:
        return chats_list(t, chats)
    buttons = [Button(c.title or str(c.chat_id), encode("funlink", chat_arg(c.chat_id))) for c in chats]
    buttons.append(Button(t.gettext("Cancel"), encode("fstop")))
    return Reply(escape(t.gettext("Which one shall I stop posting to?")), rows(buttons, 1))


def unlinked(t: Translator, title: str) -> Reply:
    return Reply(escape(t.gettext("Unlinked: %(title)s. I will not post there any more. You can also remove me "
                                  "from it.", title=t.isolate(title))), replace_pressed=True)


def stale(t: Translator) -> Reply:
    text = t.gettext("That button is from an earlier message. Please start again.")
    return Reply(text, toast=text)


def cancelled(t: Translator) -> Reply:
    return Reply(escape(t.gettext("Cancelled. Nothing was sent.")), replace_pressed=True)


# ---------------------------------------------------------------- choosing an inspection and languages


def _inspection_label(t: Translator, i: Inspection) -> str:
    return t.gettext("%(area)s, survey %(opens)s to %(closes)s", area=area_name(i.area_code),
                     opens=t.date(i.survey_opens, "medium"), closes=t.date(i.survey_closes, "medium"))


def choose_inspection(t: Translator, mode: str, inspections: Sequence[Inspection]) -> Reply:
    _ = t.gettext
    if not inspections:
        if mode == REACH:
            return Reply(escape(_("There is no inspection to show yet.")))
        return Reply(escape(_("There is no open or upcoming inspection to share at the moment. The operator adds "
                              "inspections when they are announced.")))
    buttons = [Button(_inspection_label(t, i), encode("fins", mode, i.id)) for i in inspections]
    buttons.append(Button(_("Cancel"), encode("fstop")))
    return Reply(escape(_("Which inspection?")), rows(buttons, 1))


def choose_languages(t: Translator, mode: str, inspection: Inspection, mask: str, *, redraw: bool) -> Reply:
    _ = t.gettext
    chosen = set(codes_of(mask) or [])
    bits = int(mask, 16)
    buttons = []
    for i, lang in enumerate(LANGUAGES):
        flipped = format(bits ^ (1 << i), "x")
        mark = CHECK if lang.code in chosen else BOX
        # Emptying the choice is not offered: the last chosen language's button keeps the mask as it is.
        buttons.append(Button(f"{mark} {lang.native_name}",
                              encode("flang", mode, inspection.id, flipped if int(flipped, 16) else mask)))
    go = _("Preview") if mode == ANNOUNCE else _("Make the share kit")
    controls = [Button(go, encode("fgo", mode, inspection.id, mask)), Button(_("Cancel"), encode("fstop"))]
    text = "\n\n".join((
        "<b>" + escape(_inspection_label(t, inspection)) + "</b>",
        escape(_("Which languages? Tap to choose, then tap %(button)s. Families see their language's part of the "
                 "post; choose the languages families near you speak.", button=go)),
    ))
    return Reply(text, (*rows(buttons, 2), tuple(controls)), replace_pressed=redraw)


def preview_intro(t: Translator) -> Reply:
    return Reply("<b>" + escape(t.gettext("Preview: this is what will be posted.")) + "</b>", replace_pressed=True)


def confirm_announce(t: Translator, inspection: Inspection, mask: str, chats: Sequence[ForumChat],
                     parents: Cell) -> Reply:
    _ = t.gettext
    lines = []
    if chats:
        lines.append(escape(_("It will be posted in: %(chats)s.", chats=", ".join(t.isolate(c.title) for c in chats))))
    else:
        lines.append(escape(_("You have no linked channels or groups, so nothing will be posted. Add me to your "
                              "channel or group as an admin to link it.")))
    lines.append(escape(_("Families in %(area)s who asked for news get it privately, in their own language, "
                          "unless they have already answered: %(count)s.",
                          area=t.isolate(area_name(inspection.area_code)), count=cell_text(t, parents))))
    lines.append(escape(_("Send it now?")))
    return Reply("\n\n".join(lines), rows([
        Button(_("Yes, send it"), encode("fpost", inspection.id, mask)),
        Button(_("Change languages"), encode("flang", ANNOUNCE, inspection.id, mask)),
        Button(_("Cancel"), encode("fstop")),
    ], 1))


def announced(t: Translator, chats: int, parents: int) -> Reply:
    _ = t.gettext
    where = t.ngettext("%(count)s channel or group", "%(count)s channels or groups", chats)
    if parents:
        text = _("Sending now: %(chats)s, and private messages to families who asked for news. Telegram limits how "
                 "fast bots send, so this can take a few minutes.", chats=where)
    else:
        text = _("Sending now: %(chats)s. No family in this area is waiting for news from us. Telegram limits how "
                 "fast bots send, so this can take a few minutes.", chats=where)
    return Reply(escape(text), replace_pressed=True)


def already_sent(t: Translator) -> Reply:
    return Reply(escape(t.gettext("This announcement has already been sent.")), replace_pressed=True)


# ---------------------------------------------------------------- reach


def _column_lines(t: Translator, column: Column) -> list[str]:
    lines = []
    for code, n in column.by_language.named:
        lang = next((x for x in LANGUAGES if x.code == code), None)
        lines.append(f"• {escape(lang.native_name if lang else code)}: {escape(t.number(n))}")
    if column.by_language.other is not None:
        label = t.gettext("Other languages") if column.by_language.named else t.gettext("All languages")
        lines.append(f"• {escape(label)}: {escape(cell_text(t, column.by_language.other))}")
    return lines


def reach_view(t: Translator, inspection: Inspection, r: Reach, *, own_link: bool) -> Reply:
    _ = t.gettext
    area = t.isolate(area_name(inspection.area_code))
    title = (_("Reach of your link for %(area)s", area=area) if own_link
             else _("Reach of every link for %(area)s", area=area))
    parts = ["<b>" + escape(title) + "</b>",
             escape(_("Families who started the survey: %(count)s", count=cell_text(t, r.started.total))) + "\n"
             + escape(_("Families who sent their answers: %(count)s", count=cell_text(t, r.sent.total)))]
    days = ["<b>" + escape(_("By day")) + "</b>"]
    for d in r.days:
        days.append("• " + escape(_("%(day)s: started %(started)s, sent %(sent)s", day=t.date(d, "medium"),
                                    started=cell_text(t, r.started.by_day[d]), sent=cell_text(t, r.sent.by_day[d]))))
    parts.append("\n".join(days))
    for heading, column in ((_("Started, by language"), r.started), (_("Sent, by language"), r.sent)):
        lines = _column_lines(t, column)
        if lines:  # a heading never leads to nothing (no family yet: the totals above already say so)
            parts.append("\n".join(["<b>" + escape(heading) + "</b>", *lines]))
    if own_link:
        parts.append(escape(_("All families in this inspection, from any link: started %(started)s, sent %(sent)s.",
                              started=cell_text(t, r.everyone_started), sent=cell_text(t, r.everyone_sent))))
    parts.append("<i>" + escape(_("Numbers under 10 are shown as \u201cfewer than 10\u201d, and a few others are not "
                                  "shown, so that no family can be recognised. Nobody's answers are ever shown "
                                  "here.")) + "</i>")
    return Reply("\n\n".join(parts))
