"""Where a parent is in the survey: the engine's state, stored as JSON beside the response."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


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
