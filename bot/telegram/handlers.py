"""Thin adapters: a Telegram update in, a conversation call, messages and keyboards out.

Nothing here decides anything about the survey. It computes the parent's pseudonym, hands the input to
``conversation``, and turns the replies into Bot API calls. Logs carry update kinds, never text or ids.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from html import escape, unescape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.privacy.pseudonym import pseudonym
from bot.replies import Reply, split_text
from bot.storage import parents as repo
from bot.storage.db import pending_update
from bot.survey.engine import Notice
from bot.telegram import conversation, render
from bot.telegram.conversation import Deps
from bot.telegram.flood import AttemptLimiter, FloodGate, Verdict

log = logging.getLogger(__name__)

PARENT_COMMANDS = ("help", "language", "pause", "mydata", "delete", "stop")
MAX_INCOMING_TEXT = 4096
_TAGS = re.compile(r"<[^<>]*>")


def deps_of(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    return context.application.bot_data["deps"]


def respondent_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    user = update.effective_user
    assert user is not None
    return pseudonym(context.application.bot_data["secret"], user.id)


def _language(update: Update) -> str | None:
    return update.effective_user.language_code if update.effective_user else None


def _private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


# ---------------------------------------------------------------- guards (run before everything)


async def drop_duplicates(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A redelivered update (same update_id) is processed once.

    The update is recorded as processed by the first transaction of its step (``pending_update``), so the
    record commits with the step's effect; an update whose handling opens no transaction is recorded when
    its handling ends (``ParentVoiceApplication.process_update``).
    """
    deps = deps_of(context)
    if await repo.was_processed(deps.db, update.update_id):
        log.info("duplicate update dropped")
        raise ApplicationHandlerStop
    pending_update.set(update.update_id)


async def limit_floods(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_user is None or not _private(update):
        return
    gate: FloodGate = context.application.bot_data["flood"]
    verdict = gate.check(respondent_of(update, context), time.monotonic())
    if verdict is Verdict.ALLOW:
        return
    log.info("flood limit: %s", verdict.value)
    if verdict is Verdict.WARN:
        t = await conversation.parent_translator(deps_of(context), respondent_of(update, context), _language(update))
        if update.callback_query:
            await _answer_query(update, render.slow_down(t))
        elif update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, escape(render.slow_down(t)),
                                           parse_mode=ParseMode.HTML)
    elif update.callback_query:
        await _answer_query(update, None)
    raise ApplicationHandlerStop


# ---------------------------------------------------------------- parent handlers


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = context.args[0] if context.args else None
    replies = await conversation.start(deps_of(context), respondent_of(update, context), payload, _language(update))
    await send(update, context, replies)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_message.text
    name = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
    replies = await conversation.command(deps_of(context), respondent_of(update, context), name, _language(update))
    if name == "help":  # staff also see the commands of each role they hold
        from bot.telegram.staff import role_help, roles_held

        t = await conversation.parent_translator(deps_of(context), respondent_of(update, context), _language(update))
        replies = [*replies, *role_help(t, await roles_held(update, context))]
    await send(update, context, replies)


async def on_withdraw(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps, respondent = deps_of(context), respondent_of(update, context)
    limiter: AttemptLimiter = context.application.bot_data["attempts"]
    if not limiter.allow(f"withdraw:{respondent}", time.monotonic()):
        t = await conversation.parent_translator(deps, respondent, _language(update))
        await send(update, context, [render.too_many_attempts(t)])
        return
    code = " ".join(context.args or [])
    await send(update, context, await conversation.withdraw(deps, respondent, code, _language(update)))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    deps, respondent = deps_of(context), respondent_of(update, context)
    if len(message.text) > MAX_INCOMING_TEXT:
        t = await conversation.parent_translator(deps, respondent, _language(update))
        replies = [Reply(escape(render.notice(t, Notice.TOO_LONG)))]
        replies += await conversation.resume(deps, respondent, _language(update))
    else:
        replies = await conversation.text(deps, respondent, message.text, _language(update))
    await send(update, context, replies)


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    if query.message is None or query.message.chat.type != ChatType.PRIVATE:
        await _answer_query(update, None)
        return
    replies = await conversation.press(deps_of(context), respondent_of(update, context), query.data,
                                       _language(update))
    await send(update, context, replies)


async def on_non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice notes, files...: a kind word, then where the parent is. Nothing is stored."""
    deps, respondent = deps_of(context), respondent_of(update, context)
    t = await conversation.parent_translator(deps, respondent, _language(update))
    replies = [Reply(escape(render.non_text(t))), *await conversation.resume(deps, respondent, _language(update))]
    await send(update, context, replies)


async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = await conversation.parent_translator(deps_of(context), respondent_of(update, context), _language(update))
    await send(update, context, [Reply(escape(render.edited_message(t)))])


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = await conversation.parent_translator(deps_of(context), respondent_of(update, context), _language(update))
    await send(update, context, [Reply(escape(render.unknown_command(t)))])


def _storage_failed(error: BaseException | None) -> bool:
    """Did saving fail (a full disk, a locked or broken file)? Then nothing of this step was kept."""
    while error is not None:
        if isinstance(error, sqlite3.Error):
            return True
        error = error.__cause__ or error.__context__
    return False


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell the parent the truth once, and never leave a pressed button spinning."""
    storage = _storage_failed(context.error)
    if storage:
        # The operator must act (disk space, permissions): the parent's step was not saved.
        log.critical("storage failure: %s; answers are not being saved", type(context.error).__name__)
    else:
        log.error("handler failed: %s", type(context.error).__name__, exc_info=context.error)
    if not (isinstance(update, Update) and _private(update) and update.effective_chat):
        return
    try:
        await _answer_query(update, None)
    except Exception:
        log.info("callback query already answered")
    try:
        t = conversation.translator_for(None, _language(update))
        text = (t.gettext("Sorry, we could not save that just now. Your earlier answers are safe. "
                          "Please try again later.") if storage else
                t.gettext("Sorry, something went wrong on our side. Your answers are saved. "
                          "Please try again, or send /start."))
        await context.bot.send_message(update.effective_chat.id, escape(text), parse_mode=ParseMode.HTML)
    except Exception:
        log.warning("could not tell the user about an error")


# ---------------------------------------------------------------- sending


def markup(reply: Reply, *, links: bool = True) -> InlineKeyboardMarkup | None:
    """The reply's keyboard; ``links=False`` leaves out URL buttons (after Telegram refused one)."""
    keyboard = [
        [InlineKeyboardButton(b.text, url=b.url) if b.url else InlineKeyboardButton(b.text, callback_data=b.data)
         for b in row if links or not b.url]
        for row in reply.buttons
    ]
    keyboard = [row for row in keyboard if row]
    return InlineKeyboardMarkup(keyboard) if keyboard else None


async def _answer_query(update: Update, toast: str | None) -> None:
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
        await _answer_query(update, toasts[0] if toasts else None)
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


# ---------------------------------------------------------------- wiring


#: Feature modules with their own handlers (roles, forums, inspectors). Each has ``register(app)``, and is
#: registered before the catch-alls below so its commands are not taken for unknown ones.
FEATURES: tuple[str, ...] = ("bot.telegram.staff", "bot.telegram.inspector", "bot.telegram.forum",
                             "bot.telegram.subscriptions")


def register(app: Application) -> None:
    import importlib

    private = filters.ChatType.PRIVATE
    app.add_handler(TypeHandler(Update, drop_duplicates), group=-2)
    app.add_handler(TypeHandler(Update, limit_floods), group=-1)
    importlib.import_module("bot.telegram.groups").register(app)  # groups: only what is addressed to the bot
    app.add_handler(MessageHandler(filters.UpdateType.EDITED & private, on_edited))
    app.add_handler(CommandHandler("start", on_start, filters=private))
    app.add_handler(CommandHandler(list(PARENT_COMMANDS), on_command, filters=private))
    app.add_handler(CommandHandler("withdraw", on_withdraw, filters=private))
    for feature in FEATURES:
        importlib.import_module(feature).register(app)
    app.add_handler(MessageHandler(private & filters.COMMAND, on_unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, on_text))
    app.add_handler(MessageHandler(private & ~filters.TEXT & filters.UpdateType.MESSAGE, on_non_text))
    app.add_handler(CallbackQueryHandler(on_press))
    app.add_error_handler(on_error)
