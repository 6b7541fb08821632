"""What a reader can work out from published figures: interval reasoning over sums and orderings.

Disclosure control asks one question of this module: given everything a report shows (exact counts,
"fewer than 10", "hidden") and the arithmetic that ties figures together (a total is the sum of its cells),
can anyone pin a hidden figure down to one value? Bounds propagation answers it. For one table with its
subtotals the constraints form a tree, and on a tree the propagated bounds are exact (every value inside
them is possible); with extra links (orderings, conditional questions) they remain safe outer bounds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Bounds = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class SumOf:
    """``total`` equals the sum of ``parts``."""

    total: str
    parts: tuple[str, ...]

    def variables(self) -> tuple[str, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class AtMost:
    """``small + gap <= large``."""

    small: str
    large: str
    gap: int = 0

    def variables(self) -> tuple[str, ...]:
        return (self.small, self.large)


Constraint = SumOf | AtMost


class Contradiction(ValueError):
    """The figures cannot all be true at once: a bug in whoever built them."""


@dataclass(frozen=True)
class Inference:
    bounds: Bounds
    converged: bool

    def exact(self, name: str) -> bool:
        lo, hi = self.bounds[name]
        return lo == hi


def _narrow(bounds: Bounds, name: str, lo: int, hi: int) -> bool:
    old_lo, old_hi = bounds[name]
    new_lo, new_hi = max(old_lo, lo), min(old_hi, hi)
    if new_lo > new_hi:
        raise Contradiction(f"no value fits {name}: [{new_lo}, {new_hi}]")
    if (new_lo, new_hi) == (old_lo, old_hi):
        return False
    bounds[name] = (new_lo, new_hi)
    return True


def _apply(bounds: Bounds, c: Constraint) -> list[str]:
    changed: list[str] = []
    if isinstance(c, AtMost):
        s_lo = bounds[c.small][0]
        l_hi = bounds[c.large][1]
        if _narrow(bounds, c.small, s_lo, l_hi - c.gap):
            changed.append(c.small)
        if _narrow(bounds, c.large, s_lo + c.gap, l_hi):
            changed.append(c.large)
        return changed
    lo_sum = sum(bounds[p][0] for p in c.parts)
    hi_sum = sum(bounds[p][1] for p in c.parts)
    if _narrow(bounds, c.total, lo_sum, hi_sum):
        changed.append(c.total)
    t_lo, t_hi = bounds[c.total]
    for p in c.parts:
        p_lo, p_hi = bounds[p]
        if _narrow(bounds, p, t_lo - (hi_sum - p_hi), t_hi - (lo_sum - p_lo)):
            changed.append(p)
            lo_sum += bounds[p][0] - p_lo
            hi_sum += bounds[p][1] - p_hi
    return changed


def infer(known: Mapping[str, tuple[int, int]], constraints: Sequence[Constraint], max_steps: int = 200_000) -> Inference:
    """Tighten every variable's interval until nothing changes (or the step budget runs out)."""
    bounds: Bounds = dict(known)
    watching: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(constraints):
        for v in c.variables():
            if v not in bounds:
                raise KeyError(f"constraint {c} names {v}, which has no bounds")
            watching[v].append(i)
    queue = list(range(len(constraints)))
    queued = set(queue)
    steps = 0
    while queue:
        steps += 1
        if steps > max_steps:
            return Inference(bounds, converged=False)
        i = queue.pop()
        queued.discard(i)
        for v in _apply(bounds, constraints[i]):
            for j in watching[v]:
                if j not in queued:
                    queued.add(j)
                    queue.append(j)
    return Inference(bounds, converged=True)
