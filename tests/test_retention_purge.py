"""The retention purge is one function for the bot's housekeeping and `parentvoice purge --due` (issue 12)."""

from __future__ import annotations

import asyncio

from tests.conftest import add_inspection, rows
from tests.helpers.cli import run_cli


async def test_purge_due_run_twice_purges_once_and_keeps_the_first_aggregates(db_path):
    """A second `purge --due` used to purge the same inspection again: a second audit entry, and the kept
    aggregates replaced by those of an empty inspection. Housekeeping never did; now both share one rule."""
    await add_inspection(db_path, "old1", opens_in=-200, closes_in=-120)
    await add_inspection(db_path, "open1")
    first = await asyncio.to_thread(run_cli, "--db", str(db_path), "purge", "--due")
    assert first.returncode == 0, first.stderr
    assert first.stdout == "Inspection old1: 0 responses deleted; suppressed aggregates kept.\n"
    kept = await rows(db_path, "SELECT created_at, aggregates FROM report_snapshots")
    second = await asyncio.to_thread(run_cli, "--db", str(db_path), "purge", "--due")
    assert second.returncode == 0, second.stderr
    assert second.stdout == ""
    assert await rows(db_path, "SELECT created_at, aggregates FROM report_snapshots") == kept
    assert await rows(db_path, "SELECT COUNT(*) FROM audit WHERE action = 'inspection.purged'") == [(1,)]
