"""The outbox as the broadcaster sees it: its messages, delivery states and settings over the SQL of
``bot.storage.outbox`` (which also serves the plain reads and writes re-exported here).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from bot.broadcast.delivery import Next, State, on_restart
from bot.broadcast.posts import OutMessage
from bot.broadcast.settings import SendSettings
from bot.storage import outbox as rows
from bot.storage.db import Database
from bot.storage.outbox import (
    CHAT_PREFIX,
    Claimed,
    Finish,
    Row,
    chat_recipient,
    claim,
    claim_batch,
    counts,
    create_broadcast,
    enqueue,
    finish_many,
    open_rows,
    pending,
    purge,
    repoint,
)

__all__ = ["CHAT_PREFIX", "Claimed", "Finish", "Row", "add_texts", "chat_recipient", "claim", "claim_batch", "counts",
           "create_broadcast", "enqueue", "finish", "finish_many", "message_of", "open_rows", "pending", "purge",
           "recover", "repoint"]


async def add_texts(db: Database, broadcast_id: int, variant: str, messages: Sequence[OutMessage]) -> None:
    await rows.add_texts(db, broadcast_id, variant, [(m.text, m.buttons) for m in messages])


async def message_of(db: Database, row: Row) -> OutMessage | None:
    found = await rows.message_of(db, row)
    return OutMessage(*found) if found is not None else None


async def finish(db: Database, row_id: int, nxt: Next, reason: str = "", *, now: float | None = None) -> bool:
    """sending -> the next state (a retry goes back to queued with a not-before time)."""
    not_before = (time.time() if now is None else now) + nxt.delay if nxt.state is State.QUEUED else 0.0
    return await rows.finish(db, row_id, nxt.state.value, nxt.attempts, not_before, reason)


async def recover(db: Database, settings: SendSettings) -> int:
    """At start-up: rows left 'sending' by a stopped process become 'unknown' (or 'queued', if configured)."""
    return await rows.recover(db, on_restart(State.SENDING, settings).value)
