"""Replies out: a list of channel-neutral ``Reply`` values turned into Bot API calls, in order.

Shared by every handler. A long text goes in parts (``split_text``); a pressed button's message is
redrawn or un-buttoned; markup or a link button Telegram refuses is sent again without it.
"""

from __future__ import annotations

import logging
import re
from html import unescape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.replies import Reply, split_text

log = logging.getLogger(__name__)

_TAGS = re.compile(r"<[^<>]*>")


def markup(reply: Reply, *, links: bool = True) -> InlineKeyboardMarkup | None:
    """The reply's keyboard; ``links=False`` leaves out URL buttons (after Telegram refused one)."""
    keyboard = [
        [InlineKeyboardButton(b.text, url=b.url) if b.url else InlineKeyboardButton(b.text, callback_data=b.data)
         for b in row if links or not b.url]
        for row in reply.buttons
    ]
    keyboard = [row for row in keyboard if row]
    return InlineKeyboardMarkup(keyboard) if keyboard else None


async def answer_query(update: Update, toast: str | None) -> None:
    if update.callback_query is None:
        return
    try:
        await update.callback_query.answer(toast[:200] if toast else None)
    except BadRequest:
        log.info("callback query too old to answer")


def thread_of(update: Update) -> int | None:
    """The forum topic an update came from, so the answer goes to the same topic (None: General, or no topics)."""
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, replies: list[Reply]) -> None:
    """Replies in order, in the topic asked in. For a press: answer it, redraw or un-button the message, then send."""
    chat = update.effective_chat
    if chat is None:
        return
    thread = thread_of(update)
    query = update.callback_query
    pressed: Message | None = query.message if query and isinstance(query.message, Message) else None
    if query is not None:
        toasts = [r.toast for r in replies if r.toast]
        await answer_query(update, toasts[0] if toasts else None)
        replies = [r for r in replies if not r.toast]
        if pressed is not None and pressed.reply_markup and not any(r.replace_pressed for r in replies):
            await _quietly(pressed.edit_reply_markup(None))
    for reply in replies:
        if reply.replace_pressed and pressed is not None:
            # A long screen went out in parts with the buttons on the last; only that part is redrawn.
            await _quietly(pressed.edit_text(split_text(reply.text)[-1], parse_mode=ParseMode.HTML,
                                             reply_markup=markup(reply)))
            continue
        if reply.document is not None:
            await context.bot.send_document(chat.id, reply.document, filename=reply.filename,
                                            caption=reply.text[:1024] or None, parse_mode=ParseMode.HTML,
                                            message_thread_id=thread)
            continue
        if reply.photo is not None:
            await context.bot.send_photo(chat.id, reply.photo, caption=reply.text[:1024] or None,
                                         parse_mode=ParseMode.HTML, message_thread_id=thread)
            continue
        parts = split_text(reply.text)
        for i, part in enumerate(parts):
            await _send_text(context, chat.id, part, reply if i == len(parts) - 1 else None, thread)


async def _send_text(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str, reply: Reply | None,
                     thread: int | None = None) -> None:
    """One message; if Telegram refuses its markup or a link button, send it again without them.

    A parent must never be stuck behind a message that cannot be sent (``/start`` included): the words
    and the answer buttons matter more than bold text or a link.
    """
    common = {"disable_web_page_preview": True, "message_thread_id": thread}
    try:
        await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                       reply_markup=markup(reply) if reply else None, **common)
        return
    except BadRequest as exc:
        problem = str(exc).casefold()
        bad_markup = "entities" in problem
        bad_link = "url" in problem and "button" in problem
        if not (bad_markup or bad_link):
            raise
        log.warning("message refused (%s); sent again %s", "markup" if bad_markup else "link button",
                    "as plain text" if bad_markup else "without link buttons")
    if bad_markup:
        await context.bot.send_message(chat_id, unescape(_TAGS.sub("", text)),
                                       reply_markup=markup(reply) if reply else None, **common)
    else:
        await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                       reply_markup=markup(reply, links=False) if reply else None, **common)


async def _quietly(call: object) -> None:
    """Edits may fail harmlessly (unchanged, or the message is too old); never lose the step over it."""
    try:
        await call  # type: ignore[misc]
    except (BadRequest, Forbidden) as exc:
        log.info("edit skipped: %s", type(exc).__name__)
