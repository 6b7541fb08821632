"""The bot in groups, forum topics, upgraded groups and chats where it lost its rights, end to end.

Real python-telegram-bot over real HTTP against the stand-in, a real SQLite file, the real catalogs.
"""

from __future__ import annotations

import pytest

from bot.broadcast import queue
from bot.broadcast.unlinking import lost_rights_notice
from bot.demo import sample_inspection
from bot.i18n.catalog import translator
from bot.standin.user import plain
from bot.storage import forum_chats
from tests.conftest import rows
from tests.helpers.broadcast import (
    announce,
    db_of,
    forum_bot,
    link_channel,
    make_forum,
)

pytestmark = pytest.mark.usefixtures("features")

FORUM = 5001
GROUP = -1003000000001
POINTER = "message me privately"


async def _say(run, user_id: int, chat_id: int, text: str, **extra) -> list[dict]:
    """A member writes in a group; returns what the bot sent there in answer."""
    since = run.standin.last_seq
    update = await run.standin.send_message(user_id, text, chat_id=chat_id, chat_type="supergroup", **extra)
    if "update_id" in update:
        await run.tracker.wait(update["update_id"])
    return run.standin.sent(chat_id, since)


async def _link_group(run, forum, chat_id: int, title: str, **chat) -> None:
    run.standin.add_chat(chat_id, chat.pop("type", "supergroup"), title=title, bot_member=False, **chat)
    update = run.standin.set_bot_status(chat_id, "administrator", by_user_id=forum.user_id)
    await run.tracker.wait(update["update_id"])
    await forum.press("Yes, link it")
    assert "Linked" in forum.last_text()


async def test_in_a_group_the_bot_answers_only_what_is_addressed_to_it(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, _service):
        run.standin.add_chat(GROUP, "supergroup", title="Derby parents", bot_is_admin=True)
        for member in (11, 12):
            await run.tracker.wait(run.standin.add_member(GROUP, member)["update_id"])
        hello = await run.standin.send_message(11, "Hello everyone", chat_id=GROUP, chat_type="supergroup")
        await run.tracker.wait(hello["update_id"])
        # Chat between members, replies, mentions of others: the bot (an admin, so it sees it all) says nothing.
        assert await _say(run, 12, GROUP, "Hi Ann, welcome!", reply_to_message_id=hello["message"]["message_id"]) == []
        assert await _say(run, 12, GROUP, "@some_friend have a look at this") == []
        assert await _say(run, 12, GROUP, "/ban") == []                        # not one of the bot's commands
        # Addressed to it: a bare command of its own (no other bot here), /cmd@ThisBot, its @username.
        assert POINTER in (await _say(run, 12, GROUP, "/help"))[-1]["text"]
        assert POINTER in (await _say(run, 12, GROUP, "/start@ParentVoiceBot"))[-1]["text"]
        assert POINTER in (await _say(run, 12, GROUP, "How do I take part, @ParentVoiceBot?"))[-1]["text"]
        named = [{"type": "text_mention", "offset": 0, "length": 10, "user": run.standin.bot}]
        assert POINTER in (await _say(run, 12, GROUP, "ParentVoice, where is the survey?", entities=named))[-1]["text"]
        pointer = run.standin.sent(GROUP)[-1]["message_id"]
        assert await _say(run, 11, GROUP, "thanks", reply_to_message_id=pointer) == []

        # Another bot joins: its commands, and bare commands that could be for it, are left to it.
        await run.tracker.wait(run.standin.add_member(GROUP, 900, username="RulesBot", is_bot=True)["update_id"])
        rules = await run.standin.send_message(900, "Rules: be kind", chat_id=GROUP, chat_type="supergroup")
        assert "update_id" not in rules                                        # bots never see each other
        assert await _say(run, 12, GROUP, "/rules@RulesBot") == []
        assert await _say(run, 12, GROUP, "/start") == []
        assert await _say(run, 12, GROUP, "ok", reply_to_message_id=rules["message"]["message_id"]) == []
        assert POINTER in (await _say(run, 12, GROUP, "/start@ParentVoiceBot"))[-1]["text"]
    assert len([r for r in run.standin.sent(GROUP) if r["method"] == "sendMessage"]) == 5


async def test_in_a_forum_the_bot_answers_in_the_topic_and_posts_announcements_to_the_linked_topic(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        forum = run.user(FORUM)
        await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        await _link_group(run, forum, GROUP, "Derby SEND forum", is_forum=True)
        news = run.standin.create_topic(GROUP, "News", by_user_id=FORUM)
        chat = run.standin.create_topic(GROUP, "Chat", by_user_id=FORUM)

        # A member asks in the Chat topic: the answer is in that topic, not in General.
        answer = await _say(run, 12, GROUP, "/start@ParentVoiceBot", message_thread_id=chat)
        assert POINTER in answer[-1]["text"] and answer[-1]["message_thread_id"] == chat

        # General is closed; the forum picks the News topic for announcements, from inside it.
        run.standin.close_topic(GROUP)
        picked = await _say(run, FORUM, GROUP, "/topic@ParentVoiceBot", message_thread_id=news)
        assert "posted in this topic" in picked[-1]["text"] and picked[-1]["message_thread_id"] == news
        assert await rows(db_path, "SELECT thread_id FROM forum_chats WHERE chat_id = ?", (GROUP,)) == [(news,)]
        # Someone else's /topic changes nothing and gets the usual pointer.
        other = await _say(run, 12, GROUP, "/topic@ParentVoiceBot", message_thread_id=chat)
        assert POINTER in other[-1]["text"] and other[-1]["message_thread_id"] == chat

        since = run.standin.last_seq
        await announce(forum, "Derby")
        await service.drained()
        posts = run.standin.sent(GROUP, since)
        assert posts and all(r["message_thread_id"] == news for r in posts)
        assert "t.me/ParentVoiceBot?start=" in str(posts[-1]["reply_markup"])
    assert await rows(db_path, "SELECT state FROM outbox WHERE recipient = ?", (f"chat:{GROUP}",)) == [
        ("sent",)] * len(posts)


async def test_a_linked_group_upgraded_to_a_supergroup_keeps_its_link_under_the_new_id(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        forum = run.user(FORUM)
        await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        await _link_group(run, forum, -4001, "Small group", type="group")
        new_id = run.standin.migrate_chat(-4001, by_user_id=FORUM)
        for update in run.standin.pending_updates():
            await run.tracker.wait(update["update_id"])
        assert await rows(db_path, "SELECT chat_id, chat_type FROM forum_chats") == [(new_id, "supergroup")]
        await announce(forum, "Derby")
        await service.drained()
        assert run.standin.successes(new_id) >= 1
        assert run.standin.attempts(-4001) == 0
        assert run.standin.sent(-4001) == []
    assert await rows(db_path, "SELECT DISTINCT state FROM outbox WHERE recipient = ?", (f"chat:{new_id}",)) == [
        ("sent",)]


async def test_a_channel_where_the_bot_may_no_longer_post_is_unlinked_and_the_forum_told_in_its_language(
        db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, _service):
        forum = run.user(FORUM, "pl")
        await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        run.standin.add_chat(-1004000000001, "channel", title="Derby News", bot_member=False)
        update = run.standin.set_bot_status(-1004000000001, "administrator", by_user_id=FORUM)
        await run.tracker.wait(update["update_id"])
        await forum.press(0)                                              # "Tak, połącz" (yes, link it)
        assert await rows(db_path, "SELECT state FROM forum_chats") == [("linked",)]
        update = run.standin.set_bot_status(-1004000000001, "administrator", by_user_id=77, can_post=False)
        await run.tracker.wait(update["update_id"])
        notice = forum.last_text()
    assert await rows(db_path, "SELECT chat_id FROM forum_chats") == []
    assert "Derby News" in notice and notice == plain(lost_rights_notice(translator("pl"), "Derby News"))
    assert notice != plain(lost_rights_notice(translator("en"), "Derby News"))


async def test_a_send_refused_for_lack_of_rights_unlinks_the_chat_once_and_tells_the_forum(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        forum = run.user(FORUM)
        await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        await link_channel(run, forum, -1004000000002, "Parents news")
        await _link_group(run, forum, -1004000000003, "Parents chat")
        run.standin.add_chat(-1004000000002, "channel", title="Parents news", can_post=False)   # silently
        run.standin.world.chats[-1004000000003].bot_status = "restricted"                    # silently too
        await announce(forum, "Derby")
        await service.drained()
        notices = [t for t in forum.texts() if "can no longer post" in t]
        assert len(notices) == 2 and "Parents news" in " ".join(notices) and "Parents chat" in " ".join(notices)
        tried = run.standin.attempts(-1004000000002), run.standin.attempts(-1004000000003)
        await forum.send("/chats")
        assert "no linked channels" in forum.last_text()
        assert (run.standin.attempts(-1004000000002), run.standin.attempts(-1004000000003)) == tried
    assert await rows(db_path, "SELECT chat_id FROM forum_chats") == []


async def test_a_post_to_a_group_upgraded_while_the_bot_was_away_follows_it_to_the_new_id(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        forum = run.user(FORUM)
        await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        await _link_group(run, forum, -4002, "Small group", type="group")
        await run.app.updater.stop()                          # the bot does not see the service messages
        new_id = run.standin.migrate_chat(-4002, by_user_id=FORUM)
        db = db_of(run)
        chats = await forum_chats.linked_of(db, FORUM)
        async with db.transaction():
            await queue.announce(db, run.inspection, languages=["en"], chats=chats, forum_code=None,
                                 bot_username="ParentVoiceBot", created_by="test", dedupe_key="migrated")
        service.wake()
        await service.drained()
        assert run.standin.attempts(-4002) == 1                # refused with migrate_to_chat_id ...
        assert run.standin.successes(new_id) >= 1              # ... and sent again to the new id
        await run.app.updater.start_polling(poll_interval=0.0, timeout=1)
        for update in run.standin.pending_updates():
            await run.tracker.wait(update["update_id"])
    assert await rows(db_path, "SELECT chat_id FROM forum_chats") == [(new_id,)]
    assert await rows(db_path, "SELECT DISTINCT state FROM outbox") == [("sent",)]
