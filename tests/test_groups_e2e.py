"""The bot in groups, forum topics, upgraded groups and chats where it lost its rights, end to end.

Real python-telegram-bot over real HTTP against the stand-in, a real SQLite file, the real catalogs.
"""

from __future__ import annotations

import pytest

from bot.demo import sample_inspection
from bot.standin.user import plain
from tests.conftest import rows
from tests.test_broadcast_fixtures import (
    announce,
    features,  # noqa: F401 - the fixture, used by pytestmark
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
