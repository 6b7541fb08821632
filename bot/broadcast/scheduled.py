"""Work due at a time (reminders before a survey closes), kept in the database so a restart re-arms it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from bot.inspection import LONDON, Inspection
from bot.storage.db import Database, now_iso

REMINDER = "reminder"


def survey_end(inspection: Inspection) -> datetime:
    """The survey is open to the end of its last day in England: midnight after it, London time, as UTC."""
    return datetime.combine(inspection.survey_closes + timedelta(days=1), time(0), LONDON).astimezone(UTC)


def reminder_due(inspection: Inspection, hours: float) -> datetime:
    """``hours`` before the end, but never before the survey opens."""
    opens = datetime.combine(inspection.survey_opens, time(0), LONDON).astimezone(UTC)
    return max(opens, survey_end(inspection) - timedelta(hours=hours))


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    inspection_id: str


async def ensure_reminders(db: Database, inspections: list[Inspection], hours: float, now: datetime) -> int:
    """A pending reminder for every inspection whose survey has not ended (due times follow date changes)."""
    added = 0
    for inspection in inspections:
        if survey_end(inspection) <= now:
            continue
        due = reminder_due(inspection, hours).isoformat(timespec="seconds")
        added += await db.execute(
            "INSERT INTO scheduled (kind, inspection_id, due_at) VALUES (?,?,?) ON CONFLICT (kind, inspection_id)"
            " DO UPDATE SET due_at = excluded.due_at WHERE scheduled.state = 'pending'"
            " AND scheduled.due_at != excluded.due_at", (REMINDER, inspection.id, due))
    return added


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
