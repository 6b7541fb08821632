"""How updates are run: a crash loses no input, one chat's flood wait holds up nobody else, a full disk is told.

Real python-telegram-bot over HTTP against the stand-in, a real SQLite file; the crash is a real SIGKILL of
a real ``parentvoice run`` process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.config import Config
from bot.demo import sample_inspection
from bot.privacy.pseudonym import pseudonym
from bot.standin.server import StandIn
from bot.standin.user import plain
from bot.storage import inspections as inspections_repo
from bot.storage.db import Database
from bot.telegram.app import build_application
from tests.conftest import rows
from tests.helpers.broadcast import until

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = "derby26"


async def test_a_flood_wait_for_one_parent_does_not_hold_up_another(bot):
    first, second = bot.user(3001, "en"), bot.user(3002, "en")
    await first.send(f"/start {PAYLOAD}")
    await second.send(f"/start {PAYLOAD}")
    bot.standin.fail(first.chat, 429, retry_after=3, times=1)   # Telegram asks the bot to wait for this chat
    waiting = asyncio.create_task(first.send("/help"))
    await asyncio.sleep(0.2)
    await second.send("/help")
    help_text = plain(second.texts()[-1])
    assert "/language" in help_text
    assert not waiting.done()           # the first parent is still in their flood wait, the second was served
    await waiting
    assert plain(first.texts()[-1]) == help_text      # then the first parent got it too: retried, not dropped


async def test_a_full_disk_is_told_truthfully_once_and_the_press_is_answered(bot, db_path):
    parent = bot.user(3101, "en")
    await parent.send(f"/start {PAYLOAD}")
    await parent.press("English")
    await parent.press("Yes, I agree")
    before = await rows(db_path, "SELECT COUNT(*) FROM answers")
    db: Database = bot.app.bot_data["deps"].db
    # SQLite refuses every new answer, as it does when the disk is full (a temporary trigger on this connection).
    await db.execute("CREATE TEMP TRIGGER full_disk BEFORE INSERT ON main.answers "
                     "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    sent_before = len(bot.standin.sent(parent.chat))
    await parent.press("A parent or carer")
    replies = [plain(r.get("text") or "") for r in bot.standin.sent(parent.chat)[sent_before:] if r.get("text")]
    assert [r for r in replies if "could not save" in r] == replies and len(replies) == 1, replies
    assert not any("Your answers are saved" in r for r in replies)
    answers = [a for a in bot.standin.callback_answers(parent.user_id)]
    assert answers, "the press was never answered"
    await db.execute("DROP TRIGGER temp.full_disk")
    assert await rows(db_path, "SELECT COUNT(*) FROM answers") == before


async def test_kill_9_with_a_backlog_loses_no_parents_input(tmp_path, secret):
    db_path = tmp_path / "crash.db"
    db = await Database.open(db_path)
    await inspections_repo.create(db, sample_inspection())
    await db.close()
    parents = list(range(880_001, 880_101))
    async with StandIn() as standin:
        for uid in parents:                                       # a backlog: 100 parents wrote while it was down
            await standin.send_message(uid, f"/start {PAYLOAD}", language_code="en")
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:DEMO", "PARENTVOICE_SECRET": secret,
               "PARENTVOICE_DB": str(db_path), "TELEGRAM_API_BASE_URL": standin.base_url,
               "PYTHONPATH": str(ROOT)}
        child = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=str(ROOT), env=env,
                                                     stdout=asyncio.subprocess.DEVNULL,
                                                     stderr=asyncio.subprocess.DEVNULL)
        try:
            async with asyncio.timeout(120):
                while not any(standin.successes(uid) for uid in parents):  # it has fetched and started answering
                    assert child.returncode is None
                    await asyncio.sleep(0.002)
        finally:
            os.kill(child.pid, signal.SIGKILL)
            await child.wait()
        before = {uid: standin.successes(uid) for uid in parents}
        assert not all(before.values())                           # the kill came with input still unhandled

        # A new process on the same database: what was fetched but not handled is handled now, once.
        app = build_application(Config(token="123456:DEMO", secret=secret, db_path=db_path,
                                       api_base_url=standin.base_url, rate_limit=False, flood_burst=10_000))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                await until(lambda: not app.update_queue.qsize() and not app.durable_queue.in_hand, timeout=120)
                await asyncio.sleep(0.5)                          # room for a duplicate to show, if there were one
            finally:
                await app.updater.stop()
                await app.stop()
        after = {uid: standin.successes(uid) for uid in parents}
    # Every parent's input was kept: answered, or (killed between storing the step and sending the reply)
    # stored, so the bot carries on from it when they write again.
    stored = {r[0] for r in await rows(db_path, "SELECT respondent FROM parents")}
    lost = [uid for uid in parents if not after[uid] and pseudonym(secret, uid) not in stored]
    assert not lost
    assert sum(1 for n in after.values() if n) >= len(parents) - 64      # at most the ones in hand at the kill
    assert {uid: n for uid, n in after.items() if before[uid]} == {uid: n for uid, n in before.items() if n}
    assert await rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)]
