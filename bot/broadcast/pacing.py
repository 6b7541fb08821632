"""When the next message may go: overall, per chat, and per group or channel, with pauses after a 429.

Pure and clock-free: callers pass ``now`` (monotonic seconds). Messages are spaced evenly rather than sent
in bursts, because Telegram counts in sliding windows and network jitter squeezes a burst together; even
spacing just under the limit leaves room for that jitter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.broadcast.settings import SendSettings


@dataclass
class Pacer:
    overall_interval: float
    chat_interval: float
    group_interval: float
    _next_overall: float = 0.0
    _next_chat: dict[str, float] = field(default_factory=dict)
    _paused_until: float = 0.0

    @classmethod
    def from_settings(cls, s: SendSettings) -> Pacer:
        return cls(1.0 / s.messages_per_second, s.per_chat_interval, 60.0 / s.group_posts_per_minute)

    def overall_ready_at(self) -> float:
        return max(self._next_overall, self._paused_until)

    def chat_ready_at(self, chat: str) -> float:
        return max(self._next_chat.get(chat, 0.0), self._paused_until)

    def record(self, chat: str, is_group: bool, now: float) -> None:
        """A message to ``chat`` is going now."""
        late = now - self._next_overall
        if 0 <= late < self.overall_interval / 2:
            # Woken a little late (a busy event loop): keep the schedule, or every late wake-up would
            # stretch the broadcast (1,000 messages at 28/s came out at 27/s). At most one message every
            # half interval, so no one-second window holds more than the rate plus one.
            self._next_overall += self.overall_interval
        else:
            self._next_overall = max(self._next_overall, now) + self.overall_interval
        interval = max(self.chat_interval, self.group_interval if is_group else 0.0)
        self._next_chat[chat] = now + interval

    def pause(self, until: float, chat: str | None = None) -> None:
        """Telegram said "retry after": hold this chat, or everything when ``chat`` is None."""
        if chat is None:
            self._paused_until = max(self._paused_until, until)
        else:
            self._next_chat[chat] = max(self._next_chat.get(chat, 0.0), until)

    def forget_before(self, now: float) -> None:
        """Chats whose wait is over carry no information; drop them to bound memory."""
        self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
