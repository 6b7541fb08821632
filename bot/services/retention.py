"""The retention purge: every inspection past its retention period loses its answers, once.

Run by the bot's housekeeping job every ten minutes and by ``parentvoice purge --due``; both call this.
"""

from __future__ import annotations

from datetime import date

from bot.privacy.retention import due_for_purge, retention_days
from bot.services.report import aggregates_json
from bot.storage import inspections as inspections_repo
from bot.storage.db import Database
from bot.storage.purge import purge_inspection


async def purge_due(db: Database, today: date, days: int | None = None) -> list[tuple[str, int]]:
    """Purge every inspection due (``days`` after its survey closed; PARENTVOICE_RETENTION_DAYS by default)
    and not purged yet, keeping its suppressed aggregates. Returns (inspection id, responses deleted)."""
    days = retention_days() if days is None else days
    purged: list[tuple[str, int]] = []
    for inspection_id in due_for_purge(await inspections_repo.all_inspections(db), today, days):
        if await inspections_repo.is_purged(db, inspection_id):
            continue  # done before: purging again would replace the kept aggregates with empty ones
        purged.append((inspection_id, await purge_inspection(db, inspection_id, await aggregates_json(db, inspection_id))))
    return purged
