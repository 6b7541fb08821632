"""Broadcast time against Telegram's limits (DESIGN.md section 12).

    python -m bench.broadcast_bench                   # 300 subscribers and one channel, real limits
    python -m bench.broadcast_bench --subscribers 1000 --rate 28 --json
    python -m bench.broadcast_bench --subscribers 1000 --kill   # real `python -m bot run`, SIGKILL halfway, restart

The stand-in enforces Telegram's limits (1 message a second per chat, 30 a second overall, 20 a minute per
group or channel) and answers 429 beyond them. The sender runs with the given settings (the shipped
defaults unless told otherwise) against a real SQLite outbox. The theoretical minimum is N / 30 seconds;
"refused" counts the 429s the stand-in had to send (each one pauses the whole sender for a second).

With ``--kill`` the bot is a real ``python -m bot run`` process against the stand-in (in this process): the
announcement is queued in its database, the process is killed with SIGKILL once half the messages are out
(with the stand-in holding its answers for half a second first, so requests are in flight), and a new process is started on the same database. Duplicates and losses are counted from the stand-in's own
record of delivered messages (a chat with two is a duplicate, a chat with none a loss); the time is the time
spent sending (the minutes the bot was down are not counted against it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import machine, run_context
from bench.processes import stop
from bot.broadcast import outbox, queue
from bot.broadcast.service import start_background, stop_background
from bot.broadcast.settings import SendSettings
from bot.demo import DEMO_AREA, running_bot, sample_inspection
from bot.privacy.pseudonym import pseudonym
from bot.standin.server import StandIn
from bot.storage import contacts, forum_chats
from bot.storage import inspections as inspections_repo
from bot.storage import parents as parents_repo
from bot.storage.db import Database, now_iso
from bot.storage.keys import data_key
from bot.storage.parents import Parent

ROOT = Path(__file__).resolve().parents[1]

TELEGRAM_OVERALL_PER_SECOND = 30
CHANNEL = -1009000000001
LANGUAGES = ("en", "pl", "ur", "ar", "ro", "bn")


async def run(subscribers: int, settings: SendSettings) -> dict[str, object]:
    secret = secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="parentvoice-bench-") as tmp:
        async with running_bot(Path(tmp) / "bench.db", sample_inspection(), secret=secret) as bot:
            standin, db = bot.standin, bot.app.bot_data["deps"].db
            ids = await subscribe_all(db, standin, secret, subscribers)
            standin.enforce_limits()  # Telegram's: 1/s per chat, 30/s overall, 20/min per group
            service = await start_background(bot.app, settings)
            started = time.perf_counter()
            queued = await announce(db)
            queueing = time.perf_counter() - started
            service.wake()
            await service.drained(timeout=subscribers + 120)
            elapsed = time.perf_counter() - started
            states = await outbox.counts(db)
            await stop_background(bot.app)
            messages = queued.parents + sum(1 for _ in standin.sent(CHANNEL))
            attempts = sum(standin.attempts(u) for u in ids) + standin.attempts(CHANNEL)
            delivered = sum(standin.successes(u) for u in ids) + standin.successes(CHANNEL)
    minimum = messages / TELEGRAM_OVERALL_PER_SECOND
    return {
        "subscribers": subscribers,
        "messages": messages,
        "delivered": delivered,
        "refused_429": attempts - delivered,
        "states": states,
        "seconds": round(elapsed, 2),
        "of_which_queueing_seconds": round(queueing, 2),
        "theoretical_minimum_seconds": round(minimum, 2),
        "ratio_to_minimum": round(elapsed / minimum, 3),
        "messages_per_second": round(delivered / elapsed, 2),
        "sender_rate_setting": settings.messages_per_second,
        "machine": machine(),
        "context": run_context(),
    }


async def subscribe_all(db: Database, standin: StandIn, key: str, subscribers: int) -> list[int]:
    """Parents who asked for news, in six languages, and one linked forum channel (the repositories' own writes)."""
    ids = [910_000 + i for i in range(subscribers)]
    async with db.transaction():
        for n, user_id in enumerate(ids):
            respondent = pseudonym(key, user_id)
            await parents_repo.save_parent(db, Parent(respondent, language=LANGUAGES[n % len(LANGUAGES)],
                                                      consent_at=now_iso(), area_code=DEMO_AREA))
            await contacts.subscribe(db, key, respondent, user_id)
            standin.add_chat(user_id, "private")
        standin.add_chat(CHANNEL, "channel", title="Bench forum")
        await forum_chats.propose(db, CHANNEL, 1, "fbench", "Bench forum", "channel")
        await forum_chats.confirm(db, CHANNEL, 1)
    return ids


async def announce(db: Database) -> queue.Queued:
    async with db.transaction():
        chats = await forum_chats.linked_of(db, 1)
        return await queue.announce(db, sample_inspection(), languages=list(LANGUAGES), chats=chats,
                                    forum_code="fbench", bot_username="ParentVoiceBot", created_by="bench",
                                    dedupe_key="bench")


def _open_rows(db_path: Path) -> int:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'sending')").fetchone()[0])


def _rows_for_chat(db_path: Path, chat_id: int) -> int:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE recipient = ?", (f"chat:{chat_id}",)).fetchone()[0])


def _states(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        return {r[0]: r[1] for r in conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state")}


async def run_with_kill(subscribers: int, settings: SendSettings, kill_fraction: float = 0.5) -> dict[str, object]:
    """A real bot process, SIGKILLed mid-broadcast and started again; counts from the stand-in's record."""
    secret = secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="parentvoice-bench-") as tmp:
        db_path = Path(tmp) / "bench.db"
        async with StandIn() as standin:
            db = await Database.open(db_path)
            try:
                key = await data_key(db, secret)
                await inspections_repo.create(db, sample_inspection())
                ids = await subscribe_all(db, standin, key, subscribers)
                queued = await announce(db)
            finally:
                await db.close()
            chats = [*ids, CHANNEL]
            expected = {**dict.fromkeys(ids, 1), CHANNEL: _rows_for_chat(db_path, CHANNEL)}  # a post may be parts
            messages = sum(expected.values())
            standin.enforce_limits()
            env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:BENCH", "PARENTVOICE_SECRET": secret,
                   "PARENTVOICE_DB": str(db_path), "TELEGRAM_API_BASE_URL": standin.base_url,
                   "PYTHONPATH": str(ROOT), "PARENTVOICE_SEND_MESSAGES_PER_SECOND": str(settings.messages_per_second)}

            def delivered() -> int:
                return sum(standin.successes(c) for c in chats)

            async def start() -> asyncio.subprocess.Process:
                log = os.open(Path(tmp) / "bot.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                try:
                    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=str(ROOT),
                                                                env=env, stdout=log, stderr=log)
                finally:
                    os.close(log)

            async def wait_for(condition, child, limit: float) -> float:  # type: ignore[no-untyped-def]
                deadline = time.perf_counter() + limit
                while not condition():
                    if child.returncode is not None:
                        raise RuntimeError(f"the bot exited ({child.returncode}); see its log")
                    if time.perf_counter() > deadline:
                        raise TimeoutError("the broadcast did not progress in time")
                    await asyncio.sleep(0.01)
                return time.perf_counter()

            launched = time.perf_counter()
            child = await start()
            first = await wait_for(lambda: delivered() > 0, child, 120)
            try:
                killed = await wait_for(lambda: delivered() >= messages * kill_fraction, child, messages)
            finally:
                # The stand-in (this process's event loop) stops answering for half a second, as a slow
                # Telegram would, so the kill lands with requests in flight: the rows the sender cannot know
                # the fate of. Then SIGKILL, and the stand-in handles whatever had reached it.
                time.sleep(0.5)  # noqa: ASYNC251 - blocking on purpose: the stand-in must not answer
                os.kill(child.pid, signal.SIGKILL)
                await child.wait()
            await asyncio.sleep(0.5)
            at_kill = delivered()
            in_doubt = _states(db_path).get("sending", 0)
            relaunched = time.perf_counter()
            child = await start()
            try:
                resumed = await wait_for(lambda: delivered() > at_kill, child, 120)
                done = await wait_for(lambda: _open_rows(db_path) == 0, child, messages)
                await asyncio.sleep(1.0)  # room for a late duplicate to show, if there were one
            finally:
                await stop(child)
            counts = {c: standin.successes(c) for c in chats}
            attempts = sum(standin.attempts(c) for c in chats)
            states = _states(db_path)
    sending = (killed - first) + (done - resumed)
    minimum = messages / TELEGRAM_OVERALL_PER_SECOND
    return {
        "subscribers": subscribers,
        "messages": messages,
        "delivered_before_kill": at_kill,
        "rows_in_flight_at_kill": in_doubt,
        "delivered_total": sum(counts.values()),
        "duplicates": sum(max(0, n - expected[c]) for c, n in counts.items()),
        "losses": sum(max(0, expected[c] - n) for c, n in counts.items()),
        "queued_parents": queued.parents,
        "refused_429": attempts - sum(counts.values()),
        "states": states,
        "first_start_to_first_message_seconds": round(first - launched, 2),
        "restart_to_first_message_seconds": round(resumed - relaunched, 2),
        "seconds_sending": round(sending, 2),
        "theoretical_minimum_seconds": round(minimum, 2),
        "ratio_to_minimum": round(sending / minimum, 3),
        "sender_rate_setting": settings.messages_per_second,
        "resend_ambiguous": settings.resend_ambiguous,
        "context": run_context(),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--subscribers", type=int, default=300)
    p.add_argument("--rate", type=float, default=None, help="sender messages/s (default: the shipped setting)")
    p.add_argument("--kill", action="store_true", help="a real bot process, SIGKILLed halfway and restarted")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    settings = SendSettings() if args.rate is None else SendSettings(messages_per_second=args.rate)
    result = asyncio.run(run_with_kill(args.subscribers, settings) if args.kill else run(args.subscribers, settings))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
