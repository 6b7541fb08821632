"""Thin adapters: a Telegram update in, a conversation call, messages and keyboards out.

Nothing here decides anything about the survey. It computes the parent's pseudonym, hands the input to
``conversation``, and turns the replies into Bot API calls. Logs carry update kinds, never text or ids.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from html import escape

from telegram import Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.i18n.catalog import translator_for
from bot.replies import Reply
from bot.storage import parents as repo
from bot.storage.db import pending_update
from bot.survey.engine import Notice
from bot.telegram import conversation, render
from bot.telegram.flood import Verdict
from bot.telegram.sending import answer_query, send
from bot.telegram.staff import role_help, roles_held
from bot.telegram.state import is_private, language_of, respondent_of, state_of, translator_of

log = logging.getLogger(__name__)

PARENT_COMMANDS = ("help", "language", "pause", "mydata", "delete", "stop")
MAX_INCOMING_TEXT = 4096


# ---------------------------------------------------------------- guards (run before everything)


async def drop_duplicates(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A redelivered update (same update_id) is processed once.

    The update is recorded as processed by the first transaction of its step (``pending_update``), so the
    record commits with the step's effect; an update whose handling opens no transaction is recorded when
    its handling ends (``ParentVoiceApplication.process_update``).
    """
    if await repo.was_processed(state_of(context).db, update.update_id):
        log.info("duplicate update dropped")
        raise ApplicationHandlerStop
    pending_update.set(update.update_id)


async def limit_floods(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_user is None or not is_private(update):
        return
    verdict = state_of(context).flood.check(respondent_of(update, context), time.monotonic())
    if verdict is Verdict.ALLOW:
        return
    log.info("flood limit: %s", verdict.value)
    if verdict is Verdict.WARN:
        t = await translator_of(update, context)
        if update.callback_query:
            await answer_query(update, render.slow_down(t))
        elif update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, escape(render.slow_down(t)),
                                           parse_mode=ParseMode.HTML)
    elif update.callback_query:
        await answer_query(update, None)
    raise ApplicationHandlerStop


# ---------------------------------------------------------------- parent handlers


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = context.args[0] if context.args else None
    replies = await conversation.start(state_of(context).deps, respondent_of(update, context), payload,
                                       language_of(update))
    await send(update, context, replies)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_message.text
    name = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
    replies = await conversation.command(state_of(context).deps, respondent_of(update, context), name,
                                         language_of(update))
    if name == "help":  # staff also see the commands of each role they hold
        t = await translator_of(update, context)
        replies = [*replies, *role_help(t, await roles_held(update, context))]
    await send(update, context, replies)


async def on_withdraw(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps, respondent = state_of(context).deps, respondent_of(update, context)
    if not state_of(context).attempts.allow(f"withdraw:{respondent}", time.monotonic()):
        t = await translator_of(update, context)
        await send(update, context, [render.too_many_attempts(t)])
        return
    code = " ".join(context.args or [])
    await send(update, context, await conversation.withdraw(deps, respondent, code, language_of(update)))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    deps, respondent = state_of(context).deps, respondent_of(update, context)
    if len(message.text) > MAX_INCOMING_TEXT:
        t = await translator_of(update, context)
        replies = [Reply(escape(render.notice(t, Notice.TOO_LONG)))]
        replies += await conversation.resume(deps, respondent, language_of(update))
    else:
        replies = await conversation.text(deps, respondent, message.text, language_of(update))
    await send(update, context, replies)


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    if query.message is None or query.message.chat.type != ChatType.PRIVATE:
        await answer_query(update, None)
        return
    replies = await conversation.press(state_of(context).deps, respondent_of(update, context), query.data,
                                       language_of(update))
    await send(update, context, replies)


async def on_non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice notes, files...: a kind word, then where the parent is. Nothing is stored."""
    deps, respondent = state_of(context).deps, respondent_of(update, context)
    t = await translator_of(update, context)
    replies = [Reply(escape(render.non_text(t))), *await conversation.resume(deps, respondent, language_of(update))]
    await send(update, context, replies)


async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = await translator_of(update, context)
    await send(update, context, [Reply(escape(render.edited_message(t)))])


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    t = await translator_of(update, context)
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
    if not (isinstance(update, Update) and is_private(update) and update.effective_chat):
        return
    try:
        await answer_query(update, None)
    except Exception:
        log.info("callback query already answered")
    try:
        t = translator_for(None, language_of(update))
        text = (t.gettext("Sorry, we could not save that just now. Your earlier answers are safe. "
                          "Please try again later.") if storage else
                t.gettext("Sorry, something went wrong on our side. Your answers are saved. "
                          "Please try again, or send /start."))
        await context.bot.send_message(update.effective_chat.id, escape(text), parse_mode=ParseMode.HTML)
    except Exception:
        log.warning("could not tell the user about an error")
