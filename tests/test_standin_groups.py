"""The stand-in's groups as Telegram has them: entities, other members and bots, topics, upgrades, rights.

Driven by the real python-telegram-bot ``Bot`` over real HTTP, so PTB parses every object and maps every
error (ChatMigrated, BadRequest) exactly as it would with Telegram.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import Bot, MessageEntity, Update
from telegram.error import BadRequest, ChatMigrated

from bot.standin import StandIn

TOKEN = "123:ABC"
GROUP = -100500


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    async with StandIn() as s:
        yield s


@pytest.fixture
async def ptb_bot(standin: StandIn) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=standin.base_url, base_file_url=standin.base_file_url) as b:
        yield b


async def _updates(ptb_bot: Bot) -> list[Update]:
    updates = await ptb_bot.get_updates(timeout=0)
    if updates:
        await ptb_bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    return list(updates)


async def test_mentions_and_commands_are_tagged_like_telegram(standin: StandIn, ptb_bot: Bot) -> None:
    standin.add_chat(GROUP, "supergroup", "Parents", bot_is_admin=True)
    await standin.send_message(11, "ask @ParentVoiceBot or /help@OtherBot, mail a@example.org",
                               chat_id=GROUP, chat_type="supergroup")
    await standin.send_message(11, "/start@ParentVoiceBot now", chat_id=GROUP, chat_type="supergroup")
    first, second = (u.message for u in await _updates(ptb_bot))
    assert first.parse_entities([MessageEntity.MENTION, MessageEntity.BOT_COMMAND]) == {
        first.entities[0]: "@ParentVoiceBot", first.entities[1]: "/help@OtherBot"}
    assert len(first.entities) == 2                                     # an e-mail address is not a mention
    assert [(e.type, e.offset, e.length) for e in second.entities] == [("bot_command", 0, 21)]


async def test_other_members_and_bots_join_and_bots_messages_are_never_delivered(
        standin: StandIn, ptb_bot: Bot) -> None:
    standin.add_chat(GROUP, "supergroup", "Parents", bot_is_admin=True)
    standin.add_member(GROUP, 12, first_name="Ann")
    standin.add_member(GROUP, 900, username="ModeratorBot", is_bot=True)
    said = await standin.send_message(900, "/rules", chat_id=GROUP, chat_type="supergroup")
    assert "update_id" not in said                                     # Telegram hides other bots' messages
    await standin.send_message(12, "thanks", chat_id=GROUP, chat_type="supergroup",
                               reply_to_message_id=said["message"]["message_id"])
    joined_ann, joined_bot, reply = (u.message for u in await _updates(ptb_bot))
    assert joined_ann.new_chat_members[0].first_name == "Ann"
    assert joined_bot.new_chat_members[0].is_bot and joined_bot.new_chat_members[0].username == "ModeratorBot"
    assert reply.reply_to_message.from_user.is_bot and reply.reply_to_message.text == "/rules"


async def test_forum_topics_carry_thread_ids_and_closed_topics_refuse(standin: StandIn, ptb_bot: Bot) -> None:
    standin.add_chat(GROUP, "supergroup", "Forum", bot_is_admin=True, is_forum=True)
    assert (await ptb_bot.get_chat(GROUP)).is_forum
    thread = standin.create_topic(GROUP, "Announcements", by_user_id=12)
    await standin.send_message(12, "/help@ParentVoiceBot", chat_id=GROUP, chat_type="supergroup",
                               message_thread_id=thread)
    created, asked = (u.message for u in await _updates(ptb_bot))
    assert created.forum_topic_created.name == "Announcements" and created.message_thread_id == thread
    assert asked.is_topic_message and asked.message_thread_id == thread
    assert asked.reply_to_message.message_id == thread                 # a topic message answers its creation

    answer = await ptb_bot.send_message(GROUP, "in the topic", message_thread_id=thread)
    assert answer.message_thread_id == thread and answer.is_topic_message
    assert standin.sent(GROUP)[-1]["message_thread_id"] == thread
    general = await ptb_bot.send_message(GROUP, "in General")
    assert general.message_thread_id is None
    by_reply = await ptb_bot.send_message(GROUP, "a reply", reply_to_message_id=asked.message_id)
    assert by_reply.message_thread_id == thread                        # replies stay in their thread

    with pytest.raises(BadRequest, match="Message thread not found"):
        await ptb_bot.send_message(GROUP, "nowhere", message_thread_id=999)
    standin.close_topic(GROUP)                                         # General
    with pytest.raises(BadRequest, match="Topic_closed"):
        await ptb_bot.send_message(GROUP, "General is closed")
    standin.close_topic(GROUP, thread)
    with pytest.raises(BadRequest, match="Topic_closed"):
        await ptb_bot.send_message(GROUP, "so is the topic", message_thread_id=thread)
    standin.close_topic(GROUP, thread, closed=False)
    assert (await ptb_bot.send_message(GROUP, "open again", message_thread_id=thread)).message_id


async def test_a_group_upgraded_to_a_supergroup(standin: StandIn, ptb_bot: Bot) -> None:
    standin.add_chat(-4001, "group", "Small group", bot_is_admin=False, owner_id=12)
    new_id = standin.migrate_chat(-4001)
    assert new_id == -1000000004001
    old_side, new_side = (u.message for u in await _updates(ptb_bot))
    assert old_side.chat.id == -4001 and old_side.migrate_to_chat_id == new_id
    assert new_side.chat.id == new_id and new_side.chat.type == "supergroup"
    assert new_side.migrate_from_chat_id == -4001
    with pytest.raises(ChatMigrated) as raised:
        await ptb_bot.send_message(-4001, "hello")
    assert raised.value.new_chat_id == new_id
    assert (await ptb_bot.send_message(new_id, "hello")).chat.id == new_id


async def test_losing_the_right_to_post(standin: StandIn, ptb_bot: Bot) -> None:
    standin.add_chat(-100600, "channel", "News", bot_is_admin=True)
    standin.set_bot_status(-100600, "administrator", by_user_id=12, can_post=False)
    standin.add_chat(GROUP, "supergroup", "Parents", bot_is_admin=False)
    standin.set_bot_status(GROUP, "restricted", by_user_id=12)
    channel_change, group_change = (u.my_chat_member for u in await _updates(ptb_bot))
    assert channel_change.new_chat_member.can_post_messages is False
    assert group_change.new_chat_member.status == "restricted"
    assert group_change.new_chat_member.can_send_messages is False
    with pytest.raises(BadRequest, match="Need administrator rights in the channel chat"):
        await ptb_bot.send_message(-100600, "hello")
    with pytest.raises(BadRequest, match="Not enough rights to send text messages"):
        await ptb_bot.send_message(GROUP, "hello")


async def test_group_controls_over_http(standin: StandIn) -> None:
    async with aiohttp.ClientSession() as http:
        async def post(path: str, body: dict) -> dict:
            async with http.post(f"{standin.control_url}/{path}", json=body) as response:
                return await response.json()

        await post("chat", {"chat_id": GROUP, "type": "supergroup", "is_forum": True})
        thread = (await post("topic", {"chat_id": GROUP, "name": "News"}))["result"]
        assert (await post("topic", {"chat_id": GROUP, "close": True}))["ok"]
        said = await post("message", {"user_id": 5, "chat_id": GROUP, "chat_type": "supergroup",
                                      "text": "hi", "message_thread_id": thread})
        assert said["result"]["message"]["message_thread_id"] == thread
        joined = await post("member", {"chat_id": GROUP, "user_id": 901, "is_bot": True})
        assert joined["result"]["message"]["new_chat_members"][0]["is_bot"]
        await post("chat", {"chat_id": -4002, "type": "group"})
        assert (await post("migrate", {"chat_id": -4002}))["result"] == -1000000004002
