"""Telegram's flood limits as sliding windows, off unless a test or benchmark turns them on.

Only successful sends count against a window, as with Telegram; a refused send answers 429 with
the number of whole seconds until the window frees a slot.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """At most `count` sends per `seconds`."""

    count: int
    seconds: float

    @classmethod
    def per(cls, rate: float, seconds: float) -> Window:
        """A rate below one per period becomes one send per a longer period."""
        if rate <= 0:
            raise ValueError("rate must be positive")
        if rate >= 1:
            return cls(int(rate), seconds)
        return cls(1, seconds / rate)


@dataclass(frozen=True)
class RateLimits:
    per_chat: Window | None = None
    overall: Window | None = None
    per_group: Window | None = None


class RateLimiter:
    """Remembers send times and says how long to wait when a window is full."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.limits: RateLimits | None = None
        self._chat: dict[int, deque[float]] = {}
        self._group: dict[int, deque[float]] = {}
        self._overall: deque[float] = deque()

    def configure(self, limits: RateLimits | None) -> None:
        self.limits = limits
        self.clear()

    def clear(self) -> None:
        self._chat.clear()
        self._group.clear()
        self._overall.clear()

    def retry_after(self, chat_id: int, is_group: bool) -> int | None:
        """Seconds to wait before this chat may receive another message, or None if it may now."""
        if self.limits is None:
            return None
        now = self._clock()
        waits = [
            _wait(self._chat.get(chat_id), self.limits.per_chat, now),
            _wait(self._overall, self.limits.overall, now),
        ]
        if is_group:
            waits.append(_wait(self._group.get(chat_id), self.limits.per_group, now))
        longest = max((w for w in waits if w is not None), default=None)
        return None if longest is None else max(1, math.ceil(longest))

    def record(self, chat_id: int, is_group: bool) -> None:
        if self.limits is None:
            return
        now = self._clock()
        self._chat.setdefault(chat_id, deque()).append(now)
        self._overall.append(now)
        if is_group:
            self._group.setdefault(chat_id, deque()).append(now)


def _wait(times: deque[float] | None, window: Window | None, now: float) -> float | None:
    if window is None or times is None:
        return None
    while times and times[0] <= now - window.seconds:
        times.popleft()
    if len(times) < window.count:
        return None
    return times[0] + window.seconds - now
