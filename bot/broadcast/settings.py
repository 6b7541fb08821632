"""How fast and how stubbornly the outbox is sent, and when reminders go: one place, tunable by operators.

Telegram's limits are about 30 messages a second overall, 1 a second per chat and 20 a minute per group or
channel. The overall rate is held exactly, at Telegram's 30, because the pacer's window is anchored on
Telegram's answers (``pacing``), which leaves room for any network jitter; per chat and per group the
defaults keep a little headroom. A 429 pauses everything, so the pacing must never need one. Tests use
faster rates against a stand-in that enforces the same, faster limits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class SendSettings:
    messages_per_second: float = 30.0       # overall, at most this many in any one second at Telegram
    per_chat_interval: float = 1.1          # seconds between two messages to one chat; Telegram: about 1
    group_posts_per_minute: float = 19.0    # per group or channel; Telegram: 20
    concurrency: int = 3                    # requests in flight (rate x latency: 30/s x 30-100 ms needs 1-3);
    #                                         at most this many messages are in doubt after a crash
    retry_base: float = 2.0                 # first backoff after a network error, doubled each time
    retry_cap: float = 300.0                # longest backoff
    max_attempts: int = 8                   # failed tries before a message is given up as 'failed'
    pause_all_on_retry_after: bool = True   # a 429 usually means the bot as a whole is too fast
    resend_ambiguous: bool = False          # resend a message that may have reached Telegram (see docs)
    idle_poll: float = 2.0                  # how often an idle sender looks for work queued by the CLI
    reminder_hours: float = 48.0            # reminders go this long before a survey closes
    scheduler_poll: float = 60.0            # how often due reminders are looked for
    drain_timeout: float = 10.0             # how long a graceful stop waits for requests in flight

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> SendSettings:
        """PARENTVOICE_SEND_<FIELD> variables, e.g. PARENTVOICE_SEND_REMINDER_HOURS=24."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"PARENTVOICE_SEND_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            if f.type in ("bool", bool):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif f.type in ("int", int):
                values[f.name] = int(raw)
            else:
                values[f.name] = float(raw)
        values.update(overrides)
        settings = cls(**values)  # type: ignore[arg-type]
        settings.check()
        return settings

    def check(self) -> None:
        if self.messages_per_second <= 0 or self.group_posts_per_minute <= 0:
            raise ValueError("sending rates must be positive")
        if self.per_chat_interval < 0 or self.concurrency < 1 or self.max_attempts < 1:
            raise ValueError("per-chat interval must be >= 0, concurrency and max attempts >= 1")
