"""Fetched updates kept, sealed, until they have been handled (see migrations/004_inbox.sql)."""

from __future__ import annotations

from bot.storage.db import Database, now_iso


async def keep(db: Database, update_id: int, sealed: str) -> None:
    await db.execute("INSERT OR IGNORE INTO inbox (update_id, sealed, received_at) VALUES (?, ?, ?)",
                     (update_id, sealed, now_iso()))


async def done(db: Database, update_id: int) -> None:
    await db.execute("DELETE FROM inbox WHERE update_id = ?", (update_id,))


async def pending(db: Database) -> list[tuple[int, str]]:
    """Kept updates not handled yet, oldest first; rows of updates already handled are removed."""
    async with db.transaction():
        await db.execute("DELETE FROM inbox WHERE update_id IN (SELECT update_id FROM processed_updates)")
        rows = await db.fetchall("SELECT update_id, sealed FROM inbox ORDER BY update_id")
    return [(int(r[0]), str(r[1])) for r in rows]
