"""What the engine answers: changes for the shell to store, the view to show, and why an input was refused."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.survey.model import Choice, Question, Value
from bot.survey.state import SurveyState


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
