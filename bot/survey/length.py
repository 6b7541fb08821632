"""How long a questionnaire takes, measured by walking it through the engine along typical paths.

A parent is told at the start how many questions there are and how many minutes it takes (issue 10). The
figures come from the engine itself, so they follow the questionnaire when it changes: every combination of
answers to the questions that skip logic depends on is one path; each path answers every question it is
shown as a typical parent would (one tap per single choice, two ticks and Done for "choose all that apply",
a typed answer plus two theme-step taps for free text), then sends the answers from the review.

Minutes are an estimate from the counts, with stated assumptions (``SECONDS_PER_TAP`` covers reading a short
question and tapping; ``SECONDS_PER_TEXT`` thinking about and typing two or three sentences on a phone).
``python -m bench.survey_length`` prints the figures; docs record them.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from bot.survey import engine
from bot.survey.model import Question, Questionnaire, QuestionType

SECONDS_PER_TAP = 8.0
SECONDS_PER_TEXT = 75.0
MULTI_TICKS = 2
THEME_STEP_TAPS = 2  # tick one suggested theme, then Done


@dataclass(frozen=True)
class Path:
    """One walk through the survey: what was chosen where skip logic branches, and what it cost."""

    branch: tuple[tuple[str, str], ...]
    questions: int
    taps: int
    texts: int

    @property
    def seconds(self) -> float:
        return self.taps * SECONDS_PER_TAP + self.texts * SECONDS_PER_TEXT


@dataclass(frozen=True)
class SurveyLength:
    paths: tuple[Path, ...]

    @property
    def questions(self) -> int:
        return round(statistics.median(p.questions for p in self.paths))

    @property
    def taps(self) -> int:
        return round(statistics.median(p.taps for p in self.paths))

    @property
    def minutes(self) -> int:
        """Median minutes, rounded up: better to finish early than to be told too little."""
        return max(1, math.ceil(statistics.median(p.seconds for p in self.paths) / 60))


def _branching(q: Questionnaire) -> list[Question]:
    """Questions whose answers decide what else is shown."""
    ids = {question.show_if.question for question in q.questions if question.show_if is not None}
    return [question for question in q.questions if question.id in ids]


def _typical(question: Question, branch: Mapping[str, str]) -> list[engine.Input]:
    if question.id in branch:
        return [engine.Choose(question.id, branch[question.id])]
    if question.type is QuestionType.MULTI:
        ticks = [c.id for c in question.choices if not c.exclusive][:MULTI_TICKS]
        return [*(engine.Toggle(question.id, c) for c in ticks), engine.Done(question.id)]
    if question.type is QuestionType.SCALE:
        return [engine.Choose(question.id, "3")]
    if question.type is QuestionType.TEXT:
        return [engine.Text(question.id, "A typical answer of two or three sentences.", ("other",))]
    return [engine.Choose(question.id, question.choices[0].id)]


def walk(q: Questionnaire, branch: Mapping[str, str]) -> Path:
    """Answer the survey along one branch through the engine, counting questions, taps and typed answers."""
    answers: dict[str, object] = {}
    state = engine.start(q, {})
    asked: set[str] = set()
    taps = texts = 0
    view: engine.View = engine.view(q, state, answers)  # type: ignore[arg-type]
    for _ in range(10 * len(q.questions)):
        if isinstance(view, engine.Review):
            events: list[engine.Input] = [engine.Submit()]
        elif isinstance(view, engine.ConfirmThemes):
            events = [engine.ThemesDone(view.question.id)]
            taps += THEME_STEP_TAPS - 1  # the tick; Done is counted below
        elif isinstance(view, engine.Ask):
            asked.add(view.question.id)
            events = _typical(view.question, branch)
        else:
            return Path(tuple(sorted(branch.items())), len(asked), taps, texts)
        for event in events:
            if isinstance(event, engine.Text):
                texts += 1
            else:
                taps += 1
            outcome = engine.step(q, state, answers, event)  # type: ignore[arg-type]
            for change in outcome.changes:
                if isinstance(change, engine.SetAnswer):
                    answers[change.question] = change.value
                elif isinstance(change, engine.ClearAnswer):
                    answers.pop(change.question, None)
            state, view = outcome.state, outcome.view
    raise RuntimeError("the walk did not reach the end of the survey")


def _branches(q: Questionnaire) -> Iterator[dict[str, str]]:
    deciding = _branching(q)
    for combo in itertools.product(*([c.id for c in question.choices] for question in deciding)):
        yield {question.id: choice for question, choice in zip(deciding, combo, strict=True)}


def measure(q: Questionnaire) -> SurveyLength:
    """Every typical path through ``q`` (one per combination of branching answers)."""
    return SurveyLength(tuple(walk(q, branch) for branch in _branches(q)))


_measured: dict[tuple[str, int], SurveyLength] = {}


def estimate(q: Questionnaire) -> SurveyLength:
    """``measure(q)``, once per questionnaire version (a few milliseconds, but shown to every new parent)."""
    key = (q.id, q.version)
    if key not in _measured:
        _measured[key] = measure(q)
    return _measured[key]
