"""A parent's step is one commit: the answer, the update's processed mark and its sealed inbox row's removal.

Real python-telegram-bot over HTTP against the stand-in and a real SQLite file. SQLite's trace of the bot's own
connection shows which statements ran inside the step's transaction. Before this, every update cost two more
commits of its own (the inbox row's removal after the step), which halved the survey's throughput; a removal
outside the step's transaction could also leave a handled update's sealed text behind after a crash.
"""

from __future__ import annotations

import re

from bot.storage.db import Database
from tests.conftest import rows

PAYLOAD = "derby26"


def _writes_outside_transactions(statements: list[str]) -> list[str]:
    outside, depth = [], 0
    for sql in statements:
        word = sql.split(None, 1)[0].upper() if sql.strip() else ""
        if word == "BEGIN":
            depth += 1
        elif word in ("COMMIT", "ROLLBACK"):
            depth -= 1
        elif depth == 0 and word in ("INSERT", "DELETE", "UPDATE", "REPLACE"):
            outside.append(sql)
    return outside


async def test_a_press_removes_its_inbox_row_in_the_steps_own_transaction(bot, db_path):
    parent = bot.user(5101, "en")
    await parent.send(f"/start {PAYLOAD}")
    await parent.press("English")
    db: Database = bot.app.bot_data["deps"].db
    statements: list[str] = []
    await db.conn.set_trace_callback(statements.append)
    try:
        await parent.press("Yes, I agree")
        await parent.press("A parent or carer")
    finally:
        await db.conn.set_trace_callback(None)
    inbox_deletes = [s for s in statements if re.match(r"\s*DELETE FROM inbox", s)]
    assert len(inbox_deletes) == 2, statements
    # Apart from keeping each fetched update (before it is queued, so before its step), nothing is written
    # outside a transaction: the mark and the inbox row's removal commit with the answer.
    outside = [s for s in _writes_outside_transactions(statements) if not s.lstrip().startswith("INSERT OR IGNORE INTO inbox")]
    assert outside == []
    assert await rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)]
    assert await rows(db_path, "SELECT COUNT(*) FROM answers") == [(1,)]


async def test_an_update_whose_handling_writes_nothing_is_still_marked_and_cleared(bot, db_path):
    parent = bot.user(5102, "en")
    await parent.send(f"/start {PAYLOAD}")
    before = await rows(db_path, "SELECT COUNT(*) FROM processed_updates")
    await parent.send("/help")                                  # answered without a transaction of its own
    assert await rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)]
    after = await rows(db_path, "SELECT COUNT(*) FROM processed_updates")
    assert after[0][0] == before[0][0] + 1
