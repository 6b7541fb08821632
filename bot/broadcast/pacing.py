"""When the next messages may go: overall, per chat, and per group or channel, with pauses after a 429.

Pure and clock-free: callers pass ``now`` (monotonic seconds).

Telegram allows "no more than 30 messages per second" of bulk notifications (Bot FAQ), counted where
Telegram receives them; the stand-in counts the same way (a sliding one-second window over the arrival
of each accepted send). The sender only knows when a request left and when its answer came back, and
Telegram counted it somewhere in between. So the overall limit is held as a sliding window anchored on
*answers*: a message may start only while fewer than ``count`` earlier messages are in flight or were
answered within the last ``seconds``. Then no window of ``seconds`` at Telegram can hold more than
``count`` of them, whatever the network's jitter (if K+1 arrived within one window, the latest to start
would have seen the other K still in flight or answered within ``seconds`` before it left). The price is
one request's latency per window (30 per 1.03 s at 30 ms a request), instead of a guessed margin.

Per chat and per group the same holds: a chat's next message waits for the previous one's answer plus
the interval. Messages go in small waves (at most the sender's concurrency at once), a wave no sooner than
half an interval per message after the previous one, so a burst never exceeds twice the rate.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from bot.broadcast.settings import SendSettings


@dataclass(frozen=True)
class Ticket:
    """One message that went: handed back to ``done`` when its answer (or failure) came."""

    chat: str
    is_group: bool


@dataclass
class Pacer:
    count: int                    # at most this many messages...
    seconds: float                # ...in any window this long, at Telegram
    gap: float                    # a wave of n messages holds the next one back n * gap seconds
    chat_interval: float
    group_interval: float
    _in_flight: int = 0
    _answered: deque[float] = field(default_factory=deque)   # answer times, oldest first
    _next_wave: float = 0.0
    _next_chat: dict[str, float] = field(default_factory=dict)
    _paused_until: float = 0.0

    @classmethod
    def from_settings(cls, s: SendSettings) -> Pacer:
        """``messages_per_second`` as a whole number of messages per window of at least one second
        (29.5/s: 30 per 1.017 s), so that no one-second window can ever hold more than the rate."""
        count = max(1, math.ceil(s.messages_per_second - 1e-9))
        return cls(count, count / s.messages_per_second, 0.5 / s.messages_per_second, s.per_chat_interval,
                   60.0 / s.group_posts_per_minute)

    # ------------------------------------------------------------ overall

    def _forget(self, now: float) -> None:
        while self._answered and self._answered[0] <= now - self.seconds:
            self._answered.popleft()

    def allowance(self, now: float) -> int:
        """How many messages may start at ``now`` (0 while paused or a wave's gap has not passed)."""
        if now < self._paused_until or now < self._next_wave:
            return 0
        self._forget(now)
        return max(0, self.count - self._in_flight - len(self._answered))

    def overall_ready_at(self, now: float) -> float:
        """When at least one message may start; ``math.inf`` until an answer comes (all in flight)."""
        self._forget(now)
        at = max(now, self._paused_until, self._next_wave)
        busy = self._in_flight + len(self._answered)
        if busy < self.count:
            return at
        expire = busy - self.count        # this many answers must leave the window first
        if expire >= len(self._answered):
            return math.inf
        return max(at, self._answered[expire] + self.seconds)

    # ------------------------------------------------------------ per chat

    def chat_ready_at(self, chat: str) -> float:
        return max(self._next_chat.get(chat, 0.0), self._paused_until)

    def _interval(self, is_group: bool) -> float:
        return max(self.chat_interval, self.group_interval if is_group else 0.0)

    # ------------------------------------------------------------ recording

    def wave(self, size: int, now: float) -> None:
        """A wave of ``size`` messages is starting: the next wave waits ``size`` gaps."""
        self._next_wave = now + size * self.gap

    def record(self, chat: str, is_group: bool, now: float) -> Ticket:
        """A message to ``chat`` is going now; pass the ticket to ``done`` when its answer comes."""
        self._in_flight += 1
        self._next_chat[chat] = max(self._next_chat.get(chat, 0.0), now + self._interval(is_group))
        return Ticket(chat, is_group)

    def done(self, ticket: Ticket, now: float) -> None:
        """The answer came (or the request failed) at ``now``."""
        self._in_flight = max(0, self._in_flight - 1)
        if not self._answered or now >= self._answered[-1]:
            self._answered.append(now)
        else:  # a clock that went backwards must not break the order the window relies on
            self._answered.append(self._answered[-1])
        self._next_chat[ticket.chat] = max(self._next_chat.get(ticket.chat, 0.0), now + self._interval(ticket.is_group))

    def pause(self, until: float, chat: str | None = None) -> None:
        """Telegram said "retry after": hold this chat, or everything when ``chat`` is None."""
        if chat is None:
            self._paused_until = max(self._paused_until, until)
        else:
            self._next_chat[chat] = max(self._next_chat.get(chat, 0.0), until)

    def forget_before(self, now: float) -> None:
        """Chats whose wait is over carry no information; drop them to bound memory."""
        self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
