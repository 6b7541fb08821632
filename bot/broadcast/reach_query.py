"""Reading the facts reach needs: one row per response of an inspection, no answers, no pseudonyms."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.broadcast.reach import Fact
from bot.inspection import LONDON, Inspection
from bot.storage import parents as parents_repo
from bot.storage.db import Database


def _london_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone(LONDON).date()


async def facts(db: Database, inspection_id: str, forum_code: str | None) -> list[Fact]:
    """Responses of the inspection; ``from_forum`` marks those from this forum's link (all, when None)."""
    return [Fact(_london_day(r.started_at), _london_day(r.submitted_at) if r.submitted_at else None, r.language,
                 forum_code is None or r.source == forum_code)
            for r in await parents_repo.response_timings(db, inspection_id)]


def survey_days(inspection: Inspection, today: date) -> list[date]:
    """Every day the survey has been open so far (at least its first day)."""
    last = max(inspection.survey_opens, min(today, inspection.survey_closes))
    return [inspection.survey_opens + timedelta(days=i) for i in range((last - inspection.survey_opens).days + 1)]
