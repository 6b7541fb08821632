"""The records the stand-in keeps about its simulated Telegram world.

Plain dataclasses, so that the world state can be inspected and tested without a server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PRIVATE = "private"
GROUP = "group"
SUPERGROUP = "supergroup"
CHANNEL = "channel"
CHAT_TYPES = (PRIVATE, GROUP, SUPERGROUP, CHANNEL)

# Bot membership states, as Telegram names them in ChatMember.status.
MEMBER = "member"
ADMINISTRATOR = "administrator"
CREATOR = "creator"
LEFT = "left"
KICKED = "kicked"
RESTRICTED = "restricted"   # a member who may not send messages (the bot after an admin restricted it)
GENERAL_TOPIC = 1           # Telegram's id of a forum's General topic


class ApiError(Exception):
    """A Bot API failure: becomes an HTTP status plus Telegram's JSON error body."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None,
                 migrate_to_chat_id: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        parameters: dict[str, int] = {}
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if parameters:
            data["parameters"] = parameters
        return data


def bad_request(description: str) -> ApiError:
    """Telegram prefixes every 400 description with 'Bad Request: '."""
    return ApiError(400, f"Bad Request: {description}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


@dataclass
class UserInfo:
    """A Telegram account as the bot sees it (language_code is the client app's language)."""

    id: int
    first_name: str = "Test"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False


@dataclass
class BotInfo:
    id: int = 7000000001
    first_name: str = "ParentVoice"
    username: str = "ParentVoiceBot"
    can_join_groups: bool = True
    can_read_all_group_messages: bool = False
    supports_inline_queries: bool = False


@dataclass
class FileRecord:
    """An uploaded or injected file; the bytes stay in memory so tests can read them back."""

    file_id: str
    file_unique_id: str
    data: bytes
    filename: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    url: str | None = None  # set when the bot sent a URL, which the stand-in never fetches


@dataclass
class StoredMessage:
    """A message as it currently stands in a chat (after edits)."""

    message: dict[str, Any]
    by_bot: bool
    file_id: str | None = None


@dataclass
class Topic:
    """A forum topic; its id is the message id of its forum_topic_created service message."""

    thread_id: int
    name: str
    closed: bool = False


@dataclass
class Chat:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    bot_status: str = MEMBER
    can_post: bool = True
    owner_id: int | None = None
    members: dict[int, str] = field(default_factory=dict)
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    menu_button: dict[str, Any] | None = None
    is_forum: bool = False                      # a supergroup with topics
    topics: dict[int, Topic] = field(default_factory=dict)
    general_closed: bool = False
    migrated_to: int | None = None              # a group upgraded to this supergroup

    def take_message_id(self) -> int:
        """Telegram numbers messages per chat, shared by the users' and the bot's messages."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    @property
    def is_group_like(self) -> bool:
        return self.type in (GROUP, SUPERGROUP, CHANNEL)


@dataclass
class CallbackRecord:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    answered: bool = False


@dataclass
class QueuedUpdate:
    """One update waiting in the bot's queue; delivered ones stay until an offset confirms them."""

    update: dict[str, Any]
    delivered: bool = False

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])

    @property
    def kind(self) -> str:
        for key in self.update:
            if key != "update_id":
                return key
        return ""


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
