"""A linked channel or group where the bot can no longer post is unlinked, and its forum is told privately.

Without this a chat where the bot lost its rights stayed linked and every announcement to it failed for
ever. The notice goes to the forum member who linked the chat, in the language of their Telegram app.
"""

from __future__ import annotations

import logging
from html import escape

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.i18n.catalog import Translator, translator_for
from bot.storage import forum_chats, roles
from bot.storage.db import Database

log = logging.getLogger(__name__)


def lost_rights_notice(t: Translator, title: str) -> str:
    """Telegram HTML for the forum member."""
    return escape(t.gettext("I can no longer post in %(title)s, so I have unlinked it. To link it again, make me an "
                            "admin there who can post messages.", title=t.isolate(title)))


async def unlink_and_tell(bot: Bot, db: Database, chat_id: int, why: str) -> bool:
    """Unlinks the chat (if linked) and tells its forum; ``why`` is a short reason for the audit trail."""
    chat = await forum_chats.get(db, chat_id)
    if chat is None:
        return False
    async with db.transaction():
        await forum_chats.remove(db, chat_id)
        await roles.audit(db, "system", "chat.unlinked", f"chat={chat_id} reason={why}")
    if not chat.linked:
        return True
    try:
        await bot.send_message(chat.forum_user, lost_rights_notice(translator_for(None, chat.language), chat.title),
                               parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.info("could not tell the forum that a chat was unlinked: %s", type(exc).__name__)
    return True
