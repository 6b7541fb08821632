"""The review screen, one phone screen per page: each answer under its question's short label, a Change button
naming that question, Previous/Next between pages, and Send on every page.

Pages are only a way of showing the engine's Review: the page number rides in the button (``rv:N``) and is
checked against the current review when pressed, so an old page button can never change anything.
"""

from __future__ import annotations

import math
from html import escape

from bot.callbacks import encode
from bot.i18n.catalog import Translator
from bot.replies import Button, Reply
from bot.survey import engine
from bot.survey.model import Question, QuestionType
from bot.telegram.render import answer_label

#: Answers per page: with their Change buttons, Previous/Next and Send, one phone screen (about 900 characters).
PAGE_SIZE = 6
#: Written answers are cut to this many characters on the review (the whole answer is kept).
TEXT_PREVIEW = 100


def pages(v: engine.Review) -> int:
    return max(1, math.ceil(len(v.items) / PAGE_SIZE))


def page_of(v: engine.Review, question_id: str | None) -> int:
    """The page (from 1) that shows ``question_id``; page 1 when it is not on the review."""
    for n, item in enumerate(v.items):
        if item.question.id == question_id:
            return n // PAGE_SIZE + 1
    return 1


def short_label(t: Translator, question: Question, number: int) -> str:
    """The question's short label, or "Question N" for a questionnaire that gives none."""
    if question.short:
        return t.gettext(question.short)
    return t.gettext("Question %(number)s", number=t.number(number))


def _preview(text: str) -> str:
    return text if len(text) <= TEXT_PREVIEW else text[: TEXT_PREVIEW - 1].rstrip() + "…"


def review(t: Translator, v: engine.Review, page: int = 1) -> Reply:
    _ = t.gettext
    total = pages(v)
    page = min(max(page, 1), total)
    first = (page - 1) * PAGE_SIZE
    heading = "<b>" + escape(_("Please check your answers")) + "</b>"
    if total > 1:
        heading += "\n" + escape(_("Page %(page)s of %(pages)s", page=t.number(page), pages=t.number(total)))
    lines = [heading]
    buttons: list[tuple[Button, ...]] = []
    for n, item in enumerate(v.items[first:first + PAGE_SIZE], start=first + 1):
        label = short_label(t, item.question, n)
        answer = answer_label(t, item.question, item.answer)
        if item.question.type is QuestionType.TEXT and item.answer is not None:
            answer = _preview(answer)
        lines.append(f"<b>{escape(label)}</b>\n→ {escape(answer)}")
        buttons.append((Button(_("Change: %(question)s", question=label), encode("edit", item.question.id)),))
    if v.missing:
        lines.append(escape(t.ngettext("%(count)s question still needs an answer.",
                                       "%(count)s questions still need an answer.", len(v.missing))))
    if v.submitted:
        lines.append(escape(_("You have sent these answers. You can still change them until the survey closes.")))
    else:
        lines.append(escape(_("Tap a button to change an answer, or send your answers.")))
    nav: list[Button] = []
    if page > 1:
        nav.append(Button("◀ " + _("Previous"), encode("rv", str(page - 1))))
    if page < total:
        nav.append(Button(_("Next") + " ▶", encode("rv", str(page + 1))))
    final = Button(_("Done") if v.submitted else _("Send my answers"), encode("submit"))
    return Reply("\n\n".join(lines), (*buttons, *((tuple(nav),) if nav else ()), (final,)))
