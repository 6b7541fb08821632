"""Forums in Telegram: linking their channels and groups, /announce, /sharekit, /reach, /chats, /unlink.

Every command and button checks the forum role first (``staff.require``): anyone else gets the same polite
"I do not know that command" a mistyped command gets, so nothing about roles is revealed. When someone
without the forum role adds the bot to a group or channel, nothing is linked and the bot stays silent there
(the group handler still points members to a private chat if they mention it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape

from telegram import ChatMember, ChatMemberAdministrator, ChatMemberRestricted, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    ContextTypes,
)

from bot.broadcast import forum_views, queue
from bot.broadcast.posts import forum_post
from bot.broadcast.reach import Cell, reach
from bot.broadcast.reach_query import facts, survey_days
from bot.broadcast.service import service_of
from bot.broadcast.sharekit import share_kit
from bot.broadcast.unlinking import unlink_and_tell
from bot.callbacks import Press, decode
from bot.i18n.catalog import Translator, translator_for
from bot.inspection import Inspection, SurveyStatus, deep_link
from bot.replies import Reply
from bot.storage import forum_chats, roles
from bot.storage import inspections as inspections_repo
from bot.storage.contacts import subscribers
from bot.storage.db import Database
from bot.telegram import staff
from bot.telegram.deps import Deps
from bot.telegram.sending import markup, send
from bot.telegram.state import language_of, state_of

log = logging.getLogger(__name__)

COMMANDS = ("announce", "sharekit", "reach", "chats", "unlink")
PRESS_KINDS = ("flink", "funlink", "fins", "flang", "fgo", "fpost", "fstop")
REACH_LIMIT = 10


@dataclass(frozen=True)
class ForumUser:
    user_id: int
    forum_code: str | None      # None for an admin acting without a forum of their own


def _t(update: Update) -> Translator:
    return translator_for(None, language_of(update))


async def _forum_user(update: Update, context: ContextTypes.DEFAULT_TYPE) -> ForumUser | None:
    """The sender as a forum, or None after a polite refusal."""
    if not await staff.require(update, context, "forum"):
        return None
    assert update.effective_user is not None
    grants = await roles.grants_of(state_of(context).db, update.effective_user.id)
    code = next((g.forum_code for g in grants if g.role == "forum" and g.forum_code), None)
    return ForumUser(update.effective_user.id, code)


async def _inspections(context: ContextTypes.DEFAULT_TYPE, mode: str) -> list[Inspection]:
    deps = state_of(context).deps
    found = await inspections_repo.all_inspections(deps.db)
    if mode == forum_views.REACH:
        return found[:REACH_LIMIT]
    today = deps.today()
    return sorted((i for i in found if i.status(today) is not SurveyStatus.CLOSED), key=lambda i: i.survey_opens)


# ---------------------------------------------------------------- commands


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    forum = await _forum_user(update, context)
    if forum is None:
        return
    assert update.effective_message and update.effective_message.text
    name = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
    t, db = _t(update), state_of(context).db
    if name == "chats":
        reply = forum_views.chats_list(t, await forum_chats.linked_of(db, forum.user_id))
    elif name == "unlink":
        reply = forum_views.unlink_menu(t, await forum_chats.linked_of(db, forum.user_id))
    else:
        mode = {"announce": forum_views.ANNOUNCE, "sharekit": forum_views.KIT}.get(name, forum_views.REACH)
        reply = forum_views.choose_inspection(t, mode, await _inspections(context, mode))
    await send(update, context, [reply])


# ---------------------------------------------------------------- buttons


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    if query.message is None or query.message.chat.type != ChatType.PRIVATE:
        await query.answer()
        return
    forum = await _forum_user(update, context)
    if forum is None:
        return
    t = _t(update)
    p = decode(query.data)
    replies = await _press(update, context, forum, t, p) if p is not None else None
    await send(update, context, replies or [forum_views.stale(t)])


async def _press(update: Update, context: ContextTypes.DEFAULT_TYPE, forum: ForumUser, t: Translator,
                 p: Press) -> list[Reply] | None:
    """The replies to a forum's press, or None for a stale or forged one."""
    deps = state_of(context).deps
    if p.kind == "fstop":
        return [forum_views.cancelled(t)]
    if p.kind in ("flink", "funlink"):
        chat_id = forum_views.parse_chat_arg(p.arg(0))
        return None if chat_id is None else await _link_press(deps.db, forum, t, p, chat_id)
    mode = p.arg(0) if p.kind in ("fins", "flang", "fgo") else forum_views.ANNOUNCE
    inspection_id = p.arg(1) if p.kind in ("fins", "flang", "fgo") else p.arg(0)
    if mode not in forum_views.MODES:
        return None
    inspection = await inspections_repo.get(deps.db, inspection_id)
    if inspection is None:
        return None
    if mode != forum_views.REACH and inspection.status(deps.today()) is SurveyStatus.CLOSED:
        return None
    if p.kind == "fins":
        if mode == forum_views.REACH:
            return [await _reach(deps, forum, t, inspection)]
        return [forum_views.choose_languages(t, mode, inspection, format(forum_views.DEFAULT_MASK, "x"),
                                             redraw=True)]
    mask = p.arg(-1)
    languages = forum_views.codes_of(mask)
    if languages is None or mode == forum_views.REACH:
        return None
    link = deep_link(deps.bot_username, inspection.id, forum.forum_code)
    if p.kind == "flang":
        return [forum_views.choose_languages(t, mode, inspection, mask, redraw=True)]
    if p.kind == "fgo" and mode == forum_views.KIT:
        kit = share_kit(inspection, languages, link, t)
        replies = [Reply(text, replace_pressed=i == 0) for i, text in enumerate(kit.messages)]
        replies.append(Reply(escape(t.gettext("Print this QR code on a poster or a flyer. Scanning it opens the "
                                              "survey in Telegram.")), photo=kit.qr))
        replies.append(Reply(escape(t.gettext("All the texts in one file.")), document=kit.document,
                             filename=kit.filename))
        return replies
    chats = await forum_chats.linked_of(deps.db, forum.user_id)
    if p.kind == "fgo":
        waiting = await subscribers(deps.db, inspection.area_code, not_submitted_for=inspection.id)
        post = forum_post(inspection, languages, link)
        return [forum_views.preview_intro(t), *(Reply(m.text, m.buttons) for m in post),
                forum_views.confirm_announce(t, inspection, mask, chats, Cell.of(len(waiting)))]
    if p.kind == "fpost":
        return [await _announce(update, context, forum, t, inspection, languages, chats)]
    return None


async def _announce(update: Update, context: ContextTypes.DEFAULT_TYPE, forum: ForumUser, t: Translator,
                    inspection: Inspection, languages: list[str], chats: list[forum_chats.ForumChat]) -> Reply:
    deps = state_of(context).deps
    query = update.callback_query
    assert query is not None and query.message is not None
    async with deps.db.transaction():
        queued = await queue.announce(
            deps.db, inspection, languages=languages, chats=chats, forum_code=forum.forum_code,
            bot_username=deps.bot_username, created_by=f"staff:{forum.user_id}",
            dedupe_key=f"announce:{forum.user_id}:{query.message.message_id}")
        if queued.broadcast_id is not None:
            await roles.audit(deps.db, f"staff:{forum.user_id}", "announce.queued",
                              f"inspection={inspection.id} languages={','.join(languages)} chats={queued.chats} "
                              f"parents={queued.parents}")
    if queued.broadcast_id is None:
        return forum_views.already_sent(t)
    service = service_of(context.application)
    if service is not None:
        service.wake()
    log.info("announcement queued: %d chats, %d parents", queued.chats, queued.parents)
    return forum_views.announced(t, queued.chats, queued.parents)


async def _link_press(db: Database, forum: ForumUser, t: Translator, p: Press, chat_id: int) -> list[Reply] | None:
    actor = f"staff:{forum.user_id}"
    if p.kind == "flink":
        async with db.transaction():
            if p.arg(1) == "yes":
                chat = await forum_chats.confirm(db, chat_id, forum.user_id)
                if chat is not None:
                    await roles.audit(db, actor, "chat.linked", f"chat={chat_id}")
                return [forum_views.linked(t, chat)] if chat else None
            await forum_chats.remove(db, chat_id, forum.user_id)
        return [forum_views.not_linked(t)]
    found = await forum_chats.get(db, chat_id)
    if found is None or found.forum_user != forum.user_id:
        return None
    async with db.transaction():
        await forum_chats.remove(db, chat_id, forum.user_id)
        await roles.audit(db, actor, "chat.unlinked", f"chat={chat_id}")
    return [forum_views.unlinked(t, found.title)]


async def _reach(deps: Deps, forum: ForumUser, t: Translator, inspection: Inspection) -> Reply:
    found = await facts(deps.db, inspection.id, forum.forum_code)
    view = reach(found, survey_days(inspection, deps.today()))
    await roles.audit(deps.db, f"staff:{forum.user_id}", "reach.viewed", f"inspection={inspection.id}")
    return forum_views.reach_view(t, inspection, view, own_link=forum.forum_code is not None)


# ---------------------------------------------------------------- the bot added to (or removed from) a chat


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type == ChatType.PRIVATE:
        return  # private chats: bot.telegram.subscriptions
    deps = state_of(context).deps
    chat = change.chat
    status = change.new_chat_member.status
    if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        async with deps.db.transaction():
            if await forum_chats.remove(deps.db, chat.id):
                await roles.audit(deps.db, "system", "chat.removed", f"chat={chat.id}")
        return
    if not may_post(change.new_chat_member, chat.type):
        if await forum_chats.is_linked(deps.db, chat.id):
            await unlink_and_tell(context.bot, deps.db, chat.id, "rights")
        return
    if status not in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER):
        return
    if await forum_chats.is_linked(deps.db, chat.id):
        return
    user = change.from_user
    if user is None or not await roles.has_role(deps.db, user.id, "forum",
                                                admin_ids=context.application.config.admin_ids):
        log.info("added to a %s by someone without the forum role: not linked", chat.type)
        return
    grants = await roles.grants_of(deps.db, user.id)
    code = next((g.forum_code for g in grants if g.role == "forum" and g.forum_code), None)
    title = chat.title or chat.username or str(chat.id)
    async with deps.db.transaction():
        await forum_chats.propose(deps.db, chat.id, user.id, code, title, chat.type, user.language_code)
    t = translator_for(None, user.language_code)
    reply = forum_views.link_request(t, chat.id, title, chat.type)
    try:
        await context.bot.send_message(user.id, reply.text, parse_mode=ParseMode.HTML, reply_markup=markup(reply))
    except (Forbidden, BadRequest):
        log.info("could not ask the forum member privately to confirm a link (no private chat yet)")


def may_post(member: ChatMember, chat_type: str) -> bool:
    """Whether the bot, with this membership, can post: a channel needs an admin with "Post Messages"."""
    if isinstance(member, ChatMemberRestricted):
        return member.can_send_messages
    if chat_type == ChatType.CHANNEL:
        return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER, ChatMemberStatus.OWNER)
