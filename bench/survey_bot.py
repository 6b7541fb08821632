"""One bot alone in its own process, for ``bench.survey_bench``: ParentVoice or the trivial echo bot.

    python -m bench.survey_bot parentvoice --base-url http://127.0.0.1:PORT/bot --db /tmp/x/bench.db
    python -m bench.survey_bot echo --base-url http://127.0.0.1:PORT/bot

The stand-in (Telegram's side) and the simulated parents run in the bench's process; this process is the
bot and nothing else, so its CPU time is the bot's own cost. It prints ``ready`` once it polls, then the id
of every update once that update is fully handled (answer committed, every reply sent), one per line, so
the bench knows a step is finished without sleeping. SIGTERM (or stdin closing) stops it cleanly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import sys
from pathlib import Path

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query:
        await update.callback_query.answer()
    elif update.effective_chat and update.effective_message:
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "?")


def echo_application(base_url: str, http_client: str = "httpx") -> Application:  # type: ignore[type-arg]
    """The floor: one reply per update and nothing else, with the same ``observers`` hook as ParentVoice.

    PTB's defaults (httpx) unless ``http_client`` is "aiohttp": then the same Bot API client as ParentVoice.
    """
    builder = ApplicationBuilder().token("1:ECHO").base_url(base_url)
    if http_client == "aiohttp":
        from bot.telegram.transport import AiohttpRequest

        builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest(connection_pool_size=1))
    app = builder.build()
    app.observers = []  # type: ignore[attr-defined]
    app.add_handler(MessageHandler(filters.ALL, _echo))
    app.add_handler(CallbackQueryHandler(_echo))
    original = app.process_update

    async def process(update: object) -> None:
        await original(update)
        if isinstance(update, Update):
            for observer in app.observers:  # type: ignore[attr-defined]
                observer(update.update_id)

    app.process_update = process  # type: ignore[method-assign]
    return app


async def parentvoice_application(base_url: str, db_path: Path, http_client: str | None = None
                                  ) -> Application:  # type: ignore[type-arg]
    """ParentVoice as ``bot.demo.running_bot`` builds it (sample inspection, no rate limit, no flood gate)."""
    from bot.config import Config
    from bot.demo import sample_inspection
    from bot.storage import inspections as inspections_repo
    from bot.storage.db import Database
    from bot.storage.keys import data_key
    from bot.telegram.app import build_application

    db = await Database.open(db_path)
    try:
        key = await data_key(db, secrets.token_urlsafe(32))
        await inspections_repo.create(db, sample_inspection())
    finally:
        await db.close()
    chosen = {"http_client": http_client} if http_client else {}  # else the shipped default
    settings = Config(token="123456:DEMO", secret=key, db_path=db_path, api_base_url=base_url,
                      rate_limit=False, flood_burst=10_000, **chosen)  # type: ignore[arg-type]
    return build_application(settings)


async def serve(kind: str, base_url: str, db_path: Path | None, profile: Path | None = None,
                http_client: str | None = None) -> None:
    if kind == "parentvoice":
        assert db_path is not None
        app = await parentvoice_application(base_url, db_path, http_client)
    else:
        app = echo_application(base_url, http_client or "httpx")
    out = sys.stdout.fileno()

    def handled(update_id: int) -> None:
        os.write(out, b"%d\n" % update_id)  # one small write to a pipe, no buffering layers

    app.observers.append(handled)  # type: ignore[attr-defined]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # The bench closing our stdin (or dying) also ends the run: no bot is ever left behind.
    loop.add_reader(sys.stdin.fileno(), lambda: sys.stdin.buffer.read1(1) or stop.set())  # type: ignore[attr-defined]
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        if kind == "parentvoice":
            from bot.telegram.app import warm_up

            await warm_up()
        profiler = None
        if profile is not None:  # the steps only, not the start-up
            import cProfile
            import time

            profiler = cProfile.Profile(time.thread_time)  # the event loop thread's CPU, not waits
            profiler.enable()
        os.write(out, b"ready\n")
        await stop.wait()
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        with contextlib.suppress(Exception):
            await app.updater.stop()
        await app.stop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=("parentvoice", "echo"))
    p.add_argument("--base-url", required=True, help="the stand-in's Bot API base URL")
    p.add_argument("--db", type=Path, help="ParentVoice's database file (a new one)")
    p.add_argument("--profile", type=Path, help="write a cProfile of the steps (after start-up) here (pstats format)")
    p.add_argument("--http-client", choices=("aiohttp", "httpx"),
                   help="the Bot API client (default: ParentVoice's, aiohttp; the echo bot's, PTB's httpx)")
    args = p.parse_args()
    asyncio.run(serve(args.kind, args.base_url, args.db, args.profile, args.http_client))


if __name__ == "__main__":
    main()
