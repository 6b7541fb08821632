"""The parent's conversation: one input in, replies out, every step one transaction.

This is the imperative shell around the pure core (engine, areas, scrubbing, themes). It knows the
database but not Telegram: the handlers turn updates into these calls and replies into API calls, so a
second channel can reuse it unchanged. Parents are only ever known by their pseudonym here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot import areas
from bot.callbacks import Press, decode
from bot.evidence import analyse_free_text, theme_names
from bot.i18n.catalog import Translator, translator, translator_for
from bot.i18n.languages import LANGUAGES, by_code, from_telegram
from bot.inspection import Inspection, SurveyStatus, london_today, parse_payload
from bot.privacy import withdrawal
from bot.privacy.notice import NoticeSettings
from bot.replies import Reply
from bot.storage import comments, roles
from bot.storage import inspections as inspections_repo
from bot.storage import parents as repo
from bot.storage.db import Database, now_iso
from bot.storage.parents import Parent, Response
from bot.survey import engine, length
from bot.survey.model import Questionnaire, QuestionType, load_questionnaire
from bot.survey.typed import match_typed
from bot.telegram import consent, links, render, render_notes, theme_step
from bot.telegram import review as review_screen
from bot.themes.parent_choice import PARENT_SAID_NONE
from bot.themes.rules import themes_from_answers

log = logging.getLogger(__name__)

Replies = list[Reply]


@dataclass
class Deps:
    """What a conversation step needs from the outside world."""

    db: Database
    secret: str
    bot_username: str = "ParentVoiceBot"
    today: Callable[[], date] = london_today
    notice: NoticeSettings = field(default_factory=NoticeSettings.from_env)
    _questionnaires: dict[str, Questionnaire] = field(default_factory=dict)

    def questionnaire(self, questionnaire_id: str) -> Questionnaire:
        if questionnaire_id not in self._questionnaires:
            self._questionnaires[questionnaire_id] = load_questionnaire(questionnaire_id)
        return self._questionnaires[questionnaire_id]


def _t(parent: Parent | None, telegram_language: str | None = None) -> Translator:
    """The parent's translator, by the one rule (``translator_for``)."""
    return translator_for(parent.language if parent else None, telegram_language)


def _area_name(code: str | None) -> str:
    area = areas.by_code(code) if code else None
    return area.name if area else (code or "")


# ---------------------------------------------------------------- entry points


async def start(deps: Deps, respondent: str, payload: str | None, telegram_language: str | None) -> Replies:
    """/start, with or without a deep-link payload naming the inspection and the sharing forum."""
    parent = await repo.get_parent(deps.db, respondent)
    sp = parse_payload(payload)
    inspection = await inspections_repo.get(deps.db, sp.inspection_id) if sp else None
    # The forum part is stored only when it names a known forum: anything else typed there is ignored.
    forum = sp.forum if sp and sp.forum and await roles.is_forum_code(deps.db, sp.forum) else None
    async with deps.db.transaction():
        if parent is None:
            parent = Parent(respondent)
        elif parent.stopped:
            parent = parent.with_(stopped=False)
        if inspection is not None and inspection.id != parent.inspection_id:
            parent = parent.with_(inspection_id=inspection.id, area_code=inspection.area_code, response_id=None,
                                  source=forum)
        if parent.language is None:
            await repo.save_parent(deps.db, parent)
            return [render.language_menu(translator_for(None, telegram_language), from_telegram(telegram_language))]
        await repo.save_parent(deps.db, parent)
        t = _t(parent)
        replies = [render.welcome_back(t)] if parent.consent_at else []
        return replies + await _continue(deps, parent, t)


async def text(deps: Deps, respondent: str, message: str, telegram_language: str | None) -> Replies:
    parent = await repo.get_parent(deps.db, respondent)
    if parent is None or parent.language is None:
        return await start(deps, respondent, None, telegram_language)
    t = _t(parent)
    async with deps.db.transaction():
        if parent.consent_at is None:
            return [consent.consent(t, deps.notice)]
        if parent.area_code is None:
            return await _typed_area(deps, parent, t, message)
        return await _survey_text(deps, parent, t, message)


async def press(deps: Deps, respondent: str, data: str | None, telegram_language: str | None) -> Replies:
    p = decode(data)
    parent = await repo.get_parent(deps.db, respondent)
    if parent is None:
        return await start(deps, respondent, None, telegram_language)
    t = _t(parent, telegram_language)
    async with deps.db.transaction():
        if p is None:
            return [Reply(render.notice(t, engine.Notice.STALE), toast=render.notice(t, engine.Notice.STALE)),
                    *await _continue(deps, parent, t)]
        return await _press(deps, parent, t, p)


async def command(deps: Deps, respondent: str, name: str, telegram_language: str | None) -> Replies:
    """Commands that win over the current step. Unknown commands get help, never an error."""
    parent = await repo.get_parent(deps.db, respondent)
    t = _t(parent, telegram_language)
    if name == "help":
        return [render.help_text(t)]
    if name == "language":
        current = parent.language if parent else None
        return [render.language_menu(t, from_telegram(telegram_language) if current is None else None, current)]
    if name == "pause":
        return [render.paused(t)]
    if name == "mydata":
        return [await _mydata(deps, parent, t)]
    if name == "delete":
        return [render.delete_confirm(t)]
    if name == "stop":
        if parent is not None:
            async with deps.db.transaction():
                await repo.save_parent(deps.db, parent.with_(stopped=True))
        return [render.stopped(t)]
    return [Reply(render.unknown_command(t))]


async def withdraw(deps: Deps, respondent: str, code: str, telegram_language: str | None) -> Replies:
    """/withdraw CODE: delete one submitted response, whoever sends the code."""
    parent = await repo.get_parent(deps.db, respondent)
    t = _t(parent, telegram_language)
    if not code.strip():
        return [render.withdraw_usage(t)]
    async with deps.db.transaction():
        deleted = await repo.withdraw(deps.db, withdrawal.code_hash(deps.secret, code))
    if deleted:
        log.info("response withdrawn with a code")
        return [render.withdrawn(t)]
    return [render.withdraw_unknown(t)]


async def resume(deps: Deps, respondent: str, telegram_language: str | None) -> Replies:
    """Show where the parent is, without changing anything (after a notice)."""
    parent = await repo.get_parent(deps.db, respondent)
    if parent is None:
        return await start(deps, respondent, None, telegram_language)
    t = _t(parent)
    async with deps.db.transaction():
        return await _continue(deps, parent, t)


# ---------------------------------------------------------------- where the parent is


async def _continue(deps: Deps, parent: Parent, t: Translator) -> Replies:
    """Whatever comes next for this parent, derived from what is filled in."""
    if parent.language is None:
        return [render.language_menu(t, None)]
    if parent.consent_at is None:
        return [consent.consent(t, deps.notice)]
    if parent.area_code is None:
        return [render.ask_area(t)]
    inspection = await _inspection(deps, parent)
    if inspection is None:
        return [render.no_inspection(t, _area_name(parent.area_code))]
    status = inspection.status(deps.today())
    if status is SurveyStatus.NOT_OPEN:
        return [render.not_open_yet(t, _area_name(inspection.area_code), inspection)]
    if status is SurveyStatus.CLOSED:
        return [render.survey_closed(t, _area_name(inspection.area_code), inspection)]
    response = await _response(deps, parent, inspection)
    return _first_or_current(t, deps.questionnaire(response.questionnaire_id), response, inspection)


def _first_or_current(t: Translator, q: Questionnaire, response: Response, inspection: Inspection) -> Replies:
    """The current screen; before the first answer, say first how long the survey takes."""
    view = engine.view(q, response.state, response.answers)
    if response.answers or response.status == "submitted" or not isinstance(view, engine.Ask) or view.number != 1:
        return [_render_view(t, view, inspection)]
    measured = length.estimate(q)
    return [render.survey_length(t, measured.questions, measured.minutes), _render_view(t, view, inspection)]


async def _inspection(deps: Deps, parent: Parent) -> Inspection | None:
    """The parent's inspection, with any link Telegram would refuse left out (links.for_parents)."""
    found = await inspections_repo.get(deps.db, parent.inspection_id) if parent.inspection_id else None
    if found is None and parent.area_code is not None:
        found = await inspections_repo.current_for_area(deps.db, parent.area_code, deps.today())
    return links.for_parents(found) if found is not None else None


async def _response(deps: Deps, parent: Parent, inspection: Inspection) -> Response:
    """The response being answered: the remembered one, else the latest for this inspection, else a new one."""
    if parent.response_id is not None:
        found = await repo.get_response(deps.db, parent.response_id, parent.respondent)
        if found is not None and found.inspection_id == inspection.id:
            return found
    existing = await repo.responses_of(deps.db, parent.respondent, inspection.id)
    if existing:
        response = existing[-1]
    else:
        response = await _new_response(deps, parent, inspection)
    await repo.save_parent(deps.db, parent.with_(inspection_id=inspection.id, response_id=response.id))
    return response


async def _new_response(deps: Deps, parent: Parent, inspection: Inspection) -> Response:
    q = deps.questionnaire(inspection.questionnaire_id)
    state = engine.start(q, {})
    response_id = await repo.create_response(deps.db, parent.respondent, inspection.id, q.id, q.version,
                                             parent.language or "en", state, parent.source)
    found = await repo.get_response(deps.db, response_id, parent.respondent)
    assert found is not None
    await repo.save_parent(deps.db, parent.with_(inspection_id=inspection.id, response_id=response_id))
    return found


def _render_view(t: Translator, view: engine.View, inspection: Inspection, focus: str | None = None) -> Reply:
    """``focus``: the question just answered or changed, so the review opens on the page that shows it."""
    if isinstance(view, engine.Ask):
        return render.ask(t, view)
    if isinstance(view, engine.Review):
        return review_screen.review(t, view, review_screen.page_of(view, focus))
    if isinstance(view, engine.ConfirmThemes):
        return theme_step.theme_step(t, view, tuple(theme_names()))
    return render.submitted(t, inspection, _area_name(inspection.area_code))


# ---------------------------------------------------------------- presses


async def _press(deps: Deps, parent: Parent, t: Translator, p: Press) -> Replies:
    if p.kind == "lang":
        return await _choose_language(deps, parent, p.arg(0))
    if p.kind == "consent":
        if parent.consent_at is not None or parent.language is None:
            return _stale(t) + await _continue(deps, parent, t)
        if p.arg(0) == "more":
            return consent.more_about_data(t, deps.notice)
        if p.arg(0) != "yes":
            return [render.no_consent(t)]
        parent = parent.with_(consent_at=now_iso())
        await repo.save_parent(deps.db, parent)
        return await _continue(deps, parent, t)
    if p.kind in ("area", "retype"):
        if parent.consent_at is None or parent.area_code is not None:
            return _stale(t) + await _continue(deps, parent, t)
        if p.kind == "retype":
            return [render.ask_area(t)]
        area = areas.by_code(p.arg(0))
        if area is None:
            return [*_stale(t), render.ask_area(t)]
        return await _set_area(deps, parent, t, area.code, area.name)
    if p.kind == "del":
        if p.arg(0) == "yes":
            await repo.delete_parent(deps.db, parent.respondent)
            log.info("parent deleted their data")
            return [render.deleted(t)]
        return [render.delete_cancelled(t)]
    if p.kind == "resume":
        return await _continue(deps, parent, t)
    return await _survey_press(deps, parent, t, p)


def _stale(t: Translator) -> Replies:
    n = render.notice(t, engine.Notice.STALE)
    return [Reply(n, toast=n)]


async def _choose_language(deps: Deps, parent: Parent, code: str) -> Replies:
    language = by_code(code)
    if language is None or language not in LANGUAGES:
        return _stale(_t(parent)) + await _continue(deps, parent, _t(parent))
    parent = parent.with_(language=language.code)
    await repo.save_parent(deps.db, parent)
    if parent.response_id is not None:
        await repo.set_response_language(deps.db, parent.response_id, language.code)
    t = translator(language.code)
    return await _continue(deps, parent, t)


async def _typed_area(deps: Deps, parent: Parent, t: Translator, message: str) -> Replies:
    area = areas.resolve(message)
    if area is not None:
        return await _set_area(deps, parent, t, area.code, area.name)
    candidates = areas.match(message, limit=3)
    if candidates:
        return [render.area_suggestions(t, [(a.code, a.name) for a, _score in candidates])]
    return [render.area_unknown(t)]


async def _set_area(deps: Deps, parent: Parent, t: Translator, code: str, name: str) -> Replies:
    parent = parent.with_(area_code=code, inspection_id=None, response_id=None)
    await repo.save_parent(deps.db, parent)
    return [render.area_chosen(t, name), *await _continue(deps, parent, t)]


_SURVEY_INPUTS: dict[str, Callable[[Press], engine.Input]] = {
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


async def _open_response(deps: Deps, parent: Parent, t: Translator) -> tuple[Inspection, Response] | Replies:
    """The response to work on, or the replies that explain why there is none (closed, not open, ...)."""
    if parent.consent_at is None or parent.area_code is None:
        return await _continue(deps, parent, t)
    inspection = await _inspection(deps, parent)
    if inspection is None or inspection.status(deps.today()) is not SurveyStatus.OPEN:
        return await _continue(deps, parent, t)
    return inspection, await _response(deps, parent, inspection)


async def _survey_press(deps: Deps, parent: Parent, t: Translator, p: Press) -> Replies:
    opened = await _open_response(deps, parent, t)
    if isinstance(opened, list):
        return _stale(t) + opened
    inspection, response = opened
    if p.kind == "nodel":
        if await comments.delete_note(deps.db, response.id, p.arg(0)):
            log.info("note deleted")
            return [render_notes.note_deleted(t)]
        return _stale(t) + await _continue(deps, parent, t)
    if p.kind == "child":
        if response.status != "submitted":
            return _stale(t) + await _continue(deps, parent, t)
        response = await _new_response(deps, parent, inspection)
        return _first_or_current(t, deps.questionnaire(response.questionnaire_id), response, inspection)
    if p.kind == "rv":
        return _review_page(deps, t, response, inspection, p.arg(0))
    make = _SURVEY_INPUTS.get(p.kind)
    if make is None or (p.kind == "th" and p.arg(1) not in theme_names()):
        return _stale(t) + await _continue(deps, parent, t)
    q = deps.questionnaire(response.questionnaire_id)
    before = engine.view(q, response.state, response.answers)
    outcome = engine.step(q, response.state, response.answers, make(p))
    code = await _apply(deps, parent, response, q, outcome)
    return _step_replies(t, q, inspection, before, outcome, response, code)


def _review_page(deps: Deps, t: Translator, response: Response, inspection: Inspection, page: str) -> Replies:
    """Previous/Next on the review: redraw it in place; from anywhere else the button is stale."""
    q = deps.questionnaire(response.questionnaire_id)
    view = engine.view(q, response.state, response.answers)
    if not isinstance(view, engine.Review) or not page.isdigit() or not 1 <= int(page) <= review_screen.pages(view):
        return [*_stale(t), _render_view(t, view, inspection)]
    rendered = review_screen.review(t, view, int(page))
    return [Reply(rendered.text, rendered.buttons, replace_pressed=True)]


async def _survey_text(deps: Deps, parent: Parent, t: Translator, message: str) -> Replies:
    opened = await _open_response(deps, parent, t)
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
            return _step_replies(t, q, inspection, None, outcome, response)
        # About 25 ms of embedding: off the event loop, so the broadcast sender keeps its pace.
        analysed = await asyncio.to_thread(analyse_free_text, message, parent.language or "en")
        event: engine.Input = engine.Text(question.id, analysed.text, analysed.suggestions, analysed.removed)
        if analysed.safeguarding:
            replies.append(render.safeguarding(t))
        outcome = engine.step(q, state, response.answers, event)
        await _apply(deps, parent, response, q, outcome, analysed=analysed)
        return replies + _step_replies(t, q, inspection, None, outcome, response)
    if question is not None and state.confirming is None and state.current == question.id:
        return await _typed_at_buttons(deps, parent, t, inspection, response, q, question, message)
    outcome = engine.step(q, state, response.answers, engine.Text(None, message))
    return _step_replies(t, q, inspection, None, outcome, response)


async def _typed_at_buttons(deps: Deps, parent: Parent, t: Translator, inspection: Inspection, response: Response,
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
        await _apply(deps, parent, response, q, outcome)
        picked = question.choice(choice)
        told = [render_notes.typed_choice_taken(t, t.gettext(picked.text))] if picked and not outcome.notice else []
        return told + _step_replies(t, q, inspection, None, outcome, response)
    if choice is not None:  # already ticked: nothing to keep, just show the question again
        return [_render_view(t, engine.view(q, state, response.answers), inspection)]
    # About 25 ms of embedding: off the event loop, like any free-text answer.
    analysed = await asyncio.to_thread(analyse_free_text, message, parent.language or "en")
    await comments.add_note(deps.db, response.id, question.id, analysed.text, analysed.language)
    replies: Replies = []
    if analysed.safeguarding:
        await repo.set_flags(deps.db, response.id, question.id, ("safeguarding",))
        replies.append(render.safeguarding(t))
    log.info("typed text kept as a note")
    return [*replies, render_notes.note_kept(t, question.id, analysed.text),
            _render_view(t, engine.view(q, state, response.answers), inspection)]


async def _apply(deps: Deps, parent: Parent, response: Response, q: Questionnaire, outcome: engine.Outcome,
                 analysed: object | None = None) -> str | None:
    """Store what a step changed, in the caller's transaction, before anything is sent.

    Returns a new withdrawal code when this step first submitted the response (shown once, stored hashed).
    """
    from bot.evidence import FreeText

    answers = dict(response.answers)
    submitted = False
    for change in outcome.changes:
        if isinstance(change, engine.SetAnswer):
            language = analysed.language if isinstance(analysed, FreeText) else None
            await repo.set_answer(deps.db, response.id, change.question, change.value, q.version, language)
            answers[change.question] = change.value
            if isinstance(analysed, FreeText):
                await repo.set_themes(deps.db, response.id, change.question, analysed.themes, "classifier")
                await repo.set_themes(deps.db, response.id, change.question, (), "parent")
                await repo.set_flags(deps.db, response.id, change.question, analysed.flags)
        elif isinstance(change, engine.ClearAnswer):
            await repo.clear_answer(deps.db, response.id, change.question)
            answers.pop(change.question, None)
        elif isinstance(change, engine.SetThemes):
            # Only what the parent ticked is theirs. The classifier's themes stay stored as "classifier";
            # a report counts them only for answers the parent did not code (bot.records).
            themes = (PARENT_SAID_NONE,) if change.said_none else change.themes
            await repo.set_themes(deps.db, response.id, change.question, themes, "parent")
        elif isinstance(change, engine.MarkSubmitted):
            submitted = True
    if outcome.changes:
        await repo.set_rule_themes(deps.db, response.id, themes_from_answers(answers))
    await repo.save_state(deps.db, response.id, outcome.state, language=parent.language or response.language,
                          submitted=submitted)
    log.info("survey step: %s", ",".join(f"{type(c).__name__}:{getattr(c, 'question', '')}" for c in outcome.changes)
             or "no change")
    if submitted and response.status != "submitted":
        log.info("response submitted")
        code = withdrawal.new_code()
        await repo.set_withdraw_hash(deps.db, response.id, withdrawal.code_hash(deps.secret, code))
        return code
    return None


def _step_replies(t: Translator, q: Questionnaire, inspection: Inspection, before: engine.View | None,
                  outcome: engine.Outcome, response: Response, withdraw_code: str | None = None) -> Replies:
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
    rendered = _render_view(t, view, inspection, focus)
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
        return [*replies, render.submitted(t, inspection, _area_name(inspection.area_code), withdraw_code)]
    return [*replies, rendered]


# ---------------------------------------------------------------- /mydata


async def _mydata(deps: Deps, parent: Parent | None, t: Translator) -> Reply:
    if parent is None:
        return render.mydata(t, {}, [])
    language = by_code(parent.language or "")
    summary: dict[str, object] = {
        "language": language.native_name if language else None,
        "area": _area_name(parent.area_code) if parent.area_code else None,
        "consent_at": t.date(datetime.fromisoformat(parent.consent_at).date()) if parent.consent_at else None,
    }
    rows: list[tuple[str, str, str]] = []
    for response in await repo.responses_of(deps.db, parent.respondent):
        q = deps.questionnaire(response.questionnaire_id)
        inspection = await inspections_repo.get(deps.db, response.inspection_id)
        area = _area_name(inspection.area_code if inspection else None)
        heading = t.gettext("Child %(number)s, survey for %(area)s", number=t.number(response.child),
                            area=t.isolate(area))
        notes = await comments.notes_of(deps.db, response.id)
        for question in q.questions:
            if question.id in response.answers:
                rows.append((heading, t.gettext(question.text),
                             render.answer_label(t, question, response.answers[question.id])))
            if question.id in notes:
                rows.append((heading, t.gettext(question.text), render_notes.note_line(t, notes[question.id])))
    return render.mydata(t, summary, rows)
