"""Disclosure control: which counts a report may show, so that no small group of parents can be picked out.

The rules (explained for inspectors in docs/reports.md):

1. Fewer than ``threshold`` responses in the inspection: no figure at all (``report_allowed``).
2. Primary suppression: every count below the threshold, zero included, is shown only as "fewer than N",
   and its percentage is hidden. Zero is treated like any small count so that "fewer than 10" never tells
   a reader whether anybody at all gave an answer, and "nobody" can never be combined with other figures.
3. A question answered by fewer than ``threshold`` parents shows nothing but that fact.
4. Complements: in a table where one parent can count in several rows (multi-choice, themes, flags), each
   row is really a yes/no split of the people who answered, so when those *not* in a row are fewer than the
   threshold the row is shown as "all but fewer than N" ("38 of 40" would say that exactly 2 did not).
5. Secondary suppression: whenever a hidden figure could be worked out from the shown ones (a total minus
   its other cells, a subtotal minus its shown member, a conditional question's count of answers set
   against the answers it depends on), the smallest shown cell tied to it is hidden too, and this repeats
   until nothing hidden can be pinned to one value. Secondary cells are marked "hidden" (not "fewer than
   N", which would be untrue), and the check assumes the reader knows that a secondary cell is at least N
   and no larger than the cells left shown beside it. If no cell is left to hide, the table is withheld.
6. A breakdown of one published figure (a theme's parents split by where the theme came from) is a table
   whose base is that figure (``base_of``): its base is not published again, and it is withheld when the
   figure is under the threshold. The figure and its breakdown are protected together, so a hidden cell of
   either can never be recovered from the other.

Only one-way tables exist: nothing is ever cross-tabulated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from bot.reports.inference import AtMost, Constraint, SumOf, infer

MIN_THRESHOLD = 5
DEFAULT_THRESHOLD = 10


def check_threshold(threshold: int) -> int:
    """The threshold is configurable, but never so low that a count could point at one family."""
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise ValueError(f"threshold must be a whole number, not {threshold!r}")
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"threshold {threshold} is below the minimum of {MIN_THRESHOLD}")
    return threshold


def report_allowed(total: int, threshold: int) -> bool:
    return total >= check_threshold(threshold)


class Status(StrEnum):
    SHOWN = "shown"
    FEWER_THAN = "fewer_than"  # a count below the threshold (primary suppression)
    HIDDEN = "hidden"  # a count hidden so that a small one cannot be worked out (secondary suppression)
    NEARLY_ALL = "nearly_all"  # all but fewer than the threshold of the base (a row of a multi-answer table)


@dataclass(frozen=True)
class Figure:
    """A count as it may be published: the number and its percentage only when shown."""

    status: Status
    count: int | None = None
    percent: float | None = None  # a fraction of the table's base, 0..1

    @property
    def shown(self) -> bool:
        return self.status is Status.SHOWN


TableKind = Literal["single", "multi", "count"]


@dataclass(frozen=True)
class RawTable:
    """True counts of one one-way table, before protection.

    ``single``: each person in the base is in exactly one cell (choice, yes/no, scale, language).
    ``multi``: a multi-choice question; everyone who answered ticked at least one cell, and an ``exclusive``
    option ("None of these") is ticked alone. ``count``: independent counts of people (themes, flags).
    ``groups`` (single tables only) are published subtotals of disjoint sets of cells.
    """

    id: str
    kind: TableKind
    base: int
    cells: tuple[tuple[str, int], ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclusive: tuple[str, ...] = ()
    base_of: tuple[str, str] | None = None  # (table, cell): the base is that cell of an earlier table


@dataclass(frozen=True)
class Link:
    """The base of a conditional question is bounded (or, if it was required, fixed) by earlier answers."""

    table: str
    source: str
    keys: tuple[str, ...]
    exact: bool = False


WithheldReason = Literal["few_answers", "small_numbers"]


@dataclass(frozen=True)
class ProtectedTable:
    id: str
    base: Figure
    cells: tuple[tuple[str, Figure], ...]
    groups: tuple[tuple[str, Figure], ...] = ()
    withheld: WithheldReason | None = None

    def cell(self, key: str) -> Figure:
        return dict(self.cells)[key]

    def group(self, key: str) -> Figure:
        return dict(self.groups)[key]

    def figures(self) -> Iterable[Figure]:
        yield self.base
        for _, f in self.cells:
            yield f
        for _, f in self.groups:
            yield f


# ---------------------------------------------------------------- the model a reader can reason with


@dataclass
class _Var:
    name: str
    table: str
    role: Literal["base", "cell", "group", "aux"]
    value: int
    order: int
    status: Status | None = None  # None: not published
    lower: int = 0  # for HIDDEN and NEARLY_ALL: the least value the marker itself allows


@dataclass
class _Model:
    threshold: int
    total: int
    vars: dict[str, _Var] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)
    withheld: dict[str, WithheldReason] = field(default_factory=dict)
    kinds: dict[str, TableKind] = field(default_factory=dict)
    derived: set[str] = field(default_factory=set)  # tables that break down a figure of another (rule 6)
    breaks_down: dict[str, str] = field(default_factory=dict)  # derived table -> the cell it breaks down
    bases: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, table: str, role: Literal["base", "cell", "group", "aux"], value: int) -> _Var:
        var = _Var(name, table, role, value, order=len(self.vars))
        self.vars[name] = var
        return var

    def known(self) -> dict[str, tuple[int, int]]:
        """Each variable's interval as its marker states it."""
        t, big = self.threshold, max(self.total, 1) * 64
        out: dict[str, tuple[int, int]] = {}
        for v in self.vars.values():
            if v.status is Status.SHOWN:
                out[v.name] = (v.value, v.value)
            elif v.status is Status.FEWER_THAN:
                out[v.name] = (0, t - 1)
            elif v.status in (Status.HIDDEN, Status.NEARLY_ALL):
                out[v.name] = (v.lower, big)
            else:
                out[v.name] = (0, big)
        return out


def _base(table: str) -> str:
    return f"{table}|base"


def _cell(table: str, key: str) -> str:
    return f"{table}|c|{key}"


def _group(table: str, key: str) -> str:
    return f"{table}|g|{key}"


def _build(tables: Sequence[RawTable], links: Sequence[Link], threshold: int, total: int) -> _Model:
    t = threshold
    m = _Model(threshold, total)
    for tab in tables:
        m.kinds[tab.id] = tab.kind
        m.bases[tab.id] = tab.base
        base = m.add(_base(tab.id), tab.id, "base", tab.base)
        base.status = Status.SHOWN if tab.base >= t else Status.FEWER_THAN
        derived = tab.base_of is not None
        if tab.base_of is not None:
            m.derived.add(tab.id)
            m.breaks_down[tab.id] = _cell(*tab.base_of)
            # Published once, as the cell it breaks down; the reader knows the two are equal.
            base.status = None
            m.constraints.append(SumOf(base.name, (_cell(*tab.base_of),)))
        cells = {key: m.add(_cell(tab.id, key), tab.id, "cell", n) for key, n in tab.cells}
        if tab.kind == "single":
            grouped: set[str] = set()
            top: list[str] = []
            for gkey, members in tab.groups:
                g = m.add(_group(tab.id, gkey), tab.id, "group", sum(cells[k].value for k in members))
                m.constraints.append(SumOf(g.name, tuple(cells[k].name for k in members)))
                grouped |= set(members)
                top.append(g.name)
            top += [c.name for k, c in cells.items() if k not in grouped]
            m.constraints.append(SumOf(base.name, tuple(top)))
        else:
            for c in cells.values():
                m.constraints.append(AtMost(c.name, base.name))
        if tab.kind == "multi":
            # Everyone who answered ticked one exclusive option, or at least one of the others.
            others = [c for k, c in cells.items() if k not in tab.exclusive]
            any_other = m.add(f"{tab.id}|any", tab.id, "aux", 0)
            ticks = m.add(f"{tab.id}|ticks", tab.id, "aux", 0)
            m.constraints.append(SumOf(base.name, (*(cells[k].name for k in tab.exclusive), any_other.name)))
            m.constraints.append(SumOf(ticks.name, tuple(c.name for c in others)))
            m.constraints.append(AtMost(any_other.name, ticks.name))
            for c in others:
                m.constraints.append(AtMost(c.name, any_other.name))
        # Primary suppression, and complements of one-of-many rows.
        big_enough = tab.base >= t if derived else base.status is Status.SHOWN
        for v in [*cells.values(), *(m.vars[_group(tab.id, g)] for g, _ in tab.groups)]:
            if not big_enough:
                v.status = None
            elif v.value < t:
                v.status = Status.FEWER_THAN
            elif tab.kind != "single" and tab.base - v.value < t:
                v.status = Status.NEARLY_ALL
                v.lower = max(t, tab.base - t + 1)
            else:
                v.status = Status.SHOWN
        if not big_enough:
            m.withheld[tab.id] = "few_answers"
    for link in links:
        s = m.add(f"{link.table}|from|{link.source}", link.table, "aux", 0)
        m.constraints.append(SumOf(s.name, tuple(_cell(link.source, k) for k in link.keys)))
        m.constraints.append(AtMost(_base(link.table), s.name))
        if link.exact:
            m.constraints.append(AtMost(s.name, _base(link.table)))
    return m


def _neighbours(m: _Model, name: str) -> list[_Var]:
    """Shown cells and subtotals tied to ``name`` by some constraint, looking through unpublished figures."""
    seen, frontier, found = {name}, [name], {}
    while frontier:
        current = frontier.pop()
        for c in m.constraints:
            vs = c.variables()
            if current not in vs:
                continue
            for other in vs:
                if other in seen:
                    continue
                seen.add(other)
                v = m.vars[other]
                if v.status is None:
                    frontier.append(other)
                elif v.status is Status.SHOWN and v.role in ("cell", "group"):
                    found[other] = v
    return list(found.values())


def _withhold(m: _Model, table: str, include_base: bool) -> None:
    for v in m.vars.values():
        if v.table == table and v.role in ("cell", "group"):
            v.status = None
        if include_base and v.table == table and v.role == "base":
            v.status = None
    m.withheld.setdefault(table, "small_numbers")


def _suppress_secondary(m: _Model) -> None:
    t = m.threshold
    while True:
        inference = infer(m.known(), m.constraints)
        hidden = [v for v in m.vars.values() if v.status in (Status.FEWER_THAN, Status.HIDDEN, Status.NEARLY_ALL)]
        leaked = [v for v in hidden if not inference.converged or inference.exact(v.name)]
        if not leaked:
            return
        target = leaked[0]
        candidates = _neighbours(m, target.name)
        # A breakdown gives way first: hide inside it, or withhold it, never a main figure for its sake.
        in_breakdown = [v for v in candidates if v.table in m.derived]
        if in_breakdown:
            candidates = in_breakdown
        elif target.table in m.derived:
            _withhold(m, target.table, include_base=False)
            continue
        if not candidates:
            # Hiding every shown cell of a breakdown can still pin the figure it breaks down (all of a theme's
            # answers are in hidden cells of at least the threshold each): the breakdown goes, never the figure.
            breakdowns = [tid for tid, cell in m.breaks_down.items() if cell == target.name and tid not in m.withheld]
            for tid in breakdowns:
                _withhold(m, tid, include_base=False)
            if not breakdowns:
                _withhold(m, target.table, include_base=target.role == "base")
            continue
        rank = sorted(candidates, key=lambda v: (v.role != "cell", v.value, v.order))
        chosen = rank[0]
        chosen.status = Status.HIDDEN
        chosen.lower = max(t, chosen.lower)
        # A reader who knows this rule learns that the chosen cell was the smallest candidate.
        for other in rank[1:]:
            if other.role == chosen.role:
                m.constraints.append(AtMost(chosen.name, other.name, 1 if other.order < chosen.order else 0))


def protect(
    tables: Sequence[RawTable], threshold: int, *, total: int, links: Sequence[Link] = ()
) -> dict[str, ProtectedTable]:
    """Apply primary and secondary suppression to a set of one-way tables published together."""
    check_threshold(threshold)
    m = _build(tables, links, threshold, total)
    _suppress_secondary(m)
    out: dict[str, ProtectedTable] = {}
    for tab in tables:
        base_var = m.vars[_base(tab.id)]
        base = _figure(base_var, None)
        denominator = tab.base if base_var.status is Status.SHOWN else None
        if tab.base_of is not None and m.vars[_cell(*tab.base_of)].status is Status.SHOWN:
            denominator = tab.base  # percentages of the figure broken down, which is shown
        withheld = m.withheld.get(tab.id)
        if withheld is None and tab.base_of is not None and tab.base_of[0] in m.withheld:
            withheld = "small_numbers"  # no breakdown of a figure that is not shown (only removes figures)
        if withheld is not None:
            out[tab.id] = ProtectedTable(tab.id, base, (), (), withheld)
            continue
        cells = tuple((k, _figure(m.vars[_cell(tab.id, k)], denominator)) for k, _ in tab.cells)
        groups = tuple((g, _figure(m.vars[_group(tab.id, g)], denominator)) for g, _ in tab.groups)
        out[tab.id] = ProtectedTable(tab.id, base, cells, groups, None)
    return out


def _figure(v: _Var, denominator: int | None) -> Figure:
    if v.status is Status.SHOWN:
        pct = v.value / denominator if denominator else None
        return Figure(Status.SHOWN, v.value, pct)
    return Figure(v.status or Status.HIDDEN)


def protect_one(table: RawTable, threshold: int) -> ProtectedTable:
    """One table on its own (used by tests and by callers that publish a single table)."""
    return protect([table], threshold, total=table.base)[table.id]
