"""Builders of Bot API JSON objects (User, Chat, Message, CallbackQuery, ChatMember, files).

PTB refuses incomplete objects (a User without is_bot, a Message with a millisecond date, a
CallbackQuery without chat_instance), so every builder emits all fields Telegram always sends.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from bot.standin.formatting import utf16_len
from bot.standin.models import (
    ADMINISTRATOR,
    CHANNEL,
    CREATOR,
    KICKED,
    PRIVATE,
    RESTRICTED,
    SUPERGROUP,
    BotInfo,
    Chat,
    FileRecord,
    UserInfo,
)


def user_object(user: UserInfo) -> dict[str, Any]:
    data: dict[str, Any] = {"id": user.id, "is_bot": user.is_bot, "first_name": user.first_name}
    if user.last_name:
        data["last_name"] = user.last_name
    if user.username:
        data["username"] = user.username
    if user.language_code:
        data["language_code"] = user.language_code
    return data


def bot_user_object(bot: BotInfo, *, full: bool = False) -> dict[str, Any]:
    """getMe answers with the capability flags; messages carry the short form."""
    data: dict[str, Any] = {
        "id": bot.id,
        "is_bot": True,
        "first_name": bot.first_name,
        "username": bot.username,
    }
    if full:
        data.update(
            can_join_groups=bot.can_join_groups,
            can_read_all_group_messages=bot.can_read_all_group_messages,
            supports_inline_queries=bot.supports_inline_queries,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
    return data


def chat_object(chat: Chat) -> dict[str, Any]:
    data: dict[str, Any] = {"id": chat.id, "type": chat.type}
    if chat.type == PRIVATE:
        data["first_name"] = chat.first_name or ""
        if chat.last_name:
            data["last_name"] = chat.last_name
    else:
        data["title"] = chat.title or ""
    if chat.username:
        data["username"] = chat.username
    if chat.is_forum and chat.type == SUPERGROUP:
        data["is_forum"] = True
    return data


def chat_full_info(chat: Chat) -> dict[str, Any]:
    """getChat's ChatFullInfo: PTB 22.8 requires accent_color_id, max_reaction_count, gift types."""
    data = chat_object(chat)
    data.update(
        accent_color_id=0,
        max_reaction_count=11,
        accepted_gift_types={
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    )
    if chat.type != PRIVATE:
        data["permissions"] = {"can_send_messages": chat.type != CHANNEL}
    return data


def chat_instance(chat_id: int) -> str:
    """Telegram's chat_instance is an opaque, stable per-chat number rendered as a string."""
    digest = hashlib.sha256(f"chat-instance:{chat_id}".encode()).digest()
    return str(int.from_bytes(digest[:8], "big") >> 1)


# Telegram tags a /command (optionally /command@botname) that starts a word, and an @username of 5-32
# characters that starts a word; the @botname of a command belongs to the command, not to a mention.
_COMMAND = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])")
_MENTION = re.compile(r"(?<![\w@/])@[A-Za-z][A-Za-z0-9_]{4,31}(?![\w@])")


def _utf16_offset(text: str, index: int) -> int:
    return utf16_len(text[:index])


def bot_command_entities(text: str) -> list[dict[str, Any]]:
    """Telegram marks a leading /command (with an optional @botname) as a bot_command entity."""
    return [e for e in message_entities(text) if e["type"] == "bot_command" and e["offset"] == 0]


def message_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command and mention entities Telegram adds to a user's text, by offset (UTF-16 units)."""
    found: list[tuple[int, int, str]] = []
    for match in _COMMAND.finditer(text):
        found.append((match.start(), match.end(), "bot_command"))
    for match in _MENTION.finditer(text):
        found.append((match.start(), match.end(), "mention"))
    found.sort()
    return [
        {"type": kind, "offset": _utf16_offset(text, start), "length": utf16_len(text[start:end])}
        for start, end, kind in found
    ]


def message_object(
    *,
    message_id: int,
    chat: Chat,
    date: int,
    sender: dict[str, Any] | None,
    content: dict[str, Any],
) -> dict[str, Any]:
    """A Message; channel posts carry sender_chat instead of from."""
    data: dict[str, Any] = {"message_id": message_id}
    if chat.type == CHANNEL:
        data["sender_chat"] = chat_object(chat)
    elif sender is not None:
        data["from"] = sender
    data["chat"] = chat_object(chat)
    data["date"] = date
    data.update(content)
    return data


def document_object(record: FileRecord) -> dict[str, Any]:
    data: dict[str, Any] = {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "file_size": len(record.data),
    }
    if record.filename:
        data["file_name"] = record.filename
    if record.mime_type:
        data["mime_type"] = record.mime_type
    return data


def photo_sizes(record: FileRecord) -> list[dict[str, Any]]:
    """Telegram returns several sizes; the stand-in stores one image and reports one size."""
    return [
        {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "width": record.width or 1,
            "height": record.height or 1,
            "file_size": len(record.data),
        }
    ]


def chat_member_object(
    user: dict[str, Any], status: str, *, chat: Chat | None = None, can_post: bool = True
) -> dict[str, Any]:
    """ChatMember in the shape PTB 22.8 needs for each status."""
    if status == CREATOR:
        return {"status": CREATOR, "user": user, "is_anonymous": False}
    if status == ADMINISTRATOR:
        data: dict[str, Any] = {
            "status": ADMINISTRATOR,
            "user": user,
            "can_be_edited": False,
            "is_anonymous": False,
            "can_manage_chat": True,
            "can_delete_messages": True,
            "can_manage_video_chats": True,
            "can_restrict_members": True,
            "can_promote_members": False,
            "can_change_info": True,
            "can_invite_users": True,
            "can_post_stories": False,
            "can_edit_stories": False,
            "can_delete_stories": False,
        }
        if chat is not None and chat.type == CHANNEL:
            data["can_post_messages"] = can_post
            data["can_edit_messages"] = can_post
        else:
            data["can_pin_messages"] = True
        return data
    if status == KICKED:
        return {"status": KICKED, "user": user, "until_date": 0}
    if status == RESTRICTED:
        # A member who may read but not write: what an admin's "restrict" leaves the bot with.
        rights = ("can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
                  "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
                  "can_send_other_messages", "can_add_web_page_previews", "can_change_info",
                  "can_invite_users", "can_pin_messages", "can_manage_topics", "can_edit_tag",
                  "can_react_to_messages")
        return {"status": RESTRICTED, "user": user, "is_member": True, "until_date": 0,
                **dict.fromkeys(rights, False)}
    return {"status": status, "user": user}
