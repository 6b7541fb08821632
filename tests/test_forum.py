"""Forums end to end: linking chats, what a parent may not do, the share kit, and reach (counts only)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import numpy as np
import pytest
import segno
from matplotlib import image

from bot.demo import DEMO_AREA, sample_inspection
from bot.inspection import deep_link, london_today
from bot.privacy.pseudonym import pseudonym
from bot.standin.user import plain
from bot.storage import parents as parents_repo
from bot.storage.db import now_iso
from bot.storage.parents import Parent
from tests.conftest import rows
from tests.helpers.broadcast import (
    db_of,
    forum_bot,
    link_channel,
    make_forum,
)

pytestmark = pytest.mark.usefixtures("features")

FORUM = 5001
UNKNOWN = "Sorry, I do not know that command"


async def test_a_forum_links_a_channel_lists_and_unlinks_it(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, _service):
        forum = run.user(FORUM)
        await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        assert "no linked channels" in forum.last_text()
        await link_channel(run, forum, -1002000000001, "Derby SEND Families")
        await forum.send("/chats")
        assert "Derby SEND Families" in forum.last_text() and "channel" in forum.last_text()

        # A group, declined.
        run.standin.add_chat(-1002000000002, "supergroup", title="Chat group", bot_member=False)
        update = run.standin.set_bot_status(-1002000000002, "member", by_user_id=FORUM)
        await run.tracker.wait(update["update_id"])
        assert "group Chat group" in forum.texts()[-1]
        await forum.press("No")
        assert "Not linked" in forum.last_text()

        await forum.send("/unlink")
        await forum.press("Derby SEND Families")
        assert "Unlinked" in forum.last_text()
        await forum.send("/chats")
        assert "no linked channels" in forum.last_text()
    assert await rows(db_path, "SELECT chat_id FROM forum_chats") == []
    actions = [a for (a,) in await rows(db_path, "SELECT action FROM audit ORDER BY id")]
    assert "chat.linked" in actions and "chat.unlinked" in actions


async def test_removing_the_bot_unlinks_and_someone_without_the_role_links_nothing(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, _service):
        forum = run.user(FORUM)
        await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        await link_channel(run, forum, -1002000000003, "News")
        update = run.standin.set_bot_status(-1002000000003, "left", by_user_id=FORUM)
        await run.tracker.wait(update["update_id"])
        assert await rows(db_path, "SELECT chat_id FROM forum_chats") == []

        stranger = run.user(6001)
        await stranger.send("/start")
        before = len(run.standin.sent(6001))
        run.standin.add_chat(-1002000000004, "channel", title="Not a forum", bot_member=False)
        update = run.standin.set_bot_status(-1002000000004, "administrator", by_user_id=6001)
        await run.tracker.wait(update["update_id"])
        assert len(run.standin.sent(6001)) == before              # silent
        assert run.standin.sent(-1002000000004) == []
    assert await rows(db_path, "SELECT chat_id FROM forum_chats") == []


async def test_a_parent_cannot_use_forum_commands_and_learns_nothing(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, _service):
        parent = run.user(1501)
        await parent.send("/frobnicate")
        unknown_reply = parent.last_text()
        assert UNKNOWN in unknown_reply
        for command in ("/announce", "/sharekit", "/reach", "/chats", "/unlink"):
            await parent.send(command)
            assert parent.last_text() == unknown_reply, command
        for data in ("fpost:derby26:1", "fins:r:derby26", "fgo:k:derby26:3", "flink:n1001:yes", "funlink:n1001"):
            await parent.press_data(data)
            assert parent.last_text() == unknown_reply, data
        assert not run.standin.unanswered_callbacks()
    assert await rows(db_path, "SELECT * FROM broadcasts") == []
    assert await rows(db_path, "SELECT * FROM outbox") == []


async def test_stale_or_forged_forum_buttons_change_nothing(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, _service):
        forum = run.user(FORUM)
        await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        for data in ("fpost:nosuch:1", "flang:a:derby26:zz", "flang:a:derby26:fffffff", "fins:x:derby26",
                     "funlink:n42", "flink:n42:yes"):
            await forum.press_data(data)
            assert "earlier message" in run.standin.callback_answers()[-1]["text"], data
    assert await rows(db_path, "SELECT * FROM broadcasts") == []


async def test_confirming_twice_posts_once(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        forum = run.user(FORUM)
        await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        await link_channel(run, forum, -1002000000005, "News")
        await forum.send("/announce")
        await forum.press("Derby")
        await forum.press("Preview")
        confirm = forum.keyboard_message()
        data = next(b["callback_data"] for row in confirm["reply_markup"]["inline_keyboard"] for b in row
                    if b["text"] == "Yes, send it")
        await forum.press_data(data, confirm["message_id"])
        await forum.press_data(data, confirm["message_id"])
        assert "already been sent" in forum.last_text()
        await service.drained()
        assert run.standin.successes(-1002000000005) == 1


async def test_share_kit_gives_texts_a_qr_code_and_a_file(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, _service):
        forum = run.user(FORUM)
        code = await make_forum(run, secret, FORUM)
        await forum.send("/sharekit")
        await forum.press("Derby")
        await forum.press("Polski")
        await forum.press("Make the share kit")
        link = deep_link("ParentVoiceBot", run.inspection.id, code)
        records = run.standin.sent(FORUM)
        texts = "\n".join(plain(r["text"] or "") for r in records)
        assert link in texts and "WhatsApp" in texts and "SMS" in texts and "Email" in texts
        assert "Polski" in texts and "English" in texts
        photo = next(r for r in records if r["method"] == "sendPhoto")
        document = next(r for r in records if r["method"] == "sendDocument")
        qr = image.imread(io.BytesIO(run.standin.file_bytes(FORUM, photo["message_id"])))
        text = run.standin.file_bytes(FORUM, document["message_id"]).decode("utf-8")
    assert text.count(link) >= 4 and "== Polski ==" in text and "https://example.org/official" in text
    # The PNG is the QR code of the link: sample the centre of each module (scale 8, border 4).
    expected = np.array(segno.make(link, error="m", micro=False).matrix, dtype=bool)
    grey = qr[..., :3].mean(axis=-1) if qr.ndim == 3 else qr
    centres = (np.arange(expected.shape[0]) + 4) * 8 + 4
    assert np.array_equal(grey[np.ix_(centres, centres)] < 0.5, expected)


async def test_reach_shows_only_suppressed_counts_and_never_answers(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, _service):
        forum = run.user(FORUM)
        code = await make_forum(run, secret, FORUM)
        db = db_of(run)
        today = london_today()
        # 14 Polish + 12 English + 3 Urdu + 1 Arabic from this forum's link; 15 from elsewhere.
        langs = ["pl"] * 14 + ["en"] * 12 + ["ur"] * 3 + ["ar"] + ["en"] * 15
        async with db.transaction():
            for n, lang in enumerate(langs):
                respondent = pseudonym(secret, 40_000 + n)
                await parents_repo.save_parent(db, Parent(respondent, language=lang, consent_at=now_iso(),
                                                          area_code=DEMO_AREA))
                started = f"{(today - timedelta(days=1)).isoformat()}T12:00:00+00:00" if n < 20 else now_iso()
                submitted = started if n % 3 == 0 else None
                cur = await db.conn.execute(
                    "INSERT INTO responses (respondent, inspection_id, questionnaire_id, questionnaire_version,"
                    " language, source, state, status, started_at, updated_at, submitted_at)"
                    " VALUES (?, ?, 'area_send', 1, ?, ?, '{}', ?, ?, ?, ?)",
                    (respondent, run.inspection.id, lang, code if n < 30 else None,
                     "submitted" if submitted else "in_progress", started, started, submitted))
                await db.execute("INSERT INTO answers (response_id, question_id, value, questionnaire_version,"
                                 " text_language, answered_at) VALUES (?, 'inspectors_should_know', ?, 1, ?, ?)",
                                 (cur.lastrowid, '"SECRET ANSWER about Mrs Patel"', lang, started))
        await forum.send("/reach")
        await forum.press("Derby")
        shown = forum.last_text()
    assert "SECRET" not in shown and "Patel" not in shown
    assert "Families who started the survey: 30" in shown
    assert "Families who sent their answers: 10" in shown
    # Started: Polski 14 is named; Urdu 3 + Arabic 1 would make a pool of 4, which the total would reveal,
    # so English (12) joins the pool too.
    assert "Polski: 14" in shown and "Other languages: 16" in shown and "English: 12" not in shown
    assert "اردو" not in shown and "العربية" not in shown
    assert "All languages: 10" in shown                               # sent: every language under 10
    assert "from any link: started 45, sent not shown" in shown     # 15 - 10 = 5 others would be revealed
    counts = re.findall(r"(?:started|sent) (\d+)", shown)
    assert counts and all(int(n) >= 10 for n in counts)
    assert "started 20, sent fewer than 10" in shown and "started 10, sent fewer than 10" in shown
