"""The survey engine: ``(questionnaire, state, answers, input) -> Outcome``.

Pure on purpose: it knows nothing of Telegram or SQL, so a crash, a restart or a second channel (web chat,
WhatsApp) sees exactly the same behaviour. The shell stores ``Outcome.changes`` and ``Outcome.state`` in one
transaction, then renders ``Outcome.view``.

This module holds the steps and their dispatch table; the values they exchange are in ``state.py``,
``inputs.py`` and ``outcome.py``, and skip logic in ``branching.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.survey.branching import hidden_clears, missing_required, progress, reopened
from bot.survey.inputs import (
    Back,
    Choose,
    Done,
    Edit,
    Input,
    MoreThemes,
    NoThemes,
    Skip,
    Submit,
    Text,
    ThemesDone,
    ThemeToggle,
    Toggle,
    ToReview,
)
from bot.survey.model import DONT_KNOW, Question, Questionnaire, QuestionType, Value
from bot.survey.outcome import (
    Ask,
    Change,
    ClearAnswer,
    ConfirmThemes,
    MarkSubmitted,
    Notice,
    Outcome,
    Review,
    ReviewItem,
    SetAnswer,
    SetThemes,
    Submitted,
    View,
)
from bot.survey.state import Confirming, SurveyState

# The engine's vocabulary lives in state.py, inputs.py and outcome.py, and skip logic in branching.py;
# callers use them through this module (``engine.Choose``, ``engine.Ask``...), so it re-exports them.
__all__ = [
    "Ask", "Back", "Change", "Choose", "ClearAnswer", "ConfirmThemes", "Confirming", "Done", "Edit", "Input",
    "MarkSubmitted", "MoreThemes", "NoThemes", "Notice", "Outcome", "Question", "Review", "ReviewItem",
    "SetAnswer", "SetThemes", "Skip", "Submit", "Submitted", "SurveyState", "Text", "ThemeToggle", "ThemesDone",
    "ToReview", "Toggle", "View", "progress", "start", "step", "view",
]

# ---------------------------------------------------------------- the engine


def start(q: Questionnaire, answers: Mapping[str, Value]) -> SurveyState:
    """A fresh state: the first visible question without an answer, or the review if all are answered."""
    for question in q.visible(answers):
        if question.id not in answers:
            return SurveyState(current=question.id)
    return SurveyState(current=None)


def view(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value]) -> View:
    """What to show for a state, with no change (resume, re-render after /language)."""
    if state.confirming is not None:
        c = state.confirming
        question = q.question(c.question)
        text = answers.get(c.question)
        if question is not None and isinstance(text, str):
            return ConfirmThemes(question, text, c.suggested, c.selected, c.removed, c.expanded)
    if state.submitted and state.current is None:
        return _review(q, answers, submitted=True)
    if state.current is None:
        return _review(q, answers, submitted=False)
    question = q.question(state.current)
    if question is None:
        return _review(q, answers, submitted=state.submitted)
    number, total = progress(q, answers, question.id)
    return Ask(
        question=question,
        number=number,
        total=total,
        draft=state.draft,
        answer=answers.get(question.id),
        can_back=number > 1 or state.from_review,
        can_skip=not question.required,
        choices=question.offered(answers),
    )


def step(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], event: Input) -> Outcome:
    """Apply one input. Never raises on bad input: anything odd becomes a notice and the current view."""
    handler = _HANDLERS.get(type(event))
    if handler is None:
        return _same(q, state, answers, Notice.STALE)
    return handler(q, state, answers, event)


# ---------------------------------------------------------------- handlers


def _same(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], notice: Notice | None = None) -> Outcome:
    return Outcome(state, view(q, state, answers), (), notice)


def _current(q: Questionnaire, state: SurveyState, question_id: str | None) -> Question | None:
    """The question an input names, if it is the one being asked (else the input is stale or forged)."""
    if state.confirming is not None or state.current is None or question_id != state.current:
        return None
    return q.question(question_id)


def _on_choose(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], e: Choose) -> Outcome:
    question = _current(q, state, e.question)
    if question is None or question.type not in (QuestionType.CHOICE, QuestionType.YESNO, QuestionType.SCALE):
        return _same(q, state, answers, Notice.STALE)
    value: Value = e.choice
    if question.type is QuestionType.SCALE and e.choice != DONT_KNOW:
        value = int(e.choice) if e.choice.isdigit() else e.choice
    if not question.valid_value(value) or not question.fits(value, answers):
        return _same(q, state, answers, Notice.STALE)
    return _answer(q, state, answers, question, value)


def _on_toggle(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], e: Toggle) -> Outcome:
    question = _current(q, state, e.question)
    if question is None or question.type is not QuestionType.MULTI:
        return _same(q, state, answers, Notice.STALE)
    choice = question.choice(e.choice)
    if choice is None or not choice.offered(answers):
        return _same(q, state, answers, Notice.STALE)
    draft = list(state.draft)
    if choice.id in draft:
        draft.remove(choice.id)
    elif choice.exclusive:
        draft = [choice.id]
    else:
        exclusive = {c.id for c in question.choices if c.exclusive}
        draft = [d for d in draft if d not in exclusive] + [choice.id]
    # Keep the questionnaire's order so the stored list is stable whatever the tapping order.
    ordered = tuple(c.id for c in question.choices if c.id in draft)
    new = replace(state, draft=ordered)
    return Outcome(new, view(q, new, answers))


def _on_done(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], e: Done) -> Outcome:
    question = _current(q, state, e.question)
    if question is None or question.type is not QuestionType.MULTI:
        return _same(q, state, answers, Notice.STALE)
    if not state.draft:
        return _same(q, state, answers, Notice.EMPTY)
    return _answer(q, state, answers, question, list(state.draft))


def _on_text(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], e: Text) -> Outcome:
    # Typing while the theme check is shown means the parent is writing that answer again.
    target = state.confirming.question if state.confirming is not None else state.current
    question = q.question(target) if target is not None else None
    if question is None or (e.question is not None and e.question != target):
        return _same(q, state, answers, Notice.USE_BUTTONS)
    if question.type is not QuestionType.TEXT:
        return _same(q, state, answers, Notice.USE_BUTTONS)
    text = e.text.strip()
    if not text:  # nothing left once invisible characters were removed: ask again, store nothing
        return _same(q, state, answers, Notice.REWRITE)
    if len(text) > question.max_length:
        return _same(q, state, answers, Notice.TOO_LONG)
    base = replace(state, current=question.id, confirming=None, draft=())
    if e.suggested_themes or e.removed:
        # Nothing is ticked for the parent: the suggestions are only offered (docs/themes.md, "The theme step").
        confirming = Confirming(question.id, e.suggested_themes, (), e.removed)
        new = replace(base, confirming=confirming)
        new_answers = {**answers, question.id: text}
        return Outcome(new, view(q, new, new_answers), (SetAnswer(question.id, text),))
    return _answer(q, base, answers, question, text)


def _confirming(state: SurveyState, question_id: str) -> Confirming | None:
    c = state.confirming
    return c if c is not None and c.question == question_id else None


def _on_theme_toggle(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], e: ThemeToggle) -> Outcome:
    c = _confirming(state, e.question)
    if c is None or (not c.expanded and e.theme not in c.suggested):
        return _same(q, state, answers, Notice.STALE)
    selected = [t for t in c.selected if t != e.theme] if e.theme in c.selected else [*c.selected, e.theme]
    new = replace(state, confirming=replace(c, selected=tuple(selected)))
    return Outcome(new, view(q, new, answers))


def _on_more_themes(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], e: MoreThemes) -> Outcome:
    c = _confirming(state, e.question)
    if c is None:
        return _same(q, state, answers, Notice.STALE)
    new = replace(state, confirming=replace(c, expanded=True))
    return Outcome(new, view(q, new, answers))


def _finish_confirming(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], question_id: str,
                       coded: SetThemes | None) -> Outcome:
    if _confirming(state, question_id) is None:
        return _same(q, state, answers, Notice.STALE)
    cleared = replace(state, confirming=None)
    outcome = _advance(q, cleared, answers, question_id)
    return replace(outcome, changes=(*((coded,) if coded else ()), *outcome.changes))


def _on_themes_done(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], e: ThemesDone) -> Outcome:
    # Done with nothing ticked: the parent did not code the answer, so only the classifier's themes stay.
    c = _confirming(state, e.question)
    coded = SetThemes(e.question, c.selected) if c is not None and c.selected else None
    return _finish_confirming(q, state, answers, e.question, coded)


def _on_no_themes(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], e: NoThemes) -> Outcome:
    return _finish_confirming(q, state, answers, e.question, SetThemes(e.question, (), said_none=True))


def _on_back(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], _: Back) -> Outcome:
    if state.confirming is not None:
        # Back from the theme check means "let me write that again".
        new = SurveyState(current=state.confirming.question, from_review=state.from_review)
        return Outcome(new, view(q, new, answers), notice=Notice.REWRITE)
    visible = q.visible(answers)
    ids = [v.id for v in visible]
    if state.current is None:
        target = ids[-1] if ids else None
    elif state.from_review:
        return Outcome(SurveyState(current=None), _review(q, answers, state.submitted))
    else:
        pos = ids.index(state.current) if state.current in ids else 0
        if pos == 0:
            return _same(q, state, answers, Notice.FIRST)
        target = ids[pos - 1]
    if target is None:
        return _same(q, state, answers, Notice.FIRST)
    new = SurveyState(current=target, draft=_draft_for(q.question(target), answers), submitted=state.submitted)
    return Outcome(new, view(q, new, answers))


def _on_skip(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], e: Skip) -> Outcome:
    question = _current(q, state, e.question)
    if question is None:
        return _same(q, state, answers, Notice.STALE)
    if question.required:
        return _same(q, state, answers, Notice.REQUIRED)
    remaining = {k: v for k, v in answers.items() if k != question.id}
    changes: tuple[Change, ...] = (ClearAnswer(question.id),) if question.id in answers else ()
    clears = hidden_clears(q, remaining)
    changes += clears
    remaining = {k: v for k, v in remaining.items() if k not in {c.question for c in changes}}
    state = replace(state, draft=(), pending=reopened(q, state, answers, remaining, clears, question.id))
    outcome = _advance(q, state, remaining, question.id)
    return replace(outcome, changes=changes + outcome.changes)


def _on_edit(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], e: Edit) -> Outcome:
    if state.current is not None or state.confirming is not None:
        return _same(q, state, answers, Notice.STALE)
    question = q.question(e.question)
    if question is None or question not in q.visible(answers):
        return _same(q, state, answers, Notice.STALE)
    new = SurveyState(current=question.id, draft=_draft_for(question, answers), from_review=True,
                      submitted=state.submitted)
    return Outcome(new, view(q, new, answers))


def _on_to_review(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], _: ToReview) -> Outcome:
    if state.confirming is not None:
        return _same(q, state, answers, Notice.STALE)
    new = SurveyState(current=None, submitted=state.submitted)
    return Outcome(new, view(q, new, answers))


def _on_submit(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], _: Submit) -> Outcome:
    if state.current is not None or state.confirming is not None:
        return _same(q, state, answers, Notice.STALE)
    missing = missing_required(q, answers)
    if missing:
        new = SurveyState(current=missing[0], draft=_draft_for(q.question(missing[0]), answers))
        return Outcome(new, view(q, new, answers), notice=Notice.REQUIRED)
    new = SurveyState(current=None, submitted=True)
    return Outcome(new, Submitted(), (MarkSubmitted(),))


# ---------------------------------------------------------------- helpers


def _draft_for(question: Question | None, answers: Mapping[str, Value]) -> tuple[str, ...]:
    if question is None or question.type is not QuestionType.MULTI:
        return ()
    value = answers.get(question.id)
    return tuple(value) if isinstance(value, list) else ()


def _answer(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], question: Question,
            value: Value) -> Outcome:
    new_answers = {**answers, question.id: value}
    clears = hidden_clears(q, new_answers)
    for c in clears:
        new_answers.pop(c.question, None)
    pending = reopened(q, state, answers, new_answers, clears, question.id)
    outcome = _advance(q, replace(state, draft=(), pending=pending), new_answers, question.id)
    return replace(outcome, changes=(SetAnswer(question.id, value), *clears, *outcome.changes))


def _advance(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], after: str) -> Outcome:
    """Move on from ``after``: back to the review when editing from it, else to the next visible question."""
    if state.from_review:
        # An edit can reveal a question the parent has never seen, or drop an answer that no longer fits:
        # ask those (and any required question now missing after this one) before the review.
        pos = q.position(after)
        pending = set(state.pending)
        for question in q.visible(answers):
            if question.id in answers:
                continue
            if question.id in pending or (q.position(question.id) > pos and question.required):
                rest = tuple(p for p in state.pending if p != question.id)
                new = SurveyState(current=question.id, draft=_draft_for(question, answers), from_review=True,
                                  submitted=state.submitted, pending=rest)
                return Outcome(new, view(q, new, answers))
        new = SurveyState(current=None, submitted=state.submitted)
        return Outcome(new, _review(q, answers, state.submitted))
    pos = q.position(after)
    for question in q.visible(answers):
        if q.position(question.id) > pos:
            new = SurveyState(current=question.id, draft=_draft_for(question, answers), submitted=state.submitted)
            return Outcome(new, view(q, new, answers))
    new = SurveyState(current=None, submitted=state.submitted)
    return Outcome(new, _review(q, answers, state.submitted))


def _review(q: Questionnaire, answers: Mapping[str, Value], submitted: bool) -> Review:
    items = tuple(ReviewItem(v, answers.get(v.id)) for v in q.visible(answers))
    return Review(items, tuple(missing_required(q, answers)), submitted)


_HANDLERS = {
    Choose: _on_choose,
    Toggle: _on_toggle,
    Done: _on_done,
    Text: _on_text,
    Back: _on_back,
    Skip: _on_skip,
    Edit: _on_edit,
    ToReview: _on_to_review,
    Submit: _on_submit,
    ThemeToggle: _on_theme_toggle,
    ThemesDone: _on_themes_done,
    NoThemes: _on_no_themes,
    MoreThemes: _on_more_themes,
}
