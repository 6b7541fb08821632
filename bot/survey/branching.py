"""Skip logic over the answers: what may still be shown, what an answer hides, what an edit reopens.

Pure functions of the questionnaire and the answers, used by the engine's steps.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.survey.model import Question, Questionnaire, Value
from bot.survey.outcome import ClearAnswer
from bot.survey.state import SurveyState


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


def missing_required(q: Questionnaire, answers: Mapping[str, Value]) -> list[str]:
    """Required questions these answers show that have no answer yet, in questionnaire order."""
    return [v.id for v in q.visible(answers) if v.required and v.id not in answers]


def hidden_clears(q: Questionnaire, answers: Mapping[str, Value]) -> tuple[ClearAnswer, ...]:
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


def reopened(q: Questionnaire, state: SurveyState, before: Mapping[str, Value], after: Mapping[str, Value],
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
