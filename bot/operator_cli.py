"""Operator commands that work on the database directly (no bot running needed)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import timedelta
from pathlib import Path

from bot import areas
from bot.config import database_path
from bot.inspection import deep_link
from bot.storage import inspections as repo
from bot.storage.db import Database


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    insp = sub.add_parser("inspection", help="create, list or publish inspections")
    isub = insp.add_subparsers(dest="action", required=True)
    create = isub.add_parser("create", help="create an inspection and print its deep link")
    create.add_argument("--area", required=True, help="local area name or ONS code")
    create.add_argument("--survey-opens", required=True, help="YYYY-MM-DD")
    create.add_argument("--survey-closes", required=True, help="YYYY-MM-DD (last day, inclusive)")
    create.add_argument("--visit-starts", help="YYYY-MM-DD")
    create.add_argument("--visit-ends", help="YYYY-MM-DD")
    create.add_argument("--official-survey-url", help="the inspectorate's own survey link")
    create.add_argument("--bot-username", default=os.environ.get("PARENTVOICE_BOT_USERNAME"),
                        help="the bot's @username for the deep link (default: $PARENTVOICE_BOT_USERNAME, else "
                             "asked from Telegram with TELEGRAM_BOT_TOKEN)")
    create.set_defaults(func=lambda args: asyncio.run(inspection(args, db_path(args))))
    publish = isub.add_parser("publish", help="record the published inspection report and tell subscribed parents")
    publish.add_argument("inspection", help="inspection id")
    publish.add_argument("--url", required=True, help="the published report (https://...)")
    publish.set_defaults(func=_publish)
    listing = isub.add_parser("list", help="list inspections")
    listing.set_defaults(func=lambda args: asyncio.run(inspection(args, db_path(args))))


    invite = sub.add_parser("invite", help="print a one-time invite code for a staff role")
    invite.add_argument("--role", required=True, choices=("forum", "inspector", "admin"))
    invite.add_argument("--inspection", help="the inspection an inspector may see (required for inspectors)")
    invite.add_argument("--label", help="who it is for, e.g. the forum's name (kept with the role)")
    invite.add_argument("--expires", default="7d", help="how long the code works: 12h, 7d, 30d (default 7d)")
    invite.set_defaults(func=lambda args: asyncio.run(_invite(args)))

    audit = sub.add_parser("audit", help="print the audit trail (grants, refusals, report views, announcements)")
    audit.add_argument("--limit", type=int, default=200)
    audit.set_defaults(func=lambda args: asyncio.run(_audit(args)))

    purge = sub.add_parser("purge", help="delete the answers of a closed inspection")
    purge.add_argument("--inspection", help="the inspection to purge")
    purge.add_argument("--keep-aggregates", action="store_true",
                       help="keep the report's suppressed aggregates (JSON) after deleting the answers")
    purge.add_argument("--due", action="store_true",
                       help="purge every inspection past the retention period (PARENTVOICE_RETENTION_DAYS), "
                            "keeping aggregates")
    purge.set_defaults(func=lambda args: asyncio.run(_purge(args)))

    scrub = sub.add_parser("scrub", help="scrub personal data from JSON lines on stdin")
    scrub.set_defaults(func=_scrub, uses_db=False)

    report = sub.add_parser("report", help="an inspection's report: text, html, csv or json")
    report.add_argument("--inspection", required=True)
    report.add_argument("--format", default="html", choices=("text", "html", "csv", "json"))
    report.add_argument("--output", help="file to write (default: standard output)")
    report.add_argument("--language", default="en", help="language of the report's wording (default en)")
    report.set_defaults(func=lambda args: asyncio.run(_report(args)))

    themes = sub.add_parser("themes", help="theme tools")
    tsub = themes.add_subparsers(dest="action", required=True)
    classify = tsub.add_parser("classify", help="classify JSON lines {id, text, language} from stdin")
    classify.set_defaults(func=_classify, uses_db=False)

    rotate = sub.add_parser("rotate-secret", help="change PARENTVOICE_SECRET without losing any parent (stop the bot "
                                                  "first)")
    rotate.add_argument("--old-secret-env", required=True, metavar="VAR",
                        help="name of the environment variable holding the old secret (the new one is "
                             "PARENTVOICE_SECRET)")
    rotate.set_defaults(func=lambda args: asyncio.run(_rotate_secret(args)))


def _publish(args: argparse.Namespace) -> int:
    from bot.broadcast.commands import publish_report

    return asyncio.run(publish_report(db_path(args), args.inspection, args.url))


def _secret() -> str:
    from bot.privacy.pseudonym import check_secret

    return check_secret(os.environ.get("PARENTVOICE_SECRET"))


async def _rotate_secret(args: argparse.Namespace) -> int:
    from bot.privacy.pseudonym import SecretError, check_secret
    from bot.storage import keys

    if not os.environ.get(args.old_secret_env):
        print(f"parentvoice: {args.old_secret_env} is not set; put the old secret in it.", file=sys.stderr)
        return 2
    try:
        old = check_secret(os.environ[args.old_secret_env])
        new = _secret()
    except SecretError as exc:
        print(f"parentvoice: {exc}", file=sys.stderr)
        return 2
    if old == new:
        print("parentvoice: the old and the new secret are the same; nothing to do.", file=sys.stderr)
        return 2
    db = await Database.open(db_path(args))
    try:
        await keys.rotate(db, old, new)
    except keys.SecretMismatch:
        print(f"parentvoice: the secret in {args.old_secret_env} is not this database's current secret; "
              "nothing changed.", file=sys.stderr)
        return 2
    finally:
        await db.close()
    print("Secret changed. Parents, withdrawal codes, unused invite codes and subscriptions all keep working "
          "with the new PARENTVOICE_SECRET; the old one no longer opens this database. Start the bot with the "
          "new secret.", file=sys.stderr)
    return 0


def parse_duration(text: str) -> timedelta:
    units = {"h": "hours", "d": "days", "w": "weeks"}
    if len(text) < 2 or text[-1] not in units or not text[:-1].isdigit() or int(text[:-1]) == 0:
        raise ValueError(f"{text!r} is not a duration like 12h, 7d or 2w")
    return timedelta(**{units[text[-1]]: int(text[:-1])})


async def _invite(args: argparse.Namespace) -> int:
    from bot.storage import inspections as inspections_repo
    from bot.storage import roles
    from bot.storage.keys import SecretMismatch, data_key

    try:
        secret = _secret()
        expires = parse_duration(args.expires)
    except ValueError as exc:
        print(f"parentvoice: {exc}", file=sys.stderr)
        return 2
    db = await Database.open(db_path(args))
    try:
        try:
            secret = await data_key(db, secret)
        except SecretMismatch as exc:
            print(f"parentvoice: {exc}", file=sys.stderr)
            return 2
        if args.inspection and await inspections_repo.get(db, args.inspection) is None:
            print(f"parentvoice: no inspection {args.inspection!r}", file=sys.stderr)
            return 2
        try:
            code = await roles.create_invite(db, secret, args.role, inspection_id=args.inspection, label=args.label,
                                             expires=expires)
        except ValueError as exc:
            print(f"parentvoice: {exc}", file=sys.stderr)
            return 2
    finally:
        await db.close()
    print(code)
    print(f"Send this to the {args.role} privately. They type /redeem {code} in a private chat with the bot. "
          f"It works once, for {args.expires}.", file=sys.stderr)
    return 0


async def _audit(args: argparse.Namespace) -> int:
    from bot.storage import roles

    db = await Database.open(db_path(args))
    try:
        for at, actor, action, detail in reversed(await roles.audit_log(db, args.limit)):
            print(f"{at}  {actor:<18} {action:<22} {detail}")
    finally:
        await db.close()
    return 0


async def _purge(args: argparse.Namespace) -> int:
    from bot.inspection import SurveyStatus, london_today
    from bot.services.report import aggregates_json
    from bot.services.retention import purge_due
    from bot.storage import inspections as inspections_repo
    from bot.storage.purge import purge_inspection

    db = await Database.open(db_path(args))
    try:
        if args.due:
            for inspection_id, count in await purge_due(db, london_today()):
                print(f"Inspection {inspection_id}: {count} responses deleted; suppressed aggregates kept.")
            return 0
        if args.inspection:
            found = await inspections_repo.get(db, args.inspection)
            if found is None:
                print(f"parentvoice: no inspection {args.inspection!r}", file=sys.stderr)
                return 2
            if found.status() is not SurveyStatus.CLOSED:
                print("parentvoice: the survey of this inspection has not closed; purge it after its report.",
                      file=sys.stderr)
                return 2
        else:
            print("parentvoice: name an inspection (--inspection ID) or use --due", file=sys.stderr)
            return 2
        keep = args.keep_aggregates
        count = await purge_inspection(db, found.id, await aggregates_json(db, found.id) if keep else None)
        print(f"Inspection {found.id}: {count} responses deleted"
              + ("; suppressed aggregates kept." if keep else "; nothing kept."))
    finally:
        await db.close()
    return 0


def _scrub(args: argparse.Namespace) -> int:
    from bot.privacy.scrub import scrub_jsonl

    for line in scrub_jsonl(sys.stdin):
        sys.stdout.write(line.rstrip("\n") + "\n")
    sys.stdout.flush()
    return 0


async def _report(args: argparse.Namespace) -> int:
    from bot.i18n.catalog import translator
    from bot.services.report import report_bytes
    from bot.storage import roles

    db = await Database.open(db_path(args))
    try:
        try:
            data = await report_bytes(db, args.inspection, args.format, translator(args.language))
            if args.format == "text":  # the text report is Telegram HTML; a terminal wants plain text
                from bot.reports.plain_text import telegram_html_to_text

                data = telegram_html_to_text(data.decode()).encode()
        except LookupError as exc:
            print(f"parentvoice: {exc}", file=sys.stderr)
            return 2
        await roles.audit(db, "operator", "report.viewed", f"inspection={args.inspection} format={args.format}")
    finally:
        await db.close()
    if args.output:
        await asyncio.to_thread(write_private, Path(args.output), data)
        print(f"Wrote {args.output} ({len(data)} bytes)", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (0600), even when it existed with a wider mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _classify(args: argparse.Namespace) -> int:
    from bot.themes.cli import classify_jsonl

    for line in classify_jsonl(sys.stdin):
        sys.stdout.write(line.rstrip("\n") + "\n")
    sys.stdout.flush()
    return 0


def db_path(args: argparse.Namespace) -> Path:
    return database_path(args.db)


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
    from bot.inspection import london_today
    from bot.inspection_checks import Dates, check_dates, duplicates, parse_option_date
    from bot.weblinks import require_https_url

    area = areas.by_code(args.area) or areas.resolve(args.area)
    if area is None:
        suggestions = ", ".join(a.name for a, _ in areas.match(args.area, limit=3))
        print(f"No local area matches {args.area!r}." + (f" Did you mean: {suggestions}?" if suggestions else ""),
              file=sys.stderr)
        return 2
    errors: list[str] = []
    parsed: dict[str, object] = {}
    for option in ("--survey-opens", "--survey-closes", "--visit-starts", "--visit-ends"):
        try:
            parsed[option] = parse_option_date(option, getattr(args, option[2:].replace("-", "_")))
        except ValueError as exc:
            errors.append(str(exc))
    if args.official_survey_url is not None:
        try:
            require_https_url(args.official_survey_url, "--official-survey-url")
        except ValueError as exc:
            errors.append(str(exc))
    warnings: list[str] = []
    if not errors:
        dates = Dates(*parsed.values())  # type: ignore[arg-type]
        findings = check_dates(dates, london_today())
        errors, warnings = findings.errors, findings.warnings
        warnings += duplicates(area.code, dates, await repo.all_inspections(db))
    if errors:
        for error in errors:
            print(f"Cannot create the inspection: {error}", file=sys.stderr)
        return 2
    found = await repo.create(db, area_code=area.code, survey_opens=dates.survey_opens,
                              survey_closes=dates.survey_closes, visit_starts=dates.visit_starts,
                              visit_ends=dates.visit_ends, official_survey_url=args.official_survey_url)
    for warning in warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    print(f"Inspection {found.id} for {area.name} ({area.code})")
    print(f"Survey open {found.survey_opens.isoformat()} to {found.survey_closes.isoformat()}")
    username, why_not = await bot_username(args.bot_username)
    if username:
        print(f"Deep link: {deep_link(username, found.id)}")
    else:
        print(f"Deep link: https://t.me/<your-bot-username>?start={found.id}")
        print(f"This link is a PLACEHOLDER: {why_not} Replace <your-bot-username> with the bot's username "
              "(from @BotFather), or set PARENTVOICE_BOT_USERNAME (or TELEGRAM_BOT_TOKEN, to ask Telegram) "
              "before creating inspections.", file=sys.stderr)
    return 0


async def bot_username(given: str | None) -> tuple[str | None, str]:
    """The bot's username: as given, else from the Bot API's getMe; else None and why."""
    if given:
        return given.lstrip("@"), ""
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        return None, "neither PARENTVOICE_BOT_USERNAME nor TELEGRAM_BOT_TOKEN is set."
    from telegram import Bot
    from telegram.error import TelegramError

    from bot.config import DEFAULT_API, Config

    api = Config(token=token, secret="", api_base_url=os.environ.get("TELEGRAM_API_BASE_URL", DEFAULT_API))
    try:
        async with Bot(token, base_url=api.bot_api_url, base_file_url=api.file_api_url) as telegram_bot:
            return telegram_bot.username, ""
    except TelegramError as exc:
        return None, f"Telegram did not say the bot's username (getMe: {exc})."


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
