"""An exhaustive reader: tries every true table that fits what a protected table shows.

Independent of ``inference`` on purpose (brute force, no reasoning shortcuts), so it can check disclosure
control rather than repeat it. Only for small tables: tests and ``python -m bench.report_bench --reader``.

Two readers:
- the table reader knows the shown counts, what "fewer than N", "all but fewer than N" and "hidden" mean
  (under N; over the base minus N; at least N),
  that cells add up to the total, and how multi-choice answers work;
- the algorithm reader also re-runs the suppression rules on every candidate table and keeps only those
  that would have been published exactly the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from bot.reports.disclosure import ProtectedTable, RawTable, Status, protect_one


def _ranges(p: ProtectedTable, t: int, base: int) -> list[range]:
    out = []
    for _, f in p.cells:
        if f.status is Status.SHOWN and f.count is not None:
            out.append(range(f.count, f.count + 1))
        elif f.status is Status.FEWER_THAN:
            out.append(range(min(t, base + 1)))
        elif f.status is Status.NEARLY_ALL:
            out.append(range(max(t, base - t + 1), base + 1))
        else:
            out.append(range(t, base + 1))
    return out


def _sums_to(ranges: list[range], total: int) -> Iterator[tuple[int, ...]]:
    if not ranges:
        if total == 0:
            yield ()
        return
    rest_min = sum(r.start for r in ranges[1:])
    rest_max = sum(r.stop - 1 for r in ranges[1:])
    for v in ranges[0]:
        if rest_min <= total - v <= rest_max:
            for tail in _sums_to(ranges[1:], total - v):
                yield (v, *tail)


def realisable(vec: tuple[int, ...], exclusive: set[int], base: int) -> bool:
    """Whether multi-choice option counts can come from ``base`` people (exclusive options ticked alone)."""
    rest = base - sum(vec[i] for i in exclusive)
    others = [v for i, v in enumerate(vec) if i not in exclusive]
    if rest < 0:
        return False
    if rest == 0:
        return all(v == 0 for v in others)
    return bool(others) and max(others) <= rest <= sum(others)


def _fits(status: Status, count: int | None, value: int, t: int) -> bool:
    if status is Status.SHOWN:
        return value == count
    if status is Status.FEWER_THAN:
        return value < t
    return value >= t  # nearly_all is checked through its range


def pinned_figures(table: RawTable, threshold: int, *, knows_algorithm: bool = False) -> dict[str, set[int]]:
    """Hidden cells and subtotals that every candidate table gives one and the same value."""
    p = protect_one(table, threshold)
    if p.withheld:
        return {}
    keys = [k for k, _ in table.cells]
    candidates: Iterator[tuple[int, ...]]
    if table.kind == "single":
        candidates = _sums_to(_ranges(p, threshold, table.base), table.base)
    else:
        exclusive = {i for i, k in enumerate(keys) if k in table.exclusive}
        candidates = (v for v in itertools.product(*_ranges(p, threshold, table.base))
                      if table.kind == "count" or realisable(v, exclusive, table.base))
    seen: dict[str, set[int]] = {}
    for vec in candidates:
        values = dict(zip(keys, vec, strict=True))
        groups = {g: sum(values[m] for m in members) for g, members in table.groups}
        if not all(_fits(f.status, f.count, groups[g], threshold) for g, f in p.groups):
            continue
        if knows_algorithm and protect_one(RawTable(table.id, table.kind, table.base, tuple(values.items()),
                                                    table.groups, table.exclusive), threshold) != p:
            continue
        for k, f in (*p.cells, *p.groups):
            if not f.shown:
                seen.setdefault(k, set()).add(values[k] if k in values else groups[k])
    return {k: v for k, v in seen.items() if len(v) == 1}
