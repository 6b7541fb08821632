"""When reminders are due: the end of a survey in England, and the reminder's time before it (stored in
``bot.storage.scheduled``)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.inspection import LONDON, Inspection
from bot.storage import scheduled as jobs
from bot.storage.db import Database

REMINDER = "reminder"


def survey_end(inspection: Inspection) -> datetime:
    """The survey is open to the end of its last day in England: midnight after it, London time, as UTC."""
    return datetime.combine(inspection.survey_closes + timedelta(days=1), time(0), LONDON).astimezone(UTC)


def reminder_due(inspection: Inspection, hours: float) -> datetime:
    """``hours`` before the end, but never before the survey opens."""
    opens = datetime.combine(inspection.survey_opens, time(0), LONDON).astimezone(UTC)
    return max(opens, survey_end(inspection) - timedelta(hours=hours))


async def ensure_reminders(db: Database, inspections: list[Inspection], hours: float, now: datetime) -> int:
    """A pending reminder for every inspection whose survey has not ended (due times follow date changes)."""
    added = 0
    for inspection in inspections:
        if survey_end(inspection) <= now:
            continue
        added += await jobs.arm(db, REMINDER, inspection.id, reminder_due(inspection, hours))
    return added
