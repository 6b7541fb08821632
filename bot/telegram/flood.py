"""Per-sender flood control: a token bucket that answers a burst once, then drops the rest unworked."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"    # first update over the limit: one "slow down" reply
    DROP = "drop"    # later ones: no work at all


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    warned: bool = False


class FloodGate:
    """``burst`` updates at once, refilled at ``rate`` a second. Keys are pseudonyms, never user ids."""

    def __init__(self, rate: float = 1.0, burst: int = 12, max_keys: int = 50_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    def check(self, key: str, now: float) -> Verdict:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return Verdict.ALLOW
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

    def _forget_full(self, now: float) -> None:
        """Buckets that have refilled carry no information; drop them to bound memory."""
        self._buckets = {k: b for k, b in self._buckets.items()
                         if b.tokens + (now - b.stamp) * self.rate < self.burst}


class AttemptLimiter:
    """At most ``attempts`` guesses per ``window`` seconds per key, for codes (invites, withdrawals)."""

    def __init__(self, attempts: int = 5, window: float = 900.0) -> None:
        self.attempts = attempts
        self.window = window
        self._log: dict[str, list[float]] = {}

    def allow(self, key: str, now: float) -> bool:
        recent = [t for t in self._log.get(key, []) if now - t < self.window]
        if len(recent) >= self.attempts:
            self._log[key] = recent
            return False
        recent.append(now)
        self._log[key] = recent
        return True
