"""Inspections in SQLite."""

from __future__ import annotations

from datetime import date

import aiosqlite

from bot.inspection import Inspection, london_today, new_inspection_id
from bot.storage.db import Database, now_iso


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _from_row(row: aiosqlite.Row) -> Inspection:
    return Inspection(
        id=row["id"],
        area_code=row["area_code"],
        survey_opens=date.fromisoformat(row["survey_opens"]),
        survey_closes=date.fromisoformat(row["survey_closes"]),
        visit_starts=_d(row["visit_starts"]),
        visit_ends=_d(row["visit_ends"]),
        official_survey_url=row["official_survey_url"],
        questionnaire_id=row["questionnaire_id"],
        report_url=row["report_url"],
    )


async def create(db: Database, inspection: Inspection | None = None, **fields: object) -> Inspection:
    """Store a new inspection; the id is generated unless the dataclass brings one."""
    if inspection is None:
        inspection = Inspection(id=new_inspection_id(), **fields)  # type: ignore[arg-type]
    if inspection.survey_closes < inspection.survey_opens:
        raise ValueError("the survey cannot close before it opens")
    if inspection.visit_starts and inspection.visit_ends and inspection.visit_ends < inspection.visit_starts:
        raise ValueError("the visit cannot end before it starts")
    await db.execute(
        "INSERT INTO inspections (id, area_code, survey_opens, survey_closes, visit_starts, visit_ends,"
        " official_survey_url, questionnaire_id, report_url, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            inspection.id, inspection.area_code, inspection.survey_opens.isoformat(),
            inspection.survey_closes.isoformat(),
            inspection.visit_starts.isoformat() if inspection.visit_starts else None,
            inspection.visit_ends.isoformat() if inspection.visit_ends else None,
            inspection.official_survey_url, inspection.questionnaire_id, inspection.report_url, now_iso(),
        ),
    )
    return inspection


async def get(db: Database, inspection_id: str) -> Inspection | None:
    row = await db.fetchone("SELECT * FROM inspections WHERE id = ?", (inspection_id,))
    return _from_row(row) if row else None


async def all_inspections(db: Database) -> list[Inspection]:
    rows = await db.fetchall("SELECT * FROM inspections ORDER BY survey_opens DESC, id")
    return [_from_row(r) for r in rows]


async def current_for_area(db: Database, area_code: str, today: date | None = None) -> Inspection | None:
    """The inspection a parent of this area should answer: open now, else the next one, else the latest."""
    today = today or london_today()
    rows = await db.fetchall("SELECT * FROM inspections WHERE area_code = ? ORDER BY survey_opens", (area_code,))
    found = [_from_row(r) for r in rows]
    for status_check in (lambda i: i.survey_opens <= today <= i.survey_closes, lambda i: i.survey_opens > today):
        matches = [i for i in found if status_check(i)]
        if matches:
            return matches[0]
    return found[-1] if found else None


async def set_report_url(db: Database, inspection_id: str, url: str) -> bool:
    return await db.execute("UPDATE inspections SET report_url = ? WHERE id = ?", (url, inspection_id)) == 1


async def is_purged(db: Database, inspection_id: str) -> bool:
    """Whether the inspection's answers were already deleted (so a purge is not repeated)."""
    row = await db.fetchone("SELECT purged_at FROM inspections WHERE id = ?", (inspection_id,))
    return row is not None and row[0] is not None
