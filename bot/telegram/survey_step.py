"""The survey step: a press or a typed answer, through the pure engine, stored, and shown.

Typed words at a button question are matched to a choice or kept as a note; free text is scrubbed and
themed off the event loop before the engine sees it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.callbacks import Press
from bot.evidence import analyse_free_text, theme_names
from bot.i18n.catalog import Translator
from bot.inspection import Inspection, SurveyStatus
from bot.replies import Reply
from bot.storage import comments
from bot.storage import parents as repo
from bot.storage.parents import Parent, Response
from bot.survey import engine
from bot.survey.model import Questionnaire, QuestionType
from bot.survey.typed import match_typed
from bot.telegram import onboarding, render, render_notes, saving, screens
from bot.telegram import review as review_screen
from bot.telegram.deps import Deps

log = logging.getLogger(__name__)

Replies = list[Reply]

SURVEY_INPUTS: dict[str, Callable[[Press], engine.Input]] = {
    "pick": lambda p: engine.Choose(p.arg(0), p.arg(1)),
    "tog": lambda p: engine.Toggle(p.arg(0), p.arg(1)),
    "done": lambda p: engine.Done(p.arg(0)),
    "skip": lambda p: engine.Skip(p.arg(0)),
    "back": lambda p: engine.Back(),
    "edit": lambda p: engine.Edit(p.arg(0)),
    "review": lambda p: engine.ToReview(),
    "submit": lambda p: engine.Submit(),
    "th": lambda p: engine.ThemeToggle(p.arg(0), p.arg(1)),
    "thok": lambda p: engine.ThemesDone(p.arg(0)),
    "thno": lambda p: engine.NoThemes(p.arg(0)),
    "thmore": lambda p: engine.MoreThemes(p.arg(0)),
}


async def open_response(deps: Deps, parent: Parent, t: Translator) -> tuple[Inspection, Response] | Replies:
    """The response to work on, or the replies that explain why there is none (closed, not open, ...)."""
    if parent.consent_at is None or parent.area_code is None:
        return await onboarding.next_screen(deps, parent, t)
    inspection = await onboarding.inspection_of(deps, parent)
    if inspection is None or inspection.status(deps.today()) is not SurveyStatus.OPEN:
        return await onboarding.next_screen(deps, parent, t)
    return inspection, await onboarding.response_of(deps, parent, inspection)


async def survey_press(deps: Deps, parent: Parent, t: Translator, p: Press) -> Replies:
    opened = await open_response(deps, parent, t)
    if isinstance(opened, list):
        return screens.stale(t) + opened
    inspection, response = opened
    if p.kind == "nodel":
        if await comments.delete_note(deps.db, response.id, p.arg(0)):
            log.info("note deleted")
            return [render_notes.note_deleted(t)]
        return screens.stale(t) + await onboarding.next_screen(deps, parent, t)
    if p.kind == "child":
        if response.status != "submitted":
            return screens.stale(t) + await onboarding.next_screen(deps, parent, t)
        response = await onboarding.new_response(deps, parent, inspection)
        return screens.first_or_current(t, deps.questionnaire(response.questionnaire_id), response, inspection)
    if p.kind == "rv":
        return review_page(deps, t, response, inspection, p.arg(0))
    make = SURVEY_INPUTS.get(p.kind)
    if make is None or (p.kind == "th" and p.arg(1) not in theme_names()):
        return screens.stale(t) + await onboarding.next_screen(deps, parent, t)
    q = deps.questionnaire(response.questionnaire_id)
    before = engine.view(q, response.state, response.answers)
    outcome = engine.step(q, response.state, response.answers, make(p))
    code = await saving.apply_outcome(deps, parent, response, q, outcome)
    return screens.step_replies(t, q, inspection, before, outcome, response, code)


def review_page(deps: Deps, t: Translator, response: Response, inspection: Inspection, page: str) -> Replies:
    """Previous/Next on the review: redraw it in place; from anywhere else the button is stale."""
    q = deps.questionnaire(response.questionnaire_id)
    view = engine.view(q, response.state, response.answers)
    if not isinstance(view, engine.Review) or not page.isdigit() or not 1 <= int(page) <= review_screen.pages(view):
        return [*screens.stale(t), screens.render_view(t, view, inspection)]
    rendered = review_screen.review(t, view, int(page))
    return [Reply(rendered.text, rendered.buttons, replace_pressed=True)]


async def survey_text(deps: Deps, parent: Parent, t: Translator, message: str) -> Replies:
    opened = await open_response(deps, parent, t)
    if isinstance(opened, list):
        return opened
    inspection, response = opened
    q = deps.questionnaire(response.questionnaire_id)
    state = response.state
    target = state.confirming.question if state.confirming else state.current
    question = q.question(target) if target else None
    replies: Replies = []
    if question is not None and question.type is QuestionType.TEXT:
        if len(message.strip()) > question.max_length:
            outcome = engine.step(q, state, response.answers, engine.Text(question.id, message))
            return screens.step_replies(t, q, inspection, None, outcome, response)
        # About 25 ms of embedding: off the event loop, so the broadcast sender keeps its pace.
        analysed = await asyncio.to_thread(analyse_free_text, message, parent.language or "en")
        event: engine.Input = engine.Text(question.id, analysed.text, analysed.suggestions, analysed.removed)
        replies.extend(render.risk_replies(t, analysed.safeguarding, analysed.possible_risk))
        outcome = engine.step(q, state, response.answers, event)
        await saving.apply_outcome(deps, parent, response, q, outcome, analysed=analysed)
        return replies + screens.step_replies(t, q, inspection, None, outcome, response)
    if question is not None and state.confirming is None and state.current == question.id:
        return await typed_at_buttons(deps, parent, t, inspection, response, q, question, message)
    outcome = engine.step(q, state, response.answers, engine.Text(None, message))
    return screens.step_replies(t, q, inspection, None, outcome, response)


async def typed_at_buttons(deps: Deps, parent: Parent, t: Translator, inspection: Inspection, response: Response,
                           q: Questionnaire, question: engine.Question, message: str) -> Replies:
    """Typed words at a button question are never thrown away: a clear match answers, anything else is kept
    as a note on the question (scrubbed like free text), and the parent is told which happened."""
    state = response.state
    offered = question.offered(response.answers)
    choice = match_typed(message, [(c.id, (t.gettext(c.text), c.text, str(n)))
                                   for n, c in enumerate(offered, start=1)])
    if choice is not None and not (question.type is QuestionType.MULTI and choice in state.draft):
        event: engine.Input = engine.Toggle(question.id, choice) if question.type is QuestionType.MULTI \
            else engine.Choose(question.id, choice)
        outcome = engine.step(q, state, response.answers, event)
        await saving.apply_outcome(deps, parent, response, q, outcome)
        picked = question.choice(choice)
        told = [render_notes.typed_choice_taken(t, t.gettext(picked.text))] if picked and not outcome.notice else []
        return told + screens.step_replies(t, q, inspection, None, outcome, response)
    if choice is not None:  # already ticked: nothing to keep, just show the question again
        return [screens.render_view(t, engine.view(q, state, response.answers), inspection)]
    # About 25 ms of embedding: off the event loop, like any free-text answer.
    analysed = await asyncio.to_thread(analyse_free_text, message, parent.language or "en")
    await comments.add_note(deps.db, response.id, question.id, analysed.text, analysed.language,
                            analysed.scrubber_version)
    replies: Replies = []
    if analysed.safeguarding:
        await repo.set_flags(deps.db, response.id, question.id, ("safeguarding",))
    replies.extend(render.risk_replies(t, analysed.safeguarding, analysed.possible_risk))
    log.info("typed text kept as a note")
    return [*replies, render_notes.note_kept(t, question.id, analysed.text),
            screens.render_view(t, engine.view(q, state, response.answers), inspection)]
