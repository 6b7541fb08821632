"""The `parentvoice` command: the bot, the demo, and the operator's tools."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import DEFAULT_DB_PATH, database_path
from bot.logging_setup import setup_logging


def _db_path(args: argparse.Namespace) -> Path:
    return database_path(args.db)


# ---------------------------------------------------------------- commands


def cmd_run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from bot.config import Config, ConfigError
    from bot.storage.db import DatabaseOpenError
    from bot.storage.keys import SecretMismatch, checked_key
    from bot.telegram.app import build_application

    try:
        config = Config.from_env(**({"db_path": Path(args.db)} if args.db else {}))
        # Before anything talks to Telegram: a bad file or a changed secret stops here, with a clear message.
        config = replace(config, secret=asyncio.run(checked_key(config.db_path, config.secret)))
    except (ConfigError, DatabaseOpenError, SecretMismatch) as exc:
        print(f"parentvoice: {exc}", file=sys.stderr)
        return 2
    app = build_application(config)
    if config.webhook_url:
        from urllib.parse import urlparse

        url_path = urlparse(config.webhook_url).path.strip("/") or "telegram"
        app.run_webhook(listen=config.webhook_listen, port=config.webhook_port, url_path=url_path,
                        webhook_url=config.webhook_url, secret_token=config.webhook_secret,
                        allowed_updates=["message", "edited_message", "callback_query", "my_chat_member"])
    else:
        app.run_polling(allowed_updates=["message", "edited_message", "callback_query", "my_chat_member"])
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return asyncio.run(run_demo(script=args.script, db_path=Path(args.db) if args.db else None,
                                verbose=args.verbose))


def cmd_standin(args: argparse.Namespace) -> int:
    from bot.standin.cli import main as standin_main

    return standin_main(["--host", args.host, "--port", str(args.port)])


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.storage.db import Database, DatabaseOpenError

    async def go() -> None:
        db = await Database.open(_db_path(args))
        await db.close()

    try:
        asyncio.run(go())
    except DatabaseOpenError as exc:
        print(f"parentvoice: {exc}", file=sys.stderr)
        return 2
    print(f"Database {_db_path(args)} is up to date.")
    return 0


#: Commands that may create the database file. Every other command that uses the database refuses a
#: missing file (a mistyped --db would otherwise silently make an empty database); commands that never
#: touch the database say so with ``set_defaults(uses_db=False)``.
CREATES_DB: frozenset[str] = frozenset({"run", "migrate", "demo"})


def missing_database(args: argparse.Namespace) -> str | None:
    """The error to print when a command needs an existing database that is not there."""
    if args.command in CREATES_DB or not getattr(args, "uses_db", True):
        return None
    path = _db_path(args)
    if path.exists():
        return None
    where = "--db" if args.db else ("PARENTVOICE_DB" if os.environ.get("PARENTVOICE_DB") else "the default path")
    return (f"there is no database at {path} (from {where}). Check the path; to start a new database "
            f"there, run: parentvoice --db {path} migrate")


# ---------------------------------------------------------------- parser


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="parentvoice", description="ParentVoice: families' evidence for area SEND "
                                "inspections, through a Telegram bot.")
    p.add_argument("--db", help=f"SQLite file (default: $PARENTVOICE_DB or {DEFAULT_DB_PATH})")
    p.add_argument("-v", "--verbose", action="store_true", help="more logging")
    sub = p.add_subparsers(dest="command")

    run = sub.add_parser("run", help="run the bot against Telegram (or TELEGRAM_API_BASE_URL)")
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="chat with the bot in this terminal, on the built-in Bot API stand-in")
    demo.add_argument("--script", action="store_true", help="play a sample conversation and print the transcript")
    demo.set_defaults(func=cmd_demo)

    standin = sub.add_parser("standin", help="run the local Bot API stand-in")
    standin.add_argument("--host", default="127.0.0.1")
    standin.add_argument("--port", type=int, default=8081)
    standin.set_defaults(func=cmd_standin, uses_db=False)

    translations = sub.add_parser("translations", help="regenerate the template, update every catalog, check them")
    translations.set_defaults(func=lambda args: __import__("bot.i18n.build", fromlist=["main"]).main(),
                              uses_db=False)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(func=cmd_migrate)

    # The operator's sub-commands, added by the modules that implement them.
    from bot import operator_cli
    from bot.broadcast import commands as broadcast_commands

    operator_cli.add_commands(sub)
    broadcast_commands.add_commands(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    setup_logging(logging.DEBUG if args.verbose else logging.INFO)
    if not getattr(args, "func", None):
        p.print_help()
        return 1
    missing = missing_database(args)
    if missing:
        print(f"parentvoice: {missing}", file=sys.stderr)
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
