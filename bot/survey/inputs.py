"""What a parent did, as the engine's inputs: one small value per kind of button or message."""

from __future__ import annotations

from dataclasses import dataclass


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
