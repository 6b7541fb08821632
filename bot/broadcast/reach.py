"""Reach for forums: how many families started and sent the survey, by day and by language. Counts only.

Disclosure control (DESIGN.md sections 8 and 9): a count under 10 is shown as "fewer than 10", and no
total is shown that would let a reader work out a hidden count by subtraction. Pure.

- By day: cells under 10 are hidden; if what is hidden could be worked out from the total (one hidden
  cell, or hidden cells summing to 1-9), the smallest shown day is hidden as well ("not shown").
- By language: languages with 10 or more are named; the rest are pooled as "other languages", and if that
  pool would be 1-9 the smallest named language joins it, so no language with few families is revealed.
- Overall (every source) is shown only if the families not from this forum's link are 0 or 10 or more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

THRESHOLD = 10
K = TypeVar("K")


@dataclass(frozen=True)
class Cell:
    """A count as it may be shown: ``value`` is None when hidden, with why."""

    value: int | None
    hidden: str | None = None   # "small": under the threshold; "secondary": would reveal a small one

    @classmethod
    def of(cls, n: int, threshold: int = THRESHOLD) -> Cell:
        return cls(n) if n >= threshold else cls(None, "small")


def suppress(counts: Mapping[K, int], threshold: int = THRESHOLD) -> tuple[dict[K, Cell], Cell]:
    """Cells and their total, with primary and secondary suppression."""
    hidden = {k for k, n in counts.items() if n < threshold}
    secondary: set[K] = set()
    total = sum(counts.values())
    show_total = total >= threshold
    while show_total:
        hidden_sum = sum(counts[k] for k in hidden | secondary)
        if hidden_sum == 0 or hidden_sum >= threshold:
            break
        visible = [k for k in counts if k not in hidden and k not in secondary]
        if not visible:
            show_total = False
            break
        secondary.add(min(visible, key=lambda k: (counts[k], str(k))))
    cells = {k: Cell(None, "small") if k in hidden else Cell(None, "secondary") if k in secondary else Cell(n)
             for k, n in counts.items()}
    return cells, Cell(total) if show_total else Cell(None, "small" if total < threshold else "secondary")


@dataclass(frozen=True)
class Pooled:
    named: list[tuple[str, int]]   # (language, count), largest first, each at least the threshold
    other: Cell | None             # every other language together; None when there are none
    total: Cell


def pool_small(counts: Mapping[str, int], threshold: int = THRESHOLD) -> Pooled:
    named = sorted(((k, n) for k, n in counts.items() if n >= threshold), key=lambda kv: (-kv[1], kv[0]))
    other = sum(n for k, n in counts.items() if n < threshold)
    while named and 0 < other < threshold:
        other += named.pop()[1]
    total = sum(counts.values())
    other_cell = None if other == 0 else Cell.of(other, threshold)
    return Pooled(named, other_cell, Cell.of(total, threshold))


@dataclass(frozen=True)
class Fact:
    """One response, reduced to what reach counts."""

    started_on: date
    submitted_on: date | None
    language: str
    from_forum: bool


@dataclass(frozen=True)
class Column:
    by_day: dict[date, Cell]
    by_language: Pooled
    total: Cell


@dataclass(frozen=True)
class Reach:
    days: list[date]
    started: Column
    sent: Column
    everyone_started: Cell
    everyone_sent: Cell


def _clamp(d: date, days: Sequence[date]) -> date:
    return min(max(d, days[0]), days[-1])


def _column(dated: Iterable[tuple[date, str]], days: Sequence[date], threshold: int) -> Column:
    items = list(dated)
    per_day = Counter(_clamp(d, days) for d, _ in items)
    cells, total = suppress({d: per_day.get(d, 0) for d in days}, threshold)
    return Column(cells, pool_small(Counter(lang for _, lang in items), threshold), total)


def _everyone(all_count: int, forum_count: int, threshold: int) -> Cell:
    others = all_count - forum_count
    if all_count < threshold:
        return Cell(None, "small")
    if forum_count >= threshold and 0 < others < threshold:
        return Cell(None, "secondary")
    return Cell(all_count)


def reach(facts: Sequence[Fact], days: Sequence[date], threshold: int = THRESHOLD) -> Reach:
    """The forum's starts and submissions by day and language, and every family's totals, all suppressed."""
    if not days:
        raise ValueError("reach needs at least one day")
    mine = [f for f in facts if f.from_forum]
    started = _column(((f.started_on, f.language) for f in mine), days, threshold)
    sent = _column(((f.submitted_on, f.language) for f in mine if f.submitted_on), days, threshold)
    all_sent = sum(1 for f in facts if f.submitted_on)
    mine_sent = sum(1 for f in mine if f.submitted_on)
    return Reach(list(days), started, sent, _everyone(len(facts), len(mine), threshold),
                 _everyone(all_sent, mine_sent, threshold))
