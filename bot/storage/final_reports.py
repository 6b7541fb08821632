"""Who has had an inspection's final report: one row per inspector, so each gets it once.

A recipient is done when the report reached them ('sent') or when Telegram refused for good ('failed':
they blocked the bot or left Telegram; they can still ask with /report). A passing failure ('retry') is
tried again at the next housekeeping run, up to ``MAX_ATTEMPTS`` times.
"""

from __future__ import annotations

from bot.storage.db import Database, now_iso

MAX_ATTEMPTS = 3


async def awaiting(db: Database) -> list[str]:
    """Inspections whose final report has not gone to every inspector yet (nor been purged)."""
    found = await db.fetchall("SELECT id FROM inspections WHERE final_report_sent_at IS NULL AND purged_at IS NULL"
                              " ORDER BY id")
    return [r[0] for r in found]


async def recipients_left(db: Database, inspection_id: str) -> list[int]:
    """Inspectors of this inspection who neither had the report nor were given up on."""
    found = await db.fetchall(
        "SELECT r.user_id FROM roles r WHERE r.role = 'inspector' AND r.inspection_id = ? AND NOT EXISTS ("
        " SELECT 1 FROM final_report_recipients f WHERE f.inspection_id = r.inspection_id"
        " AND f.user_id = r.user_id AND f.state IN ('sent', 'failed')) ORDER BY r.granted_at, r.user_id",
        (inspection_id,))
    return [r[0] for r in found]


async def mark_sent(db: Database, inspection_id: str, user_id: int) -> None:
    await _upsert(db, inspection_id, user_id, "sent", None, 0)


async def mark_failed(db: Database, inspection_id: str, user_id: int, error: str, *, permanent: bool) -> str:
    """Records a failed try; returns the state it left: 'failed' (given up) or 'retry'."""
    row = await db.fetchone("SELECT attempts FROM final_report_recipients WHERE inspection_id = ? AND user_id = ?",
                            (inspection_id, user_id))
    attempts = (row[0] if row else 0) + 1
    state = "failed" if permanent or attempts >= MAX_ATTEMPTS else "retry"
    await _upsert(db, inspection_id, user_id, state, error, attempts)
    return state


async def _upsert(db: Database, inspection_id: str, user_id: int, state: str, error: str | None,
                  attempts: int) -> None:
    await db.execute(
        "INSERT INTO final_report_recipients (inspection_id, user_id, state, attempts, last_error, updated_at)"
        " VALUES (?,?,?,?,?,?) ON CONFLICT (inspection_id, user_id) DO UPDATE SET state = excluded.state,"
        " attempts = excluded.attempts, last_error = excluded.last_error, updated_at = excluded.updated_at",
        (inspection_id, user_id, state, attempts, error, now_iso()))


async def mark_done(db: Database, inspection_id: str) -> None:
    """Every inspector is done with: the inspection is not looked at again."""
    await db.execute("UPDATE inspections SET final_report_sent_at = ? WHERE id = ?", (now_iso(), inspection_id))
