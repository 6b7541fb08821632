"""Operator commands that work on the database directly (no bot running needed)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot import areas
from bot.inspection import deep_link, parse_date
from bot.storage import inspections as repo
from bot.storage.db import Database


def _optional_date(value: str | None):  # type: ignore[no-untyped-def]
    return parse_date(value) if value else None


async def inspection(args: argparse.Namespace, db_path: Path) -> int:
    db = await Database.open(db_path)
    try:
        if args.action == "create":
            return await _create(args, db)
        if args.action == "list":
            return await _list(db)
        return 2
    finally:
        await db.close()


async def _create(args: argparse.Namespace, db: Database) -> int:
    area = areas.by_code(args.area) or areas.resolve(args.area)
    if area is None:
        suggestions = ", ".join(a.name for a, _ in areas.match(args.area, limit=3))
        print(f"No local area matches {args.area!r}." + (f" Did you mean: {suggestions}?" if suggestions else ""))
        return 2
    try:
        found = await repo.create(
            db,
            area_code=area.code,
            survey_opens=parse_date(args.survey_opens),
            survey_closes=parse_date(args.survey_closes),
            visit_starts=_optional_date(args.visit_starts),
            visit_ends=_optional_date(args.visit_ends),
            official_survey_url=args.official_survey_url,
        )
    except ValueError as exc:
        print(f"Cannot create the inspection: {exc}")
        return 2
    print(f"Inspection {found.id} for {area.name} ({area.code})")
    print(f"Survey open {found.survey_opens.isoformat()} to {found.survey_closes.isoformat()}")
    print(f"Deep link: {deep_link(args.bot_username, found.id)}")
    return 0


async def _list(db: Database) -> int:
    found = await repo.all_inspections(db)
    if not found:
        print("No inspections yet. Create one with: parentvoice inspection create --area ...")
        return 0
    print(f"{'id':<10} {'area':<32} {'survey':<23} {'status':<9} visit")
    for i in found:
        area = areas.by_code(i.area_code)
        visit = f"{i.visit_starts} to {i.visit_ends}" if i.visit_starts else "-"
        print(f"{i.id:<10} {(area.name if area else i.area_code)[:32]:<32} "
              f"{i.survey_opens} to {i.survey_closes} {i.status().value:<9} {visit}")
    return 0
