"""Work due at a time (reminders before a survey closes), kept in the database so a restart re-arms it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.storage.db import Database, now_iso


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    inspection_id: str


async def arm(db: Database, kind: str, inspection_id: str, due: datetime) -> int:
    """A pending job of this kind for the inspection, due then; a pending one moves to the new time.

    Returns 1 when a job was added or moved, 0 when nothing changed (or it has already run)."""
    return await db.execute(
        "INSERT INTO scheduled (kind, inspection_id, due_at) VALUES (?,?,?) ON CONFLICT (kind, inspection_id)"
        " DO UPDATE SET due_at = excluded.due_at WHERE scheduled.state = 'pending'"
        " AND scheduled.due_at != excluded.due_at", (kind, inspection_id, due.isoformat(timespec="seconds")))


async def due_jobs(db: Database, now: datetime) -> list[Job]:
    rows = await db.fetchall("SELECT id, kind, inspection_id FROM scheduled WHERE state = 'pending' AND due_at <= ?"
                             " ORDER BY due_at, id", (now.astimezone(UTC).isoformat(timespec="seconds"),))
    return [Job(r[0], r[1], r[2]) for r in rows]


async def next_due(db: Database) -> datetime | None:
    row = await db.fetchone("SELECT MIN(due_at) FROM scheduled WHERE state = 'pending'")
    return datetime.fromisoformat(row[0]) if row and row[0] else None


async def finish(db: Database, job_id: int, state: str = "done") -> bool:
    """pending -> done | skipped; in the same transaction as the work, so a job runs once."""
    return await db.execute("UPDATE scheduled SET state = ?, done_at = ? WHERE id = ? AND state = 'pending'",
                            (state, now_iso(), job_id)) == 1
