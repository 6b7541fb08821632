"""Start-up: a parent's first update is answered without waiting for the command menus or the embedding model.

A real ``parentvoice run`` process (``run_polling``, so ``post_init`` runs as in production) against the
stand-in, a real SQLite file. The stand-in holds or fails ``setMyCommands`` (its method fault injection):
the menus are 20 Bot API calls that change only with a release, so a slow or failing Telegram there must
never keep a parent waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from bot.demo import sample_inspection
from bot.i18n.languages import LANGUAGES
from bot.standin.server import StandIn
from bot.storage import inspections as inspections_repo
from bot.storage.db import Database
from tests.helpers.broadcast import until

ROOT = Path(__file__).resolve().parents[1]
PARENT = 870_001


@contextlib.asynccontextmanager
async def bot_process(standin: StandIn, db_path: Path, secret: str, log: Path) -> AsyncIterator[
        asyncio.subprocess.Process]:
    db = await Database.open(db_path)
    await inspections_repo.create(db, sample_inspection())
    await db.close()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:DEMO", "PARENTVOICE_SECRET": secret,
           "PARENTVOICE_DB": str(db_path), "TELEGRAM_API_BASE_URL": standin.base_url, "PYTHONPATH": str(ROOT)}
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        child = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=str(ROOT), env=env,
                                                     stdout=fd, stderr=fd)
    finally:
        os.close(fd)
    try:
        yield child
    finally:
        if child.returncode is None:
            child.terminate()
            try:
                await asyncio.wait_for(child.wait(), 30)
            except TimeoutError:
                child.kill()
                await child.wait()


async def answered(standin: StandIn, child: asyncio.subprocess.Process) -> None:
    async with asyncio.timeout(120):
        while not standin.successes(PARENT):
            assert child.returncode is None, "the bot exited before answering"
            await asyncio.sleep(0.01)


async def test_the_first_update_is_answered_while_set_my_commands_hangs(tmp_path, secret):
    async with StandIn() as standin:
        standin.hold("setMyCommands")                       # Telegram takes its time over the menus
        await standin.send_message(PARENT, "/start derby26", language_code="en")
        async with bot_process(standin, tmp_path / "bot.db", secret, tmp_path / "bot.log") as child:
            await answered(standin, child)
            assert standin.commands() == []                 # not one menu was set when the parent was answered
            await until(lambda: standin.held("setMyCommands") == 1, timeout=60)
            await standin.send_message(PARENT, "/help", language_code="en")
            await until(lambda: standin.successes(PARENT) >= 2, timeout=60)   # answered while a menu call hangs
            standin.release("setMyCommands")
            # The held call timed out or was answered; either way every language's menu ends up set.
            await until(lambda: all(standin.commands(language.iso if language.code != "en" else "")
                                    for language in LANGUAGES), timeout=90)
            assert child.returncode is None


async def test_the_first_update_is_answered_when_set_my_commands_fails_and_it_is_tried_once_more(tmp_path, secret):
    log = tmp_path / "bot.log"
    async with StandIn() as standin:
        standin.fail_method("setMyCommands", 500)           # every time
        await standin.send_message(PARENT, "/start derby26", language_code="en")
        async with bot_process(standin, tmp_path / "bot.db", secret, log) as child:
            await answered(standin, child)
            await until(lambda: "command menus not set" in log.read_text(), timeout=90)
            assert standin.calls("setMyCommands") == 2      # one try and one more, then left alone
            assert child.returncode is None                 # a convenience that failed: the bot runs on
            await standin.send_message(PARENT, "/help", language_code="en")
            await until(lambda: standin.successes(PARENT) >= 2, timeout=60)
