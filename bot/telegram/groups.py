"""The bot in groups and supergroups: it speaks only when spoken to, in the topic it was asked in.

As a group admin the bot receives every message. It answers only a command addressed to it
(``/cmd@ThisBot``, or a bare ``/cmd`` that is one of its own commands in a chat where it knows of no other
bot) and a mention of its own username (a ``mention`` entity ``@ThisBot`` or a ``text_mention`` of the
bot). Everything else (chat between members, replies, other bots' commands, mentions of others) is left
alone. It learns of other bots from service messages (``new_chat_members``), replies to their messages and
commands addressed to them; Telegram never shows a bot other bots' messages, so this is what it can know.

The answer is the private pointer (no survey content in groups), except ``/topic`` from the forum member
who linked a forum supergroup: announcements then go to that topic. Upgrades of a group to a supergroup
(``migrate_to_chat_id``) move a linked chat to its new id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape

from telegram import Message, MessageEntity, Update
from telegram.ext import ContextTypes

from bot.i18n.catalog import translator_for
from bot.replies import Reply
from bot.storage import forum_chats, roles
from bot.telegram import render
from bot.telegram.handlers import PARENT_COMMANDS
from bot.telegram.sending import send
from bot.telegram.state import language_of, state_of

log = logging.getLogger(__name__)

#: Every command the bot has anywhere: a bare one of these may be meant for it; a bare other is not.
OWN_COMMANDS = frozenset({*PARENT_COMMANDS, "start", "withdraw", "subscribe", "unsubscribe", "redeem", "summary",
                          "report", "announce", "sharekit", "reach", "chats", "unlink", "topic"})
OTHER_BOTS = "other_bots"


@dataclass(frozen=True)
class Spoken:
    """What a group message says to whom, from its entities."""

    command: str | None = None             # the leading command's name, lower case, without / and @
    command_target: str | None = None      # the @botname after it, lower case, if any
    mentions: tuple[str, ...] = ()         # usernames of mention entities, lower case, without @
    text_mention_ids: tuple[int, ...] = ()


def spoken(message: Message) -> Spoken:
    entities = {**message.parse_entities(), **message.parse_caption_entities()}
    command = target = None
    mentions: list[str] = []
    ids: list[int] = []
    for entity, text in entities.items():
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            name, _, at = text[1:].partition("@")
            command, target = name.lower(), (at.lower() or None)
        elif entity.type == MessageEntity.MENTION:
            mentions.append(text.removeprefix("@").lower())
        elif entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            ids.append(entity.user.id)
    return Spoken(command, target, tuple(mentions), tuple(ids))


def addressed_to_me(said: Spoken, username: str, bot_id: int, other_bot_known: bool) -> bool:
    """True when a group message is meant for this bot (see the module docstring). Pure."""
    me = username.lower()
    if me in said.mentions or bot_id in said.text_mention_ids:
        return True
    if said.command is None:
        return False
    if said.command_target is not None:
        return said.command_target == me
    return said.command in OWN_COMMANDS and not other_bot_known


def _learn_other_bots(message: Message, said: Spoken, username: str, bot_id: int, known: set[str]) -> None:
    """Remembers (per chat, in memory) that another bot is here, so bare commands are left to it."""
    for user in message.new_chat_members or ():
        if user.is_bot and user.id != bot_id:
            known.update({f"id:{user.id}", f"@{(user.username or '').lower()}"})
    left = message.left_chat_member
    if left is not None and left.is_bot:
        known.difference_update({f"id:{left.id}", f"@{(left.username or '').lower()}"})
    replied = message.reply_to_message
    if replied is not None and replied.from_user and replied.from_user.is_bot and replied.from_user.id != bot_id:
        known.add(f"id:{replied.from_user.id}")
    if said.command_target and said.command_target != username.lower():
        known.add(f"@{said.command_target}")


async def on_group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return
    if message.migrate_to_chat_id or message.migrate_from_chat_id:
        await _migrated(update, context, message)
        return
    username, bot_id = context.bot.username, context.bot.id
    said = spoken(message)
    known: set[str] = context.chat_data.setdefault(OTHER_BOTS, set()) if context.chat_data is not None else set()
    _learn_other_bots(message, said, username, bot_id, known)
    if not addressed_to_me(said, username, bot_id, bool(known)):
        return
    if said.command == "topic" and await _set_topic(update, context, message):
        return
    t = translator_for(None, language_of(update))
    await send(update, context, [render.group_reply(t, state_of(context).deps.bot_username)])


async def _migrated(update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message) -> None:
    """A linked group upgraded to a supergroup keeps its link under the new id."""
    chat_id = update.effective_chat.id  # type: ignore[union-attr]
    old, new = (chat_id, message.migrate_to_chat_id) if message.migrate_to_chat_id else \
        (message.migrate_from_chat_id, chat_id)
    db = state_of(context).db
    async with db.transaction():
        if await forum_chats.migrate(db, int(old), int(new)):  # type: ignore[arg-type]
            await roles.audit(db, "system", "chat.migrated", f"chat={old} to={new}")
            log.info("a linked group was upgraded to a supergroup; link moved to the new id")


async def _set_topic(update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message) -> bool:
    """``/topic`` from the forum member who linked this forum supergroup: announcements go to this topic."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or not chat.is_forum:
        return False
    db = state_of(context).db
    thread = message.message_thread_id if message.is_topic_message else None
    async with db.transaction():
        if not await forum_chats.set_thread(db, chat.id, user.id, thread):
            return False
        await roles.audit(db, f"staff:{user.id}", "chat.topic", f"chat={chat.id} topic={thread or 'general'}")
    t = translator_for(None, language_of(update))
    await send(update, context, [Reply(escape(t.gettext("Announcements will now be posted in this topic.")))])
    return True
