"""The survey engine: ``(questionnaire, state, answers, input) -> Outcome``.

Pure on purpose: it knows nothing of Telegram or SQL, so a crash, a restart or a second channel (web chat,
WhatsApp) sees exactly the same behaviour. The shell stores ``Outcome.changes`` and ``Outcome.state`` in one
transaction, then renders ``Outcome.view``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.survey.model import DONT_KNOW, Choice, Question, Questionnaire, QuestionType, Value

# ---------------------------------------------------------------- state


@dataclass(frozen=True)
class Confirming:
    """A free-text answer waiting for the parent to confirm which themes it is about."""

    question: str
    suggested: tuple[str, ...]
    selected: tuple[str, ...]
    removed: tuple[str, ...] = ()
    expanded: bool = False


@dataclass(frozen=True)
class SurveyState:
    """Where a parent is. ``current is None`` means the review screen."""

    current: str | None
    draft: tuple[str, ...] = ()
    from_review: bool = False
    confirming: Confirming | None = None
    submitted: bool = False
    #: After an edit from the review: questions the edit newly showed (or whose answer it dropped), asked
    #: in questionnaire order before the parent is taken back to the review.
    pending: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        c = self.confirming
        return {
            "current": self.current,
            "draft": list(self.draft),
            "from_review": self.from_review,
            "submitted": self.submitted,
            "pending": list(self.pending),
            "confirming": None if c is None else {
                "question": c.question, "suggested": list(c.suggested), "selected": list(c.selected),
                "removed": list(c.removed), "expanded": c.expanded,
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> SurveyState:
        c = data.get("confirming")
        confirming = None
        if isinstance(c, dict):
            confirming = Confirming(
                question=str(c["question"]), suggested=tuple(c.get("suggested", ())),
                selected=tuple(c.get("selected", ())), removed=tuple(c.get("removed", ())),
                expanded=bool(c.get("expanded", False)),
            )
        current = data.get("current")
        return cls(
            current=None if current is None else str(current),
            draft=tuple(data.get("draft") or ()),  # type: ignore[arg-type]
            from_review=bool(data.get("from_review", False)),
            confirming=confirming,
            submitted=bool(data.get("submitted", False)),
            pending=tuple(str(p) for p in data.get("pending") or ()),  # type: ignore[union-attr]
        )


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Choose:
    question: str
    choice: str


@dataclass(frozen=True)
class Toggle:
    question: str
    choice: str


@dataclass(frozen=True)
class Done:
    question: str


@dataclass(frozen=True)
class Text:
    """A free-text answer, already scrubbed and classified by the shell."""

    question: str | None
    text: str
    suggested_themes: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Back:
    pass


@dataclass(frozen=True)
class Skip:
    question: str


@dataclass(frozen=True)
class Edit:
    question: str


@dataclass(frozen=True)
class ToReview:
    pass


@dataclass(frozen=True)
class Submit:
    pass


@dataclass(frozen=True)
class ThemeToggle:
    question: str
    theme: str


@dataclass(frozen=True)
class ThemesDone:
    question: str


@dataclass(frozen=True)
class NoThemes:
    question: str


@dataclass(frozen=True)
class MoreThemes:
    question: str


Input = (Choose | Toggle | Done | Text | Back | Skip | Edit | ToReview | Submit
         | ThemeToggle | ThemesDone | NoThemes | MoreThemes)

# ---------------------------------------------------------------- outputs


@dataclass(frozen=True)
class SetAnswer:
    question: str
    value: Value


@dataclass(frozen=True)
class ClearAnswer:
    question: str


@dataclass(frozen=True)
class SetThemes:
    """The parent's own coding of a free-text answer; it outranks the classifier.

    Only emitted when the parent coded the answer: ticked themes, or ``said_none`` for "None of these".
    Done with nothing ticked emits nothing, so the classifier's guess is never stored as the parent's word.
    """

    question: str
    themes: tuple[str, ...]
    said_none: bool = False


@dataclass(frozen=True)
class MarkSubmitted:
    pass


Change = SetAnswer | ClearAnswer | SetThemes | MarkSubmitted


@dataclass(frozen=True)
class Ask:
    question: Question
    number: int
    total: int
    draft: tuple[str, ...]
    answer: Value | None
    can_back: bool
    can_skip: bool
    choices: tuple[Choice, ...] = ()  # the buttons offered now (choice-level show_if applied)


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    answer: Value | None


@dataclass(frozen=True)
class Review:
    items: tuple[ReviewItem, ...]
    missing: tuple[str, ...]
    submitted: bool


@dataclass(frozen=True)
class ConfirmThemes:
    question: Question
    text: str
    suggested: tuple[str, ...]
    selected: tuple[str, ...]
    removed: tuple[str, ...]
    expanded: bool


@dataclass(frozen=True)
class Submitted:
    pass


View = Ask | Review | ConfirmThemes | Submitted


class Notice(StrEnum):
    """Why an input was not taken as it came; the shell turns it into a kind sentence."""

    STALE = "stale"              # a button from an earlier message
    USE_BUTTONS = "use_buttons"  # text where a button is expected
    REQUIRED = "required"        # tried to skip or submit without a required answer
    EMPTY = "empty"              # empty text or nothing ticked
    TOO_LONG = "too_long"
    FIRST = "first"              # Back on the first question
    REWRITE = "rewrite"          # the parent chose to write a free-text answer again


@dataclass(frozen=True)
class Outcome:
    state: SurveyState
    view: View
    changes: tuple[Change, ...] = ()
    notice: Notice | None = None


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


def progress(q: Questionnaire, answers: Mapping[str, Value], current: str) -> tuple[int, int]:
    """"Question N of M" that never jumps up on the way forward.

    M counts the questions that can still be shown: those with no condition, those whose condition holds,
    and those whose condition rests on a question not answered yet and not yet passed (it may still hold).
    Answering or passing a question can only remove questions from M, never add one; N is the current
    question's place among them. Only going back and changing an earlier answer can raise M again.
    """
    here = q.position(current)
    counted = [x.id for x in q.questions if _may_show(q, x, answers, here)]
    if current in counted:
        return counted.index(current) + 1, len(counted)
    before = sum(1 for x in counted if q.position(x) < here)
    return before + 1, len(counted) + 1


def _may_show(q: Questionnaire, question: Question, answers: Mapping[str, Value], here: int) -> bool:
    condition = question.show_if
    if condition is None or condition.holds(answers):
        return True
    return condition.question not in answers and q.position(condition.question) >= here


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
    clears = _hidden_clears(q, remaining)
    changes += clears
    remaining = {k: v for k, v in remaining.items() if k not in {c.question for c in changes}}
    state = replace(state, draft=(), pending=_reopened(q, state, answers, remaining, clears, question.id))
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
    missing = _missing(q, answers)
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


def _missing(q: Questionnaire, answers: Mapping[str, Value]) -> list[str]:
    return [v.id for v in q.visible(answers) if v.required and v.id not in answers]


def _hidden_clears(q: Questionnaire, answers: Mapping[str, Value]) -> tuple[ClearAnswer, ...]:
    """Answers that no longer apply are removed, so nothing contradictory is kept: answers to questions that
    skip logic now hides, and answers naming a choice no longer offered (a chain is followed to its end)."""
    remaining = dict(answers)
    clears: list[ClearAnswer] = []
    while True:
        visible = {v.id for v in q.visible(remaining)}
        gone = [k for k, value in remaining.items()
                if (question := q.question(k)) is not None
                and (k not in visible or not question.fits(value, remaining))]
        if not gone:
            return tuple(clears)
        for k in gone:
            clears.append(ClearAnswer(k))
            remaining.pop(k)


def _reopened(q: Questionnaire, state: SurveyState, before: Mapping[str, Value], after: Mapping[str, Value],
              clears: tuple[ClearAnswer, ...], answered: str) -> tuple[str, ...]:
    """Questions to ask before going back to the review: those an edit newly shows, and those still shown
    whose answer it dropped. Outside an edit from the review the normal order asks them anyway."""
    if not state.from_review:
        return state.pending
    shown_before = {v.id for v in q.visible(before)}
    dropped = {c.question for c in clears}
    new = {v.id for v in q.visible(after)
           if v.id not in after and (v.id not in shown_before or v.id in dropped)}
    wanted = (set(state.pending) | new) - {answered}
    return tuple(x.id for x in q.questions if x.id in wanted)


def _answer(q: Questionnaire, state: SurveyState, answers: Mapping[str, Value], question: Question,
            value: Value) -> Outcome:
    new_answers = {**answers, question.id: value}
    clears = _hidden_clears(q, new_answers)
    for c in clears:
        new_answers.pop(c.question, None)
    pending = _reopened(q, state, answers, new_answers, clears, question.id)
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
    return Review(items, tuple(_missing(q, answers)), submitted)


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
