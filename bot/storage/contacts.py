"""Subscriptions: which parents asked to hear about their area, and the sealed chat id to reach them.

A parent is subscribed while a ``contacts`` row exists. The chat id is sealed (see ``sealing``), so the
database alone cannot say who to message; /delete removes the row with the parent (ON DELETE CASCADE).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.privacy.chat_seal import seal, unseal
from bot.storage.db import Database, now_iso


@dataclass(frozen=True)
class Subscriber:
    respondent: str
    language: str


async def subscribe(db: Database, secret: str, respondent: str, chat_id: int) -> None:
    """Opt in (again): the seal is renewed, the subscription date kept."""
    await db.execute(
        "INSERT INTO contacts (respondent, sealed_chat, subscribed_at) VALUES (?,?,?)"
        " ON CONFLICT (respondent) DO UPDATE SET sealed_chat = excluded.sealed_chat",
        (respondent, seal(secret, chat_id), now_iso()),
    )


async def unsubscribe(db: Database, respondent: str) -> bool:
    return await db.execute("DELETE FROM contacts WHERE respondent = ?", (respondent,)) == 1


async def is_subscribed(db: Database, respondent: str) -> bool:
    return await db.fetchone("SELECT 1 FROM contacts WHERE respondent = ?", (respondent,)) is not None


async def chat_of(db: Database, secret: str, respondent: str) -> int | None:
    """Where to send, or None: not subscribed, stopped (/stop), or sealed under another secret."""
    row = await db.fetchone(
        "SELECT c.sealed_chat FROM contacts c JOIN parents p ON p.respondent = c.respondent"
        " WHERE c.respondent = ? AND p.stopped = 0", (respondent,))
    return unseal(secret, row[0]) if row else None


async def subscribers(db: Database, area_code: str, *, not_submitted_for: str | None = None) -> list[Subscriber]:
    """Subscribed, not stopped parents of an area; optionally only those who have not sent answers."""
    sql = ("SELECT p.respondent, COALESCE(p.language, 'en') FROM parents p JOIN contacts c"
           " ON c.respondent = p.respondent WHERE p.area_code = ? AND p.stopped = 0")
    params: tuple[object, ...] = (area_code,)
    if not_submitted_for is not None:
        sql += (" AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.respondent = p.respondent"
                " AND r.inspection_id = ? AND r.status = 'submitted')")
        params += (not_submitted_for,)
    rows = await db.fetchall(sql + " ORDER BY p.respondent", params)
    return [Subscriber(r[0], r[1]) for r in rows]
