"""Thirty parents in five languages answer through the stand-in; an inspector gets the summary and the file."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.inspection import london_today
from bot.storage.db import Database
from bot.telegram.inspector import send_final_reports
from tests.conftest import rows
from tests.helpers.answers import EHC_PLAN_ROUTE, STORIES
from tests.helpers.staff import inspector_of

ANSWER_TABLES = ("parents", "responses", "answers", "answer_themes", "answer_flags", "answer_comments")


async def answer_tables_text(db_path) -> str:
    """Every row of the tables about parents and their answers, as text (ids, pseudonyms, JSON values)."""
    found = [row for table in ANSWER_TABLES for row in await rows(db_path, f"SELECT * FROM {table}")]
    return "\n".join(repr(row) for row in found)


async def answer_as(run, user_id: int, code: str) -> None:
    parent = run.user(user_id, code)
    await parent.send("/start derby26")
    await parent.press_callback(f"lang:{code}")
    await parent.press_callback("consent:yes")
    for kind, question, choice in EHC_PLAN_ROUTE:
        data = ":".join(x for x in (kind, question, choice) if x)
        await parent.press_callback(data)
    await parent.send(STORIES[code])
    if parent.keyboard_message() and any(b.get("callback_data") == "thok:inspectors_should_know"
                                         for b in parent.buttons()):
        await parent.press_callback("thok:inspectors_should_know")
    await parent.press_callback("pick:quote_ok:yes")
    await parent.press_callback("submit")


async def test_thirty_parents_in_five_languages_and_an_inspector_reads_the_evidence(bot, db_path, secret):
    user_id = 6000
    for code in STORIES:
        for _ in range(6):
            user_id += 1
            await answer_as(bot, user_id, code)
    assert await rows(db_path, "SELECT COUNT(*) FROM responses WHERE status = 'submitted'") == [(30,)]

    inspector = await inspector_of(bot, db_path, secret, 7001)
    await inspector.send("/summary")
    records = bot.standin.sent(7001)
    summary = next(r["text"] for r in records if r.get("text") and "30" in r["text"])
    assert "parents" in summary.lower()
    assert any(r.get("photo") for r in records), "the summary comes with a chart"
    await inspector.send("/report")
    document = [r for r in bot.standin.sent(7001) if r.get("document")][-1]
    html = bot.standin.file_bytes(7001, document["message_id"]).decode()
    assert '<html' in html and 'dir="rtl"' in html and STORIES["ar"][:20] in html
    assert re.search(r"\b30\b", html)
    # No Telegram id of anyone here reaches the report or the answer tables. First check that these numbers
    # are the users' ids: the bot wrote to each of them as a private chat.
    people = [inspector.user_id, *range(6001, user_id + 1)]
    assert people[0] == 7001 and len(people) == 31 and all(bot.standin.sent(person) for person in people)
    answer_tables = await answer_tables_text(db_path)
    assert answer_tables.count("'submitted'") == 30  # the answers are really there to search
    for person in people:
        assert not re.search(rf"\b{person}\b", html), f"Telegram id {person} in the report"
        assert not re.search(rf"\b{person}\b", answer_tables), f"Telegram id {person} in the answer tables"

    # Another inspection's inspector sees nothing of this one.
    db = await Database.open(db_path)
    await db.execute("INSERT INTO inspections (id, area_code, survey_opens, survey_closes, created_at)"
                     " VALUES ('leeds1', 'E08000035', '2026-01-01', '2026-01-05', 'now')")
    await db.close()
    other = await inspector_of(bot, db_path, secret, 7002, "leeds1")
    await other.send("/summary derby26")
    assert "do not know that command" in other.last_text()
    await other.send("/report derby26")
    assert not [r for r in bot.standin.sent(7002) if r.get("document")]

    # When the survey closes, the inspector receives the final report once.
    db = await Database.open(db_path)
    closed = (london_today() - timedelta(days=1)).isoformat()
    await db.execute("UPDATE inspections SET survey_closes = ?, survey_opens = ? WHERE id = 'derby26'",
                     (closed, (london_today() - timedelta(days=9)).isoformat()))
    before = len([r for r in bot.standin.sent(7001) if r.get("document")])
    assert await send_final_reports(bot.app, db, london_today()) == 2  # derby26's inspector, and leeds1's
    assert await send_final_reports(bot.app, db, london_today()) == 0
    await db.close()
    assert len([r for r in bot.standin.sent(7001) if r.get("document")]) == before + 1


async def test_a_small_inspection_shows_no_figures_at_all(bot, db_path, secret):
    for n in range(3):
        await answer_as(bot, 6500 + n, "en")
    inspector = await inspector_of(bot, db_path, secret, 7003)
    await inspector.send("/summary")
    text = inspector.last_text()
    assert "fewer than 10" in text.lower()
    assert not re.search(r"\b3\b", text)
