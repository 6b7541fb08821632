"""Broadcast time against Telegram's limits (DESIGN.md section 12).

    python -m bench.broadcast_bench                   # 300 subscribers and one channel, real limits
    python -m bench.broadcast_bench --subscribers 1000 --rate 28 --json

The stand-in enforces Telegram's limits (1 message a second per chat, 30 a second overall, 20 a minute per
group or channel) and answers 429 beyond them. The sender runs with the given settings (the shipped
defaults unless told otherwise) against a real SQLite outbox. The theoretical minimum is N / 30 seconds;
"refused" counts the 429s the stand-in had to send (each one pauses the whole sender for a second).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import tempfile
import time
from pathlib import Path

from bench.machine import machine
from bot.broadcast import outbox, queue
from bot.broadcast.service import start_background, stop_background
from bot.broadcast.settings import SendSettings
from bot.demo import DEMO_AREA, running_bot, sample_inspection
from bot.privacy.pseudonym import pseudonym
from bot.storage import contacts, forum_chats
from bot.storage import parents as parents_repo
from bot.storage.db import now_iso
from bot.storage.parents import Parent

TELEGRAM_OVERALL_PER_SECOND = 30
CHANNEL = -1009000000001
LANGUAGES = ("en", "pl", "ur", "ar", "ro", "bn")


async def run(subscribers: int, settings: SendSettings) -> dict[str, object]:
    secret = secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="parentvoice-bench-") as tmp:
        async with running_bot(Path(tmp) / "bench.db", sample_inspection(), secret=secret) as bot:
            standin, db = bot.standin, bot.app.bot_data["deps"].db
            ids = [910_000 + i for i in range(subscribers)]
            async with db.transaction():
                for n, user_id in enumerate(ids):
                    respondent = pseudonym(secret, user_id)
                    await parents_repo.save_parent(db, Parent(respondent, language=LANGUAGES[n % len(LANGUAGES)],
                                                              consent_at=now_iso(), area_code=DEMO_AREA))
                    await contacts.subscribe(db, secret, respondent, user_id)
                    standin.add_chat(user_id, "private")
                standin.add_chat(CHANNEL, "channel", title="Bench forum")
                await forum_chats.propose(db, CHANNEL, 1, "fbench", "Bench forum", "channel")
                await forum_chats.confirm(db, CHANNEL, 1)
            standin.enforce_limits()  # Telegram's: 1/s per chat, 30/s overall, 20/min per group
            service = await start_background(bot.app, settings)
            started = time.perf_counter()
            async with db.transaction():
                chats = await forum_chats.linked_of(db, 1)
                queued = await queue.announce(db, bot.inspection, languages=list(LANGUAGES), chats=chats,
                                              forum_code="fbench", bot_username="ParentVoiceBot",
                                              created_by="bench", dedupe_key="bench")
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
        "theoretical_minimum_seconds": round(minimum, 2),
        "ratio_to_minimum": round(elapsed / minimum, 3),
        "messages_per_second": round(delivered / elapsed, 2),
        "sender_rate_setting": settings.messages_per_second,
        "machine": machine(),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--subscribers", type=int, default=300)
    p.add_argument("--rate", type=float, default=None, help="sender messages/s (default: the shipped setting)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    settings = SendSettings() if args.rate is None else SendSettings(messages_per_second=args.rate)
    result = asyncio.run(run(args.subscribers, settings))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
