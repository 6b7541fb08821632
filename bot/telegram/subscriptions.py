"""Parents opting in to news of their area: /subscribe, /unsubscribe, and the ways out.

A subscription is a sealed contact (``bot.storage.contacts``). It ends with /unsubscribe, /stop, /delete
(the row goes with the parent), and when the parent blocks the bot (a ``my_chat_member`` update with
status "kicked" in their private chat) or the sender finds them blocked or deactivated.
"""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import (
    ContextTypes,
)

from bot import areas
from bot.i18n.catalog import Translator, translator_for
from bot.replies import Reply
from bot.storage import contacts
from bot.storage import parents as repo
from bot.telegram.sending import send
from bot.telegram.state import language_of, respondent_of, state_of, translator_of

log = logging.getLogger(__name__)

#: Handlers here run in their own group, after the parent's handlers of group 0 (the /stop reply).
GROUP = 1


def subscribed(t: Translator, area_name: str) -> Reply:
    return Reply(escape(t.gettext(
        "Done. We will send you a message when the inspection of SEND services in %(area)s is announced, a "
        "reminder before its survey closes if you have not answered yet, and news of the inspectors' report. "
        "To stop these messages, send /unsubscribe.", area=t.isolate(area_name))))


def need_area(t: Translator) -> Reply:
    return Reply(escape(t.gettext("First, please tell me your local area, so I know which inspection news to send "
                                  "you: send /start.")))


def unsubscribed(t: Translator) -> Reply:
    return Reply(escape(t.gettext("You will get no more news from us about inspections. To get it again, send "
                                  "/subscribe.")))


async def _subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Reply:
    deps, respondent = state_of(context), respondent_of(update, context)
    parent = await repo.get_parent(deps.db, respondent)
    t = translator_for(parent.language if parent else None, language_of(update))
    if parent is None or parent.consent_at is None or parent.area_code is None or update.effective_chat is None:
        return need_area(t)
    async with deps.db.transaction():
        await contacts.subscribe(deps.db, deps.secret, respondent,
                                 update.effective_chat.id)
        if parent.stopped:  # asking for news is asking for messages again
            await repo.save_parent(deps.db, parent.with_(stopped=False))
    log.info("parent subscribed")
    area = areas.by_code(parent.area_code)
    return subscribed(t, area.name if area else parent.area_code)


async def on_subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, context, [await _subscribe(update, context)])


async def on_unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps, respondent = state_of(context), respondent_of(update, context)
    async with deps.db.transaction():
        if await contacts.unsubscribe(deps.db, respondent):
            log.info("parent unsubscribed")
    t = await translator_of(update, context)
    await send(update, context, [unsubscribed(t)])


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "tell me about news" button ("sub:yes"; "sub:no" just closes the question)."""
    query = update.callback_query
    assert query is not None
    if query.message is None or query.message.chat.type != ChatType.PRIVATE:
        await query.answer()
        return
    if query.data == "sub:yes":
        reply = await _subscribe(update, context)
    else:
        t = await translator_of(update, context)
        reply = Reply(escape(t.gettext("All right. You can ask for news later with /subscribe.")))
    await send(update, context, [reply])


async def after_stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stop (answered in group 0) also ends the subscription, so nothing unprompted is sent."""
    deps = state_of(context)
    async with deps.db.transaction():
        if await contacts.unsubscribe(deps.db, respondent_of(update, context)):
            log.info("parent stopped: subscription ended")


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE or update.effective_user is None:
        return
    if change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        deps = state_of(context)
        async with deps.db.transaction():
            if await contacts.unsubscribe(deps.db, respondent_of(update, context)):
                log.info("parent blocked the bot: subscription ended")
