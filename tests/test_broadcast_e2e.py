"""Broadcasting end to end: real python-telegram-bot, real HTTP to the stand-in, a real SQLite file.

Sending rates are fast here (see FAST in test_broadcast_fixtures) but the stand-in enforces limits just
above them, so it is the sender's own pacing that keeps it from being refused.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.broadcast import queue
from bot.broadcast.commands import publish_report
from bot.demo import DEMO_AREA, sample_inspection
from bot.i18n.catalog import translator
from bot.inspection import Inspection, london_today, make_payload
from bot.privacy.pseudonym import pseudonym
from bot.standin.server import StandIn
from bot.standin.user import plain
from bot.storage import contacts
from bot.storage import inspections as inspections_repo
from bot.storage.db import Database, now_iso
from tests.conftest import rows
from tests.helpers.broadcast import (
    announce,
    db_of,
    forum_bot,
    link_channel,
    make_forum,
    seed_subscribers,
    send_env,
    start_payload,
    until,
)

pytestmark = pytest.mark.usefixtures("features")

FORUM = 5001
ROOT = Path(__file__).resolve().parents[1]
CHANNEL = -1001000000001
LANGS = ("en", "pl", "ro", "ur", "ar", "bn", "so", "uk")


def _sent_texts(run, chat_id: int) -> list[str]:
    return [plain(r["text"] or "") for r in run.standin.sent(chat_id, methods=["sendMessage"])]


async def test_500_subscribers_with_429s_and_403s_each_delivered_exactly_once(db_path, secret,
                                                                              monkeypatch):
    send_env(monkeypatch, messages_per_second=160)
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        run.standin.enforce_limits(per_chat_per_second=None, global_per_second=200, per_group_per_minute=None)
        forum = run.user(FORUM)
        await make_forum(run, secret, FORUM)
        people = [(900_000 + i, LANGS[i % len(LANGS)]) for i in range(500)]
        await seed_subscribers(run, secret, people, DEMO_AREA)
        ids = [uid for uid, _ in people]
        blocked, deactivated = ids[10:30], ids[40:45]
        flooded, flaky = ids[100:101], ids[200:203]
        for uid in blocked:
            run.standin.fail(uid, 403)                                  # "bot was blocked by the user"
        for uid in deactivated:
            run.standin.fail(uid, 403, "Forbidden: user is deactivated")
        for uid in flooded:
            run.standin.fail(uid, 429, retry_after=1, times=1)
        for uid in flaky:
            run.standin.fail(uid, 502, times=2)                        # NetworkError twice, then fine

        await forum.send("/chats")
        await announce(forum, "Derby")
        await service.drained(timeout=60)

        gone = set(blocked) | set(deactivated)
        for uid in ids:
            expected = 0 if uid in gone else 1
            assert run.standin.successes(uid) == expected, uid
        # No refusal beyond the injected ones: the sender's pacing kept under the stand-in's limit.
        for uid in ids:
            injected = 1 if uid in flooded else 2 if uid in flaky else 0
            if uid not in gone:
                assert run.standin.attempts(uid) == 1 + injected, uid
        db = db_of(run)
        for uid in gone:
            assert not await contacts.is_subscribed(db, pseudonym(secret, uid))
        assert await contacts.is_subscribed(db, pseudonym(secret, ids[0]))
    counted = dict(await rows(db_path, "SELECT state, COUNT(*) FROM outbox GROUP BY state"))
    assert counted == {"sent": 475, "blocked": 25}


async def test_announcement_in_four_languages_reaches_parents_who_start_from_the_button(db_path, secret):
    async with forum_bot(db_path, secret, None) as (run, service):
        forum = run.user(FORUM)
        code = await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        await link_channel(run, forum, CHANNEL, "Derby SEND Families")
        parents = {"en": run.user(7001, "en"), "pl": run.user(7002, "pl"), "ur": run.user(7003, "ur"),
                   "ar": run.user(7004, "ar")}
        for parent in parents.values():                 # before any inspection: they ask for news
            await parent.send("/start")
            await parent.press(0)                       # their own language, suggested first
            await parent.press(0)                       # yes, I agree
            await parent.send("Derby")
            assert "no inspection survey" in parent.last_text() or "Derby" in parent.last_text()
            await parent.send("/subscribe")
        today = london_today()
        inspection = Inspection("derby27", DEMO_AREA, today, today + timedelta(days=5),
                                visit_starts=today + timedelta(days=12), visit_ends=today + timedelta(days=14))
        await inspections_repo.create(db_of(run), inspection)

        await announce(forum, "Derby", ["Polski", "اردو", "العربية"])
        await service.drained()

        post = "\n".join(_sent_texts(run, CHANNEL))
        link_payload = make_payload(inspection.id, code)
        for lang, parent in parents.items():
            t = translator(lang)
            assert t.date(inspection.survey_opens) in post and t.date(inspection.survey_closes) in post
            private = [r for r in run.standin.sent(parent.chat) if r.get("reply_markup")][-1]
            assert t.date(inspection.survey_closes) in plain(private["text"])
            url = private["reply_markup"]["inline_keyboard"][0][0]["url"]
            assert start_payload(url) == link_payload
            await parent.send(f"/start {start_payload(url)}")      # what tapping the button does
        assert translator("pl").date(inspection.survey_opens) != translator("en").date(inspection.survey_opens)
        post_buttons = run.standin.sent(CHANNEL)[-1]["reply_markup"]["inline_keyboard"]
        assert all(start_payload(row[0]["url"]) == link_payload for row in post_buttons)
    assert await rows(db_path, "SELECT DISTINCT source, language FROM responses ORDER BY language") == [
        (code, "ar"), (code, "en"), (code, "pl"), (code, "ur")]


async def test_a_broadcast_stopped_half_way_resumes_with_a_new_application_and_sends_the_rest_once(
        db_path, secret, monkeypatch):
    send_env(monkeypatch, messages_per_second=40)
    people = [(800_000 + i, "en") for i in range(120)]
    ids = [uid for uid, _ in people]
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        first = run.standin
        await seed_subscribers(run, secret, people, DEMO_AREA)
        async with db_of(run).transaction():
            await queue.report(db_of(run), run.inspection, "https://reports.example.org/derby")
        service.wake()
        await until(lambda: sum(first.successes(uid) for uid in ids) >= 30)
    states = dict(await rows(db_path, "SELECT state, COUNT(*) FROM outbox GROUP BY state"))
    assert 30 <= states["sent"] < 120 and states["queued"] == 120 - states["sent"]
    assert "sending" not in states and "unknown" not in states   # a graceful stop waits for requests in flight

    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        for uid in ids:
            run.standin.add_chat(uid, "private")
        service.wake()
        await service.drained()
        for uid in ids:
            assert first.successes(uid) + run.standin.successes(uid) == 1, uid
    assert dict(await rows(db_path, "SELECT state, COUNT(*) FROM outbox GROUP BY state")) == {"sent": 120}


CHILD = """
import asyncio, sys
from telegram import Bot
from bot.broadcast.sender import Sender
from bot.broadcast.settings import SendSettings
from bot.storage.db import Database

async def main(db_path, secret, base_url):
    async with Bot("123456:DEMO", base_url=base_url) as bot:
        db = await Database.open(db_path, migrate=False)
        sender = Sender(bot, db, secret, SendSettings(messages_per_second=60, concurrency=4))
        await sender.start()
        print("ready", flush=True)
        await asyncio.Event().wait()

asyncio.run(main(*sys.argv[1:]))
"""


async def _subscribers_with_a_queued_report(standin, db_path, secret, people, inspection) -> None:
    """Private chats on the stand-in, consenting subscribed parents in the database, and one report queued."""
    from bot.storage import parents as parents_repo
    from bot.storage.parents import Parent

    for uid, _ in people:
        standin.add_chat(uid, "private")
    db = await Database.open(db_path)
    await inspections_repo.create(db, inspection)
    async with db.transaction():
        for uid, lang in people:
            r = pseudonym(secret, uid)
            await parents_repo.save_parent(db, Parent(r, language=lang, consent_at=now_iso(),
                                                      area_code=inspection.area_code))
            await contacts.subscribe(db, secret, r, uid)
        await queue.report(db, inspection, "https://reports.example.org/derby")
    await db.close()


async def _start_sender(code: str, db_path, secret: str, base_url: str) -> asyncio.subprocess.Process:
    """The sending loop in a process of its own, so that a test can kill it mid-broadcast."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, str(db_path), secret, base_url,
        cwd=str(ROOT), stdout=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})


async def test_kill_9_mid_broadcast_then_restart_sends_nothing_twice(db_path, secret):
    people = [(700_000 + i, "pl") for i in range(150)]
    ids = [uid for uid, _ in people]
    inspection = sample_inspection()
    async with StandIn() as first:
        await _subscribers_with_a_queued_report(first, db_path, secret, people, inspection)
        child = await _start_sender(CHILD, db_path, secret, first.base_url)
        while sum(first.successes(uid) for uid in ids) < 40:
            assert child.returncode is None
            await asyncio.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)
        await child.wait()
        assert sum(first.successes(uid) for uid in ids) < 150

    async with forum_bot(db_path, secret, None) as (run, service):
        for uid in ids:
            run.standin.add_chat(uid, "private")
        service.wake()
        await service.drained()
        totals = {uid: first.successes(uid) + run.standin.successes(uid) for uid in ids}
    assert max(totals.values()) == 1                                  # nobody got it twice
    states = dict(await rows(db_path, "SELECT state, COUNT(*) FROM outbox GROUP BY state"))
    assert set(states) <= {"sent", "unknown"} and sum(states.values()) == 150
    missing = sum(1 for n in totals.values() if n == 0)
    assert missing <= states.get("unknown", 0) <= 4                   # at most `concurrency` were in doubt


async def test_reminder_goes_only_to_subscribers_who_have_not_submitted_and_only_once(db_path, secret):
    today = london_today()
    closing = Inspection("soon26", DEMO_AREA, today - timedelta(days=3), today + timedelta(days=1))
    people = [(600_001, "en"), (600_002, "pl"), (600_003, "en")]
    async with forum_bot(db_path, secret, None) as (run, service):
        await inspections_repo.create(db_of(run), closing)
        await seed_subscribers(run, secret, people, DEMO_AREA)
        db = db_of(run)
        await db.execute("INSERT INTO responses (respondent, inspection_id, questionnaire_id, questionnaire_version,"
                         " language, state, status, started_at, updated_at, submitted_at)"
                         " VALUES (?, ?, 'area_send', 1, 'en', '{}', 'submitted', ?, ?, ?)",
                         (pseudonym(secret, 600_003), closing.id, now_iso(), now_iso(), now_iso()))
        service.wake()
        await until(lambda: rows(db_path, "SELECT 1 FROM scheduled WHERE state = 'done'"))
        await service.drained()
        assert "closes on" in plain(run.standin.sent(600_001)[-1]["text"])
        assert translator("pl").date(closing.survey_closes) in plain(run.standin.sent(600_002)[-1]["text"])
        assert run.standin.successes(600_003) == 0
    async with forum_bot(db_path, secret, None) as (run, service):          # restart: re-armed, not repeated
        for uid, _ in people:
            run.standin.add_chat(uid, "private")
        await service.run_due()
        await service.drained()
        assert all(run.standin.successes(uid) == 0 for uid, _ in people)
    assert await rows(db_path, "SELECT kind, inspection_id, state FROM scheduled") == [("reminder", "soon26", "done")]


async def test_reminders_are_armed_from_the_database_at_start_up(db_path, secret, monkeypatch):
    send_env(monkeypatch, reminder_hours=48)            # the survey closes in 6 days: not due at start-up
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        await seed_subscribers(run, secret, [(610_001, "en")], DEMO_AREA)
        for _ in range(100):                                         # the start-up pass runs in the background
            armed = await rows(db_path, "SELECT kind, inspection_id, state FROM scheduled")
            if armed:
                break
            await asyncio.sleep(0.05)
        assert armed == [("reminder", "derby26", "pending")], armed   # armed from the database at start-up
        assert run.standin.successes(610_001) == 0
        five_days_on = datetime.now(UTC) + timedelta(days=5)        # within 48 hours of closing
        assert await service.run_due(now=five_days_on) == 1
        await service.drained()
        assert run.standin.successes(610_001) == 1
        assert "Reminder" in plain(run.standin.sent(610_001)[-1]["text"])


async def test_publishing_the_report_tells_subscribers_in_their_language_once(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        await seed_subscribers(run, secret, [(620_001, "en"), (620_002, "uk")], DEMO_AREA)
        url = "https://reports.example.org/derby-send-2026"
        assert await publish_report(db_path, run.inspection.id, url) == 0     # from the CLI, another connection
        assert await publish_report(db_path, run.inspection.id, url) == 0     # twice: nobody told twice
        assert await publish_report(db_path, "nosuch", url) == 2
        assert await publish_report(db_path, run.inspection.id, "javascript:alert(1)") == 2
        # Picked up by the idle poll: the CLI's process cannot wake the sender.
        await until(lambda: run.standin.successes(620_001) + run.standin.successes(620_002) == 2)
        await service.drained()
        for uid in (620_001, 620_002):
            assert run.standin.successes(uid) == 1
            record = run.standin.sent(uid)[-1]
            assert record["reply_markup"]["inline_keyboard"][0][0]["url"] == url
    assert await rows(db_path, "SELECT report_url FROM inspections") == [(url,)]


async def test_stopped_unsubscribed_and_deleted_parents_get_nothing(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        people = [(630_001, "en"), (630_002, "en"), (630_003, "en"), (630_004, "en")]
        await seed_subscribers(run, secret, people, DEMO_AREA)
        stopper, leaver, deleter, _keeper = (run.user(uid) for uid, _ in people)
        await stopper.send("/stop")
        await leaver.send("/unsubscribe")
        assert "no more news" in leaver.last_text()
        await deleter.send("/delete")
        await deleter.press("Yes, delete everything")
        since = run.standin.last_seq
        async with db_of(run).transaction():
            await queue.report(db_of(run), run.inspection, "https://reports.example.org/x")
        service.wake()
        await service.drained()
        assert [len(run.standin.sent(uid, since)) for uid, _ in people] == [0, 0, 0, 1]
        assert "report" in plain(run.standin.sent(630_004)[-1]["text"])


async def test_sending_at_telegrams_own_rate_is_never_refused(db_path, secret, monkeypatch):
    # The sender's rate is the stand-in's limit itself (no headroom): its window, anchored on the stand-in's
    # answers, must keep every second at or under it. Failed before: evenly spaced sends at the rate drew 429s.
    send_env(monkeypatch, messages_per_second=40, per_chat_interval=1.0, concurrency=3)
    people = [(650_000 + i, "en") for i in range(200)]
    ids = [uid for uid, _ in people]
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        run.standin.enforce_limits(per_chat_per_second=1, global_per_second=40, per_group_per_minute=20)
        await seed_subscribers(run, secret, people, DEMO_AREA)
        async with db_of(run).transaction():
            await queue.report(db_of(run), run.inspection, "https://reports.example.org/derby")
        service.wake()
        await service.drained(timeout=120)
        refused = sum(run.standin.attempts(uid) - run.standin.successes(uid) for uid in ids)
        assert refused == 0
        assert all(run.standin.successes(uid) == 1 for uid in ids)
    assert dict(await rows(db_path, "SELECT state, COUNT(*) FROM outbox GROUP BY state")) == {"sent": 200}


DEFAULT_CHILD = CHILD.replace("SendSettings(messages_per_second=60, concurrency=4)", "SendSettings(messages_per_second=60)")


async def test_a_kill_with_requests_in_flight_leaves_only_those_in_doubt_and_no_more_than_the_default_concurrency(
        db_path, secret):
    from bot.broadcast.settings import SendSettings

    people = [(720_000 + i, "pl") for i in range(60)]
    ids = [uid for uid, _ in people]
    inspection = sample_inspection()
    async with StandIn() as first:
        await _subscribers_with_a_queued_report(first, db_path, secret, people, inspection)
        child = await _start_sender(DEFAULT_CHILD, db_path, secret, first.base_url)
        try:
            await until(lambda: sum(first.successes(uid) for uid in ids) >= 10, timeout=60)
            first.hold("sendMessage")                  # Telegram stops answering: every free slot fills up
            await until(lambda: first.held("sendMessage") == SendSettings().concurrency, timeout=30)
            await asyncio.sleep(0.3)                   # room for a row claimed beyond its slots to show, if any
            in_doubt = dict(await rows(db_path, "SELECT state, COUNT(*) FROM outbox GROUP BY state")).get("sending")
            assert in_doubt == first.held("sendMessage")   # 'sending' means exactly "its request is out"
        finally:
            os.kill(child.pid, signal.SIGKILL)
            await child.wait()
        delivered = {uid: first.successes(uid) for uid in ids}

    async with forum_bot(db_path, secret, None) as (run, service):
        for uid in ids:
            run.standin.add_chat(uid, "private")
        service.wake()
        await service.drained()
        totals = {uid: delivered[uid] + run.standin.successes(uid) for uid in ids}
    assert max(totals.values()) == 1                                  # nobody got it twice
    states = dict(await rows(db_path, "SELECT state, COUNT(*) FROM outbox GROUP BY state"))
    assert states == {"sent": 60 - in_doubt, "unknown": in_doubt}
    assert in_doubt <= 3                                              # the doubt a crash leaves is small
    assert sum(1 for n in totals.values() if n == 0) == in_doubt      # held, never answered: those are lost
