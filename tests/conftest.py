"""Shared fixtures: a real stand-in, the real bot application over HTTP, and a real SQLite file."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.demo import Running, running_bot, sample_inspection
from bot.inspection import Inspection, london_today
from bot.storage import inspections as inspections_repo
from bot.storage.db import Database
from tests.helpers.broadcast import features  # noqa: F401 - a fixture, for the broadcast and forum tests


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "parentvoice.db"


@pytest.fixture
def secret() -> str:
    return secrets.token_urlsafe(32)


@pytest.fixture
async def bot(db_path: Path, secret: str) -> AsyncIterator[Running]:
    async with running_bot(db_path, sample_inspection(), secret=secret) as run:
        yield run


async def add_inspection(db_path: Path, inspection_id: str, *, opens_in: int = -1, closes_in: int = 6,
                         area_code: str = "E08000025", official_survey_url: str | None = None) -> Inspection:
    today = london_today()
    inspection = Inspection(inspection_id, area_code, today + timedelta(days=opens_in),
                            today + timedelta(days=closes_in), official_survey_url=official_survey_url)
    db = await Database.open(db_path)
    try:
        await inspections_repo.create(db, inspection)
    finally:
        await db.close()
    return inspection


async def rows(db_path: Path, sql: str, params: tuple = ()) -> list:
    db = await Database.open(db_path)
    try:
        return [tuple(r) for r in await db.fetchall(sql, params)]
    finally:
        await db.close()
