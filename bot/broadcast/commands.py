"""Operator commands for broadcasting: ``parentvoice publish`` and ``parentvoice outbox``.

They work on the database directly; the running bot's sender picks queued messages up within
``idle_poll`` seconds (2 by default), so the bot does not need restarting.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.broadcast import outbox, queue
from bot.config import database_path
from bot.storage import inspections as inspections_repo
from bot.storage.db import Database
from bot.storage.roles import audit


def _db_path(args: argparse.Namespace) -> Path:
    return database_path(getattr(args, "db", None))


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    publish = sub.add_parser("publish", help="record an inspection's published report and tell subscribed parents")
    publish.add_argument("--inspection", required=True, help="inspection id")
    publish.add_argument("--url", required=True, help="the published report (https://...)")
    publish.set_defaults(func=lambda args: asyncio.run(publish_report(_db_path(args), args.inspection, args.url)))
    status = sub.add_parser("outbox", help="how many broadcast messages are queued, sent, failed...")
    status.set_defaults(func=lambda args: asyncio.run(outbox_status(_db_path(args))))


async def publish_report(db_path: Path, inspection_id: str, url: str) -> int:
    from bot.weblinks import url_problem

    problem = url_problem(url)
    if problem:
        print(f"parentvoice: --url {url!r} is not a usable link: {problem} (for example "
              "https://reports.ofsted.gov.uk/...).", file=sys.stderr)
        return 2
    db = await Database.open(db_path)
    try:
        inspection = await inspections_repo.get(db, inspection_id)
        if inspection is None:
            print(f"No inspection {inspection_id!r}. See: parentvoice inspection list")
            return 2
        async with db.transaction():
            await inspections_repo.set_report_url(db, inspection.id, url)
            queued = await queue.report(db, inspection, url)
            await audit(db, "operator", "report.published", f"inspection={inspection.id} parents={queued.parents}")
    finally:
        await db.close()
    if queued.broadcast_id is None:
        print(f"The report of {inspection_id} was already published with this URL; nobody is told twice.")
    else:
        print(f"Report recorded for {inspection_id}. {queued.parents} subscribed parents will be told by the "
              "running bot, in their own language.")
    return 0


async def outbox_status(db_path: Path) -> int:
    db = await Database.open(db_path)
    try:
        found = await outbox.counts(db)
    finally:
        await db.close()
    if not found:
        print("The outbox is empty.")
        return 0
    for state in ("queued", "sending", "sent", "blocked", "skipped", "failed", "unknown"):
        if state in found:
            print(f"{state:<8} {found[state]}")
    return 0
