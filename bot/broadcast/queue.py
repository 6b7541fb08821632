"""Turning an announcement, a reminder or a published report into outbox rows.

Each function runs inside the caller's transaction (so a reminder is queued and marked done together) and
returns how much it queued. Parents' rows carry only their pseudonym; texts are rendered once per language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.broadcast import outbox, posts
from bot.broadcast.posts import OutMessage, Translate
from bot.i18n.catalog import Translator, translator
from bot.inspection import Inspection, deep_link
from bot.storage.contacts import Subscriber, subscribers
from bot.storage.db import Database
from bot.storage.forum_chats import ForumChat


@dataclass(frozen=True)
class Queued:
    broadcast_id: int | None      # None: this broadcast had been created already (a repeated press)
    chats: int = 0
    parents: int = 0


async def _to_parents(db: Database, broadcast_id: int, topic: str, people: Sequence[Subscriber],
                      render: Callable[[Translator], OutMessage], translate: Translate) -> int:
    rendered: set[str] = set()
    queued = 0
    for person in people:
        variant = f"parent:{person.language}"
        if variant not in rendered:
            await outbox.add_texts(db, broadcast_id, variant, [render(translate(person.language))])
            rendered.add(variant)
        queued += await outbox.enqueue(db, broadcast_id, topic, person.respondent, variant, 1,
                                       respondent=person.respondent)
    return queued


async def announce(db: Database, inspection: Inspection, *, languages: Sequence[str], chats: Sequence[ForumChat],
                   forum_code: str | None, bot_username: str, created_by: str, dedupe_key: str,
                   translate: Translate = translator) -> Queued:
    """The forum's post to each linked chat, and a private message to each subscriber of the area who has
    not answered yet. A parent gets one announcement per inspection, however many forums announce it."""
    broadcast_id = await outbox.create_broadcast(db, "announce", inspection.id, created_by=created_by,
                                                 forum_code=forum_code, languages=languages, dedupe_key=dedupe_key)
    if broadcast_id is None:
        return Queued(None)
    link = deep_link(bot_username, inspection.id, forum_code)
    post = posts.forum_post(inspection, languages, link, translate)
    await outbox.add_texts(db, broadcast_id, "post", post)
    chats_queued = 0
    for chat in chats:
        if await outbox.enqueue(db, broadcast_id, f"post:{broadcast_id}", outbox.chat_recipient(chat.chat_id),
                                "post", len(post)):
            chats_queued += 1
    people = await subscribers(db, inspection.area_code, not_submitted_for=inspection.id)
    parents = await _to_parents(db, broadcast_id, f"announce:{inspection.id}", people,
                                lambda t: posts.parent_announcement(t, inspection, link), translate)
    return Queued(broadcast_id, chats_queued, parents)


async def remind(db: Database, inspection: Inspection, *, bot_username: str,
                 translate: Translate = translator) -> Queued:
    """Subscribers of the area who have not sent their answers for this inspection."""
    broadcast_id = await outbox.create_broadcast(db, "reminder", inspection.id, created_by="scheduler",
                                                 dedupe_key=f"reminder:{inspection.id}")
    if broadcast_id is None:
        return Queued(None)
    link = deep_link(bot_username, inspection.id)
    people = await subscribers(db, inspection.area_code, not_submitted_for=inspection.id)
    parents = await _to_parents(db, broadcast_id, f"reminder:{inspection.id}", people,
                                lambda t: posts.reminder(t, inspection, link), translate)
    return Queued(broadcast_id, 0, parents)


async def report(db: Database, inspection: Inspection, report_url: str, *, created_by: str = "operator",
                 translate: Translate = translator) -> Queued:
    """Every subscriber of the area hears that the report is out (once, however often it is published)."""
    broadcast_id = await outbox.create_broadcast(db, "report", inspection.id, created_by=created_by,
                                                 dedupe_key=f"report:{inspection.id}:{report_url}")
    if broadcast_id is None:
        return Queued(None)
    people = await subscribers(db, inspection.area_code)
    parents = await _to_parents(db, broadcast_id, f"report:{inspection.id}", people,
                                lambda t: posts.report_published(t, inspection, report_url), translate)
    return Queued(broadcast_id, 0, parents)
