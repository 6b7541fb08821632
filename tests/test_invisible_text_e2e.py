"""Invisible and control characters in a parent's free text, end to end (issue 13, point 10).

A message of zero-width characters only is refused kindly, nothing is stored and the question is asked again;
terminal escape sequences are removed before the answer is stored, so neither the database nor the inspector's
HTML report ever holds an ESC byte or an answer made only of invisible characters.
"""

from __future__ import annotations

from tests.conftest import rows
from tests.helpers.answers import EHC_PLAN_ROUTE, STORIES
from tests.helpers.staff import inspector_of

ZERO_WIDTH_ONLY = "\u200b\u200b"
ANSI = "\x1b[31mred\x1b[0m text: we waited two years for the EHC needs assessment"


async def to_free_text(run, user_id: int):
    """A parent at the first free-text question ("worked_well")."""
    parent = run.user(user_id, "en")
    await parent.send("/start derby26")
    await parent.press_callback("lang:en")
    await parent.press_callback("consent:yes")
    for kind, question, choice in EHC_PLAN_ROUTE[:-1]:
        await parent.press_callback(":".join(x for x in (kind, question, choice) if x))
    return parent


async def say(parent, text: str) -> str:
    before = len(parent.texts())
    await parent.send(text)
    return "\n".join(parent.texts()[before:])


async def finish(parent) -> None:
    if parent.keyboard_message() and any(str(b.get("callback_data", "")).startswith("thok:") for b in parent.buttons()):
        await parent.press_callback("thok:worked_well")
    await parent.press_callback("skip:inspectors_should_know")
    await parent.press_callback("pick:quote_ok:yes")
    await parent.press_callback("submit")


async def db_bytes(bot, db_path) -> bytes:
    await bot.app.bot_data["deps"].db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))


async def test_invisible_only_answers_are_refused_and_escapes_never_stored_or_reported(bot, db_path, secret):
    parent = await to_free_text(bot, 8001)
    refused = await say(parent, ZERO_WIDTH_ONLY)
    assert "Please type your answer again" in refused
    assert "worked well" in refused  # the question is asked again
    assert await rows(db_path, "SELECT value FROM answers WHERE question_id = 'worked_well'") == []
    taken = await say(parent, ANSI)
    assert "Please type your answer again" not in taken
    await finish(parent)
    stored = await rows(db_path, "SELECT value FROM answers WHERE question_id = 'worked_well'")
    assert len(stored) == 1 and stored[0][0].startswith('"red text: we waited'), stored

    user_id = 8100
    for _ in range(9):  # ten parents in all: enough for the report to show quotes
        user_id += 1
        parent = await to_free_text(bot, user_id)
        await say(parent, STORIES["en"])
        await finish(parent)
    assert await rows(db_path, "SELECT COUNT(*) FROM responses WHERE status = 'submitted'") == [(10,)]

    values = [v for (v,) in await rows(db_path, "SELECT value FROM answers")]
    assert values and not any("\x1b" in v or "\u200b" in v for v in values)
    assert b"[31m" not in await db_bytes(bot, db_path)  # not in the WAL or free pages either

    inspector = await inspector_of(bot, db_path, secret, 8900)
    await inspector.send("/report")
    document = [r for r in bot.standin.sent(8900) if r.get("document")][-1]
    html = bot.standin.file_bytes(8900, document["message_id"]).decode()
    assert "red text: we waited two years" in html  # the quote is there, without its escape codes
    assert "\x1b" not in html and "[31m" not in html and "\u200b" not in html
