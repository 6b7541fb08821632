"""The channels and groups a forum has linked, and those waiting for the forum to confirm."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.storage.db import Database, now_iso


@dataclass(frozen=True)
class ForumChat:
    chat_id: int
    forum_user: int
    forum_code: str | None
    title: str
    chat_type: str
    linked: bool
    thread_id: int | None = None    # the forum topic announcements go to; None: General (or no topics)
    language: str | None = None     # the forum member's app language, for private notices


def _chat(r: aiosqlite.Row) -> ForumChat:
    return ForumChat(r["chat_id"], r["forum_user"], r["forum_code"], r["title"] or "", r["chat_type"],
                     r["state"] == "linked", r["thread_id"], r["language"])


async def propose(db: Database, chat_id: int, forum_user: int, forum_code: str | None, title: str,
                  chat_type: str, language: str | None = None) -> None:
    """The bot was added by a forum user: remember the chat until they confirm (a linked chat stays linked)."""
    await db.execute(
        "INSERT INTO forum_chats (chat_id, forum_user, forum_code, title, chat_type, created_at, language)"
        " VALUES (?,?,?,?,?,?,?) ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title,"
        " chat_type = excluded.chat_type,"
        " forum_user = CASE WHEN forum_chats.state = 'linked' THEN forum_chats.forum_user ELSE excluded.forum_user END,"
        " forum_code = CASE WHEN forum_chats.state = 'linked' THEN forum_chats.forum_code ELSE excluded.forum_code END,"
        " language = CASE WHEN forum_chats.state = 'linked' THEN forum_chats.language ELSE excluded.language END",
        (chat_id, forum_user, forum_code, title, chat_type, now_iso(), language),
    )


async def get(db: Database, chat_id: int) -> ForumChat | None:
    row = await db.fetchone("SELECT * FROM forum_chats WHERE chat_id = ?", (chat_id,))
    return _chat(row) if row else None


async def confirm(db: Database, chat_id: int, forum_user: int) -> ForumChat | None:
    """Link a chat this user proposed; None if there is nothing of theirs to confirm."""
    changed = await db.execute(
        "UPDATE forum_chats SET state = 'linked', linked_at = ? WHERE chat_id = ? AND forum_user = ?",
        (now_iso(), chat_id, forum_user))
    return await get(db, chat_id) if changed else None


async def remove(db: Database, chat_id: int, forum_user: int | None = None) -> bool:
    """Unlink (or decline). Without ``forum_user``: the bot left the chat, whoever linked it."""
    if forum_user is None:
        return await db.execute("DELETE FROM forum_chats WHERE chat_id = ?", (chat_id,)) == 1
    return await db.execute("DELETE FROM forum_chats WHERE chat_id = ? AND forum_user = ?",
                            (chat_id, forum_user)) == 1


async def linked_of(db: Database, forum_user: int) -> list[ForumChat]:
    rows = await db.fetchall("SELECT * FROM forum_chats WHERE forum_user = ? AND state = 'linked' ORDER BY title",
                             (forum_user,))
    return [_chat(r) for r in rows]


async def is_linked(db: Database, chat_id: int) -> bool:
    return await db.fetchone("SELECT 1 FROM forum_chats WHERE chat_id = ? AND state = 'linked'",
                             (chat_id,)) is not None


async def migrate(db: Database, old_chat_id: int, new_chat_id: int) -> bool:
    """A group became a supergroup and got a new id; idempotent (both service messages may arrive)."""
    if await get(db, new_chat_id) is not None:
        return False
    return await db.execute("UPDATE forum_chats SET chat_id = ?, chat_type = 'supergroup' WHERE chat_id = ?",
                            (new_chat_id, old_chat_id)) == 1


async def set_thread(db: Database, chat_id: int, forum_user: int, thread_id: int | None) -> bool:
    """Announcements to this linked forum supergroup go to this topic (None: General); only its forum may."""
    return await db.execute(
        "UPDATE forum_chats SET thread_id = ? WHERE chat_id = ? AND forum_user = ? AND state = 'linked'",
        (thread_id, chat_id, forum_user)) == 1
