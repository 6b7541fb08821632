"""Shaping replies: the screen for where a parent is, and what a survey step's outcome looks like.

Pure: engine views and outcomes in, ``Reply`` values out. No database, no Telegram.
"""

from __future__ import annotations

from bot import areas
from bot.evidence import theme_names
from bot.i18n.catalog import Translator
from bot.inspection import Inspection
from bot.replies import Reply
from bot.storage.parents import Response
from bot.survey import engine, length
from bot.survey.model import Questionnaire
from bot.telegram import render, theme_step
from bot.telegram import review as review_screen

Replies = list[Reply]


def area_name(code: str | None) -> str:
    area = areas.by_code(code) if code else None
    return area.name if area else (code or "")


def stale(t: Translator) -> Replies:
    n = render.notice(t, engine.Notice.STALE)
    return [Reply(n, toast=n)]


def first_or_current(t: Translator, q: Questionnaire, response: Response, inspection: Inspection) -> Replies:
    """The current screen; before the first answer, say first how long the survey takes."""
    view = engine.view(q, response.state, response.answers)
    if response.answers or response.status == "submitted" or not isinstance(view, engine.Ask) or view.number != 1:
        return [render_view(t, view, inspection)]
    measured = length.estimate(q)
    return [render.survey_length(t, measured.questions, measured.minutes), render_view(t, view, inspection)]


def render_view(t: Translator, view: engine.View, inspection: Inspection, focus: str | None = None) -> Reply:
    """``focus``: the question just answered or changed, so the review opens on the page that shows it."""
    if isinstance(view, engine.Ask):
        return render.ask(t, view)
    if isinstance(view, engine.Review):
        return review_screen.review(t, view, review_screen.page_of(view, focus))
    if isinstance(view, engine.ConfirmThemes):
        return theme_step.theme_step(t, view, tuple(theme_names()))
    return render.submitted(t, inspection, area_name(inspection.area_code))


def step_replies(t: Translator, q: Questionnaire, inspection: Inspection, before: engine.View | None,
                 outcome: engine.Outcome, response: Response, withdraw_code: str | None = None) -> Replies:
    """The replies to a survey step: its notice, what was recorded, then the next screen (or the same one
    redrawn in place after a toggle)."""
    replies: Replies = []
    if outcome.notice is not None:
        n = render.notice(t, outcome.notice)
        replies.append(Reply(n, toast=n))
    view = outcome.view
    same_screen = (
        before is not None and outcome.notice is None and type(before) is type(view)
        and (
            (isinstance(view, engine.Ask) and isinstance(before, engine.Ask) and before.question.id == view.question.id)
            or (isinstance(view, engine.ConfirmThemes) and isinstance(before, engine.ConfirmThemes))
        )
    )
    # Back on the review after changing an answer from it: open the page that shows that answer.
    focus = next((c.question for c in outcome.changes if isinstance(c, engine.SetAnswer | engine.ClearAnswer
                                                                    | engine.SetThemes)), None) \
        if response.state.from_review else None
    rendered = render_view(t, view, inspection, focus)
    if same_screen:
        # A toggle: redraw the same message in place.
        return [Reply(rendered.text, rendered.buttons, replace_pressed=True)]
    if isinstance(before, engine.Ask) and outcome.notice is None:
        for change in outcome.changes:
            if isinstance(change, engine.SetAnswer | engine.ClearAnswer) and change.question == before.question.id:
                value = change.value if isinstance(change, engine.SetAnswer) else None
                replies.append(render.answered(t, before.question, value))
                break
    if isinstance(view, engine.Submitted):
        return [*replies, render.submitted(t, inspection, area_name(inspection.area_code), withdraw_code)]
    return [*replies, rendered]
