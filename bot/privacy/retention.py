"""Which inspections' answers are due for deletion: the database is kept small, and emptied on schedule."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from bot.inspection import Inspection

DEFAULT_RETENTION_DAYS = 90


def retention_days(env: Mapping[str, str] | None = None) -> int:
    """PARENTVOICE_RETENTION_DAYS, else the default: the one place the setting is read."""
    env = os.environ if env is None else env
    return int(env.get("PARENTVOICE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def due_for_purge(inspections: Iterable[Inspection], today: date, retention_days: int) -> list[str]:
    """Inspections whose survey closed more than ``retention_days`` ago (the report is written by then)."""
    if retention_days < 0:
        raise ValueError("the retention period cannot be negative")
    limit = today - timedelta(days=retention_days)
    return [i.id for i in inspections if i.survey_closes < limit]
