"""Deleting an inspection's answers, optionally keeping its suppressed aggregates."""

from __future__ import annotations

from bot.storage.db import Database, now_iso


async def purge_inspection(db: Database, inspection_id: str, aggregates_json: str | None) -> int:
    """Delete every response of the inspection (answers, free text, themes, flags cascade). Returns the count.

    With ``aggregates_json`` the report's aggregates (already suppressed) are kept as the only record.
    """
    async with db.transaction():
        if aggregates_json is not None:
            await db.execute(
                "INSERT INTO report_snapshots (inspection_id, created_at, aggregates) VALUES (?,?,?)"
                " ON CONFLICT (inspection_id) DO UPDATE SET created_at = excluded.created_at,"
                " aggregates = excluded.aggregates", (inspection_id, now_iso(), aggregates_json))
        row = await db.fetchone("SELECT COUNT(*) FROM responses WHERE inspection_id = ?", (inspection_id,))
        count = row[0] if row else 0
        await db.execute("UPDATE parents SET response_id = NULL WHERE inspection_id = ?", (inspection_id,))
        await db.execute("DELETE FROM responses WHERE inspection_id = ?", (inspection_id,))
        await db.execute("UPDATE inspections SET purged_at = ? WHERE id = ?", (now_iso(), inspection_id))
        await db.execute("INSERT INTO audit (at, actor, action, detail) VALUES (?, 'operator', 'inspection.purged', ?)",
                         (now_iso(), f"inspection={inspection_id} responses={count} "
                                     f"aggregates={'kept' if aggregates_json else 'deleted'}"))
    await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return count
