"""The life of one outbox row, and what a Bot API error means for it. Pure.

States: queued -> sending -> sent, or back to queued (retry later), or blocked (the parent blocked the bot
or deleted their account: unsubscribe them), failed (permanent, or too many tries), skipped (nobody to
send to any more: unsubscribed, stopped, unlinked) or unknown.

*Unknown* is the ambiguous case. Telegram has no idempotency key, so a request that may have reached it
(the process died between marking a row 'sending' and marking it 'sent', or the connection broke after the
request was written) cannot be checked. By default such a row is not sent again: a parent never gets the
same message twice, at the price of at most ``concurrency`` rows per crash perhaps never arriving. An
operator who prefers the opposite sets ``resend_ambiguous``. Errors that prove the request never left
(connect errors, pool timeouts) or that Telegram answered (429, 5xx) are retried either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.broadcast.settings import SendSettings


class State(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNKNOWN = "unknown"


TERMINAL = frozenset({State.SENT, State.BLOCKED, State.FAILED, State.SKIPPED, State.UNKNOWN})
MOVES: dict[State, frozenset[State]] = {
    State.QUEUED: frozenset({State.SENDING, State.SKIPPED}),
    State.SENDING: frozenset({State.SENT, State.QUEUED, State.BLOCKED, State.FAILED, State.SKIPPED,
                              State.UNKNOWN}),
}


def can_move(old: State, new: State) -> bool:
    return new in MOVES.get(old, frozenset())


def on_restart(state: State, settings: SendSettings) -> State:
    """A row found 'sending' at start-up was in flight when the process stopped."""
    if state is not State.SENDING:
        return state
    return State.QUEUED if settings.resend_ambiguous else State.UNKNOWN


class Verdict(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    BLOCKED = "blocked"        # parent: unsubscribe
    CHAT_GONE = "chat_gone"    # forum chat: the bot was removed or may not post; unlink and tell the forum
    MIGRATED = "migrated"      # group became a supergroup: new id, send again
    AMBIGUOUS = "ambiguous"    # may have reached Telegram
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    delay: float = 0.0          # RETRY: seconds to wait before the same message is tried again
    counts: bool = True         # RETRY: whether it uses up one of max_attempts (a 429 does not)
    pause_all: bool = False     # RETRY after a 429: hold every chat, not just this one
    reason: str = ""            # an error class for the log; never message text or ids
    new_chat_id: int | None = None


def backoff(attempt: int, settings: SendSettings) -> float:
    """1st retry after ``retry_base`` seconds, doubling up to ``retry_cap``."""
    return min(settings.retry_cap, settings.retry_base * 2 ** max(0, attempt - 1))


_GONE_PARENT = ("blocked by the user", "user is deactivated")
_GONE_CHAT = ("kicked", "not a member", "chat was deleted", "blocked")
# A forum's chat where the bot is still a member but may no longer post: unlink it (and tell the forum).
_NO_RIGHTS = ("not enough rights", "need administrator rights", "have no rights to send", "chat_write_forbidden",
              "chat_admin_required")
_TRANSIENT_FORBIDDEN = ("can't send messages to the user", "can't initiate conversation")
_NOT_SENT_CAUSES = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def _seconds(exc: RetryAfter) -> float:
    value = getattr(exc, "_retry_after", None)  # a timedelta; the public property warns of deprecation
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(exc.retry_after if not isinstance(exc.retry_after, timedelta) else exc.retry_after.total_seconds())


def classify(exc: BaseException, attempt: int, settings: SendSettings, *, to_parent: bool) -> Outcome:
    """What an exception from a send means; ``attempt`` counts this try (1 for the first)."""
    name = type(exc).__name__
    if isinstance(exc, RetryAfter):
        return Outcome(Verdict.RETRY, _seconds(exc), counts=False, pause_all=settings.pause_all_on_retry_after,
                       reason=name)
    if isinstance(exc, ChatMigrated):
        return Outcome(Verdict.MIGRATED, reason=name, new_chat_id=int(exc.new_chat_id))
    if isinstance(exc, Forbidden):
        text = exc.message.lower()
        if to_parent and any(s in text for s in _GONE_PARENT):
            return Outcome(Verdict.BLOCKED, reason=name)
        if not to_parent and any(s in text for s in (*_GONE_CHAT, *_NO_RIGHTS)):
            return Outcome(Verdict.CHAT_GONE, reason=name)
        if any(s in text for s in _TRANSIENT_FORBIDDEN):
            return Outcome(Verdict.RETRY, backoff(attempt, settings), reason=name)
        return Outcome(Verdict.FAILED, reason=name)
    if isinstance(exc, TimedOut):
        if isinstance(exc.__cause__, _NOT_SENT_CAUSES):
            return Outcome(Verdict.RETRY, backoff(attempt, settings), reason=name)
        return Outcome(Verdict.AMBIGUOUS, backoff(attempt, settings), reason=name)
    if isinstance(exc, BadRequest):
        if not to_parent and any(s in exc.message.lower() for s in _NO_RIGHTS):
            return Outcome(Verdict.CHAT_GONE, reason=name)
        return Outcome(Verdict.FAILED, reason=name)
    if isinstance(exc, NetworkError):
        cause = exc.__cause__
        if cause is None or isinstance(cause, _NOT_SENT_CAUSES):
            # No cause: Telegram answered with a 5xx, so it handled the request and did not send.
            return Outcome(Verdict.RETRY, backoff(attempt, settings), reason=name)
        return Outcome(Verdict.AMBIGUOUS, backoff(attempt, settings), reason=name)
    if isinstance(exc, TelegramError):
        return Outcome(Verdict.FAILED, reason=name)
    return Outcome(Verdict.FAILED, reason=name)


@dataclass(frozen=True)
class Next:
    """What to write to the row after an outcome."""

    state: State
    attempts: int
    delay: float = 0.0


def next_state(outcome: Outcome, attempts_before: int, settings: SendSettings) -> Next:
    """Turns a verdict into the row's next state, giving up after ``max_attempts`` counted failures."""
    v = outcome.verdict
    if v is Verdict.SENT:
        return Next(State.SENT, attempts_before)
    if v is Verdict.BLOCKED:
        return Next(State.BLOCKED, attempts_before)
    if v in (Verdict.CHAT_GONE, Verdict.FAILED):
        return Next(State.FAILED, attempts_before + 1)
    if v is Verdict.MIGRATED:
        return Next(State.QUEUED, attempts_before)
    if v is Verdict.AMBIGUOUS and not settings.resend_ambiguous:
        return Next(State.UNKNOWN, attempts_before + 1)
    attempts = attempts_before + (1 if outcome.counts else 0)
    if attempts >= settings.max_attempts:
        return Next(State.FAILED, attempts)
    return Next(State.QUEUED, attempts, outcome.delay)
