"""The simulated Telegram world: users, chats, messages, the bot's update queue and its send log.

Synchronous and free of HTTP, so the server, the control API and the Python injection methods all
share one consistent model.  Listeners are called after each change so the server can wake long
polls, webhook delivery and test waiters.
"""

from __future__ import annotations

import bisect
import copy
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from bot.standin.faults import Faults, MethodFaults
from bot.standin.files import FileStore
from bot.standin.limits import RateLimiter
from bot.standin.models import (
    ADMINISTRATOR,
    CHANNEL,
    CHAT_TYPES,
    CREATOR,
    GENERAL_TOPIC,
    GROUP,
    KICKED,
    LEFT,
    MEMBER,
    PRIVATE,
    RESTRICTED,
    SUPERGROUP,
    ApiError,
    BotInfo,
    CallbackRecord,
    Chat,
    QueuedUpdate,
    StoredMessage,
    Topic,
    UserInfo,
    WebhookConfig,
    bad_request,
)
from bot.standin.objects import (
    bot_user_object,
    chat_instance,
    chat_member_object,
    chat_object,
    document_object,
    message_entities,
    message_object,
    photo_sizes,
    user_object,
)

# Without allowed_updates Telegram sends every kind except these three.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MESSAGE_KINDS = ("text", "sticker", "photo", "voice", "document", "video", "location", "contact")
_TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


class World:
    """All state of one stand-in; every method runs on the event loop thread, so no locking."""

    def __init__(self, bot: BotInfo | None = None, clock: Callable[[], float] = time.time) -> None:
        self.bot = bot or BotInfo()
        self._clock = clock
        self.update_listeners: list[Callable[[], None]] = []
        self.record_listeners: list[Callable[[], None]] = []
        self.faults = Faults()
        self.method_faults = MethodFaults()
        self.limiter = RateLimiter()
        self.files = FileStore()
        self.reset()

    # -- lifecycle ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Forgets every chat, message, update, failure and log; the bot identity stays."""
        self.users: dict[int, UserInfo] = {}
        self.chats: dict[int, Chat] = {}
        self.queue: list[QueuedUpdate] = []
        self.next_update_id = 1
        self.allowed_updates: frozenset[str] | None = None
        self.webhook: WebhookConfig | None = None
        self.log: list[dict[str, Any]] = []
        self._log_by_chat: dict[int, list[dict[str, Any]]] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self.callback_log: list[dict[str, Any]] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.bot_texts: dict[tuple[str, str], str] = {}
        self.default_menu_button: dict[str, Any] = {"type": "commands"}
        self.attempt_counts: Counter[int] = Counter()
        self.success_counts: Counter[int] = Counter()
        self.call_counts: Counter[str] = Counter()
        self._seq = 0
        self._callback_counter = 0
        self.faults.clear()
        self.method_faults.clear()
        self.limiter.configure(None)
        self.files.clear()

    def now(self) -> int:
        """Telegram dates are whole seconds."""
        return int(self._clock())

    def _notify(self, listeners: Iterable[Callable[[], None]]) -> None:
        for listener in list(listeners):
            listener()

    # -- users and chats ---------------------------------------------------------------------

    def ensure_user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        last_name: str | None = None,
        is_bot: bool | None = None,
    ) -> UserInfo:
        """Creates or refreshes a user; language_code follows the client app, so it may change."""
        user = self.users.get(user_id)
        if user is None:
            user = UserInfo(id=user_id, first_name=first_name or "Test")
            self.users[user_id] = user
        if is_bot is not None:
            user.is_bot = is_bot
        elif first_name:
            user.first_name = first_name
        if username is not None:
            user.username = username or None
        if language_code is not None:
            user.language_code = language_code or None
        if last_name is not None:
            user.last_name = last_name or None
        return user

    def private_chat(self, user: UserInfo) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(id=user.id, type=PRIVATE)
            self.chats[user.id] = chat
        chat.first_name = user.first_name
        chat.last_name = user.last_name
        chat.username = user.username
        return chat

    def add_chat(
        self,
        chat_id: int,
        type: str = CHANNEL,
        *,
        title: str | None = None,
        username: str | None = None,
        bot_is_admin: bool = True,
        can_post: bool = True,
        bot_member: bool = True,
        owner_id: int | None = None,
        is_forum: bool | None = None,
    ) -> Chat:
        """Registers a group, supergroup or channel (or updates it) with the bot's membership."""
        if type not in CHAT_TYPES:
            raise ValueError(f"unknown chat type {type!r}")
        if type == PRIVATE:
            user = self.ensure_user(chat_id, first_name=title)
            return self.private_chat(user)
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = Chat(id=chat_id, type=type)
            self.chats[chat_id] = chat
        chat.type = type
        chat.title = title or chat.title or f"Test {type}"
        chat.username = username.removeprefix("@") if username else chat.username
        chat.bot_status = (ADMINISTRATOR if bot_is_admin else MEMBER) if bot_member else LEFT
        chat.can_post = can_post
        if is_forum is not None:
            if is_forum and type != SUPERGROUP:
                raise ValueError("only a supergroup can have topics")
            chat.is_forum = is_forum
            # Message id 1 is the chat's creation, which is also the General topic's id.
            chat.next_message_id = max(chat.next_message_id, GENERAL_TOPIC + 1) if is_forum else chat.next_message_id
        if owner_id is not None:
            self.ensure_user(owner_id)
            chat.owner_id = owner_id
            chat.members[owner_id] = CREATOR
        return chat

    def find_chat(self, chat_ref: int | str | None) -> Chat:
        """Resolves a chat_id parameter (number or @username) as Telegram does."""
        if chat_ref is None or chat_ref == "":
            raise bad_request("chat_id is empty")
        if isinstance(chat_ref, str):
            ref = chat_ref.strip()
            if ref.startswith("@"):
                name = ref[1:].lower()
                for chat in self.chats.values():
                    if chat.username and chat.username.lower() == name:
                        return chat
                raise bad_request("chat not found")
            try:
                chat_ref = int(ref)
            except ValueError:
                raise bad_request("chat not found") from None
        chat = self.chats.get(int(chat_ref))
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def chat_key(self, chat_ref: int | str | None) -> int | None:
        """The numeric id behind a chat_id parameter, even for chats the stand-in does not know."""
        try:
            return self.find_chat(chat_ref).id
        except ApiError:
            try:
                return int(str(chat_ref))
            except ValueError:
                return None

    def bot_member(self, chat: Chat) -> dict[str, Any]:
        return chat_member_object(
            bot_user_object(self.bot), chat.bot_status, chat=chat, can_post=chat.can_post
        )

    def member_status(self, chat: Chat, user_id: int) -> str:
        if user_id == self.bot.id:
            return chat.bot_status
        if chat.type == PRIVATE:
            return MEMBER if user_id == chat.id else LEFT
        return chat.members.get(user_id, LEFT)

    # -- updates -----------------------------------------------------------------------------

    def is_allowed(self, kind: str) -> bool:
        if self.allowed_updates is None:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self.allowed_updates

    def set_allowed_updates(self, kinds: list[str] | None) -> None:
        """None keeps the previous setting; an empty list restores Telegram's default."""
        if kinds is None:
            return
        self.allowed_updates = frozenset(kinds) if kinds else None

    def enqueue(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queues an update; keeps a given update_id so that duplicates can be simulated."""
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update = {"update_id": self.next_update_id, **update}
        self.next_update_id = max(self.next_update_id, int(update["update_id"]) + 1)
        queued = QueuedUpdate(update)
        if self.is_allowed(queued.kind):
            self.queue.append(queued)
            self._notify(self.update_listeners)
        return copy.deepcopy(update)

    def take_updates(self, offset: int | None, limit: int) -> list[dict[str, Any]]:
        """getUpdates without the waiting: confirms below offset, then returns what is pending.

        Only updates already handed out are confirmed by an offset, so a duplicate injected with an
        old update_id is still delivered once, as when Telegram re-sends after a lost confirmation.
        """
        if offset is not None and offset < 0:
            self.queue = self.queue[offset:]
        elif offset:
            self.queue = [q for q in self.queue if not (q.delivered and q.update_id < offset)]
        batch = [q for q in self.queue if self.is_allowed(q.kind)][:limit]
        for queued in batch:
            queued.delivered = True
        return [q.update for q in batch]

    def drop_pending(self) -> None:
        self.queue.clear()

    # -- log of what the bot did -------------------------------------------------------------

    def record(self, method: str, chat_id: int, **fields: Any) -> dict[str, Any]:
        self._seq += 1
        entry: dict[str, Any] = {
            "seq": self._seq,
            "method": method,
            "message_id": None,
            "chat_id": chat_id,
            "message_thread_id": None,
            "text": None,
            "caption": None,
            "reply_markup": None,
            "parse_mode": None,
            "document": None,
            "photo": False,
            "date": self.now(),
        }
        entry.update(fields)
        self.log.append(entry)
        self._log_by_chat.setdefault(chat_id, []).append(entry)
        self._notify(self.record_listeners)
        return entry

    @property
    def last_seq(self) -> int:
        return self._seq

    def _records(
        self, chat_id: int | None, since: int, methods: Iterable[str] | None
    ) -> list[dict[str, Any]]:
        """Records are kept per chat in seq order, so `since` is a bisection, not a scan."""
        entries = self.log if chat_id is None else self._log_by_chat.get(chat_id, [])
        start = bisect.bisect_right(entries, since, key=lambda entry: entry["seq"])
        selected = entries[start:]
        if methods is not None:
            wanted = {m.lower() for m in methods}
            selected = [entry for entry in selected if entry["method"].lower() in wanted]
        return selected

    def count_sent(
        self, chat_id: int | None = None, since: int = 0, methods: Iterable[str] | None = None
    ) -> int:
        return len(self._records(chat_id, since, methods))

    def sent(
        self, chat_id: int | None = None, since: int = 0, methods: Iterable[str] | None = None
    ) -> list[dict[str, Any]]:
        """Copies, so that tests cannot change the log by editing what they got."""
        return copy.deepcopy(self._records(chat_id, since, methods))

    # -- messages ----------------------------------------------------------------------------

    def add_message(
        self,
        chat: Chat,
        content: dict[str, Any],
        *,
        by_bot: bool,
        sender: dict[str, Any] | None,
        file_id: str | None = None,
    ) -> dict[str, Any]:
        message = message_object(
            message_id=chat.take_message_id(), chat=chat, date=self.now(), sender=sender, content=content
        )
        chat.messages[message["message_id"]] = StoredMessage(message, by_bot=by_bot, file_id=file_id)
        return message

    def replace_message(self, chat: Chat, message_id: int, message: dict[str, Any]) -> None:
        """Edits replace the stored dict (never mutate it), so earlier snapshots stay valid."""
        chat.messages[message_id].message = message

    def stored(self, chat_id: int, message_id: int) -> StoredMessage | None:
        chat = self.chats.get(chat_id)
        return None if chat is None else chat.messages.get(message_id)

    # -- what users do -----------------------------------------------------------------------

    def _user_content(
        self,
        user: UserInfo,
        kind: str,
        text: str | None,
        entities: list[dict[str, Any]] | None,
        file_data: bytes | None,
        file_name: str | None,
    ) -> tuple[dict[str, Any], str | None]:
        if kind not in MESSAGE_KINDS:
            raise ValueError(f"kind must be one of {', '.join(MESSAGE_KINDS)}")
        content: dict[str, Any] = {}
        if kind == "text":
            if not text:
                raise ValueError("a text message needs text")
            content["text"] = text
            found = entities if entities is not None else message_entities(text)
            if found:
                content["entities"] = found
            return content, None
        file_id = None
        if kind in ("photo", "document", "voice", "video", "sticker"):
            default = _TINY_PNG if kind in ("photo", "sticker") else b"stand-in " + kind.encode()
            record = self.files.add(file_data if file_data is not None else default, filename=file_name)
            file_id = record.file_id
            base = {"file_id": record.file_id, "file_unique_id": record.file_unique_id}
            if kind == "photo":
                content["photo"] = photo_sizes(record)
            elif kind == "document":
                record.filename = record.filename or "document.pdf"
                record.mime_type = record.mime_type or "application/pdf"
                content["document"] = document_object(record)
            elif kind == "voice":
                content["voice"] = {
                    **base,
                    "duration": 3,
                    "mime_type": "audio/ogg",
                    "file_size": len(record.data),
                }
            elif kind == "video":
                content["video"] = {
                    **base,
                    "width": 640,
                    "height": 360,
                    "duration": 5,
                    "file_size": len(record.data),
                }
            else:
                content["sticker"] = {
                    **base,
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "emoji": "👍",
                }
        elif kind == "location":
            content["location"] = {"latitude": 51.5072, "longitude": -0.1276}
        elif kind == "contact":
            content["contact"] = {
                "phone_number": "+447700900123",
                "first_name": user.first_name,
                "user_id": user.id,
            }
        if text and kind in ("photo", "document", "voice", "video"):
            content["caption"] = text
            if entities:
                content["caption_entities"] = entities
        return content, file_id

    def user_message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        chat_type: str = PRIVATE,
        language_code: str | None = None,
        first_name: str | None = None,
        username: str | None = None,
        kind: str = "text",
        entities: list[dict[str, Any]] | None = None,
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
        file_data: bytes | None = None,
        file_name: str | None = None,
        message_thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A user writes to the bot (or in a group/channel the bot is in); returns the Update.

        A message from another bot is stored (it can be replied to) but never queued, as Telegram never
        shows bots each other's messages; the result then has no update_id.
        """
        user = self.ensure_user(
            user_id, first_name=first_name, username=username, language_code=language_code
        )
        if chat_type == PRIVATE and chat_id not in (None, user_id):
            raise ValueError("a private chat's id is the user's id")
        if chat_type == PRIVATE:
            if user.is_bot:
                raise ValueError("a bot cannot write to the bot in private")
            chat = self.private_chat(user)
            if chat.bot_status == KICKED:
                # Writing again means the user pressed "Restart": Telegram unblocks and says so.
                self.set_bot_status(chat.id, MEMBER, by_user_id=user_id)
        else:
            if chat_id is None:
                raise ValueError("group, supergroup and channel messages need chat_id")
            chat = self.chats.get(chat_id) or self.add_chat(
                chat_id, chat_type, title=chat_title, bot_is_admin=False
            )
            if chat.migrated_to is not None:
                raise ValueError(f"that group was upgraded to the supergroup {chat.migrated_to}")
            if chat_title:
                chat.title = chat_title
            if chat.type != CHANNEL and user_id not in chat.members:
                chat.members[user_id] = MEMBER
        content, file_id = self._user_content(user, kind, text, entities, file_data, file_name)
        topic = self._topic_of(chat, message_thread_id)
        if reply_to_message_id is not None:
            replied = chat.messages.get(reply_to_message_id)
            if replied is None:
                raise LookupError("no such message to reply to")
            content["reply_to_message"] = copy.deepcopy(replied.message)
            if topic is None and replied.message.get("is_topic_message"):
                topic = chat.topics.get(int(replied.message["message_thread_id"]))
        elif topic is not None and topic.thread_id in chat.messages:
            # In a topic every message answers the topic's creation message unless it answers another.
            content["reply_to_message"] = copy.deepcopy(chat.messages[topic.thread_id].message)
        if topic is not None:
            content["message_thread_id"] = topic.thread_id
            content["is_topic_message"] = True
        message = self.add_message(chat, content, by_bot=False, sender=user_object(user), file_id=file_id)
        if user.is_bot:
            return {"message": message}
        return self.enqueue({"channel_post" if chat.type == CHANNEL else "message": message})

    def _topic_of(self, chat: Chat, thread_id: int | None) -> Topic | None:
        """The topic a user writes in: None for General (its messages carry no thread id)."""
        if thread_id is None or thread_id == GENERAL_TOPIC:
            return None
        if not chat.is_forum:
            raise ValueError("only a forum supergroup (is_forum) has topics")
        topic = chat.topics.get(thread_id)
        if topic is None:
            raise LookupError("no such topic in that chat")
        return topic

    # -- groups: members, other bots, topics, upgrades ------------------------------------------

    def add_member(
        self,
        chat_id: int,
        user_id: int,
        *,
        first_name: str | None = None,
        username: str | None = None,
        is_bot: bool = False,
        status: str = MEMBER,
    ) -> dict[str, Any]:
        """Someone (a person or another bot) joins a group: the new_chat_members service message."""
        chat = self.chats.get(chat_id)
        if chat is None or chat.type not in (GROUP, SUPERGROUP):
            raise LookupError("add the group or supergroup first")
        if status not in (MEMBER, ADMINISTRATOR, CREATOR):
            raise ValueError("status must be member, administrator or creator")
        user = self.ensure_user(user_id, first_name=first_name, username=username, is_bot=is_bot)
        chat.members[user_id] = status
        message = self.add_message(
            chat, {"new_chat_members": [user_object(user)]}, by_bot=False, sender=user_object(user)
        )
        return self.enqueue({"message": message})

    def create_topic(self, chat_id: int, name: str, *, by_user_id: int | None = None) -> int:
        """A forum admin opens a topic; returns its message_thread_id (the service message's id)."""
        chat = self.chats.get(chat_id)
        if chat is None or not chat.is_forum:
            raise LookupError("no forum supergroup with that id (add_chat(..., is_forum=True))")
        sender = user_object(self.ensure_user(by_user_id)) if by_user_id is not None else None
        thread_id = chat.next_message_id
        content = {
            "message_thread_id": thread_id,
            "is_topic_message": True,
            "forum_topic_created": {"name": name, "icon_color": 7322096},
        }
        message = self.add_message(chat, content, by_bot=False, sender=sender)
        chat.topics[thread_id] = Topic(thread_id, name)
        self.enqueue({"message": message})
        return thread_id

    def close_topic(self, chat_id: int, thread_id: int = GENERAL_TOPIC, *, closed: bool = True) -> None:
        """Closes (or reopens) a topic; GENERAL_TOPIC (1) is the General topic."""
        chat = self.chats.get(chat_id)
        if chat is None or not chat.is_forum:
            raise LookupError("no forum supergroup with that id")
        if thread_id == GENERAL_TOPIC:
            chat.general_closed = closed
        elif thread_id in chat.topics:
            chat.topics[thread_id].closed = closed
        else:
            raise LookupError("no such topic in that chat")

    def migrate_chat(self, chat_id: int, new_chat_id: int | None = None, *, by_user_id: int | None = None) -> int:
        """A group is upgraded to a supergroup: a new id, and a service message in each chat.

        The old chat answers later sends with 400 "group chat was upgraded to a supergroup chat" and
        parameters.migrate_to_chat_id, as Telegram does.
        """
        old = self.chats.get(chat_id)
        if old is None or old.type != GROUP or old.migrated_to is not None:
            raise LookupError("no basic group with that id to upgrade")
        new_id = new_chat_id if new_chat_id is not None else -(10**12 + abs(chat_id))
        if new_id in self.chats:
            raise ValueError("that supergroup id is taken")
        new = Chat(id=new_id, type=SUPERGROUP, title=old.title, username=old.username,
                   bot_status=old.bot_status, can_post=old.can_post, owner_id=old.owner_id,
                   members=dict(old.members))
        self.chats[new_id] = new
        old.migrated_to = new_id
        actor = by_user_id if by_user_id is not None else old.owner_id
        sender = user_object(self.ensure_user(actor)) if actor is not None else None
        first = self.add_message(old, {"migrate_to_chat_id": new_id}, by_bot=False, sender=sender)
        second = self.add_message(new, {"migrate_from_chat_id": chat_id}, by_bot=False, sender=sender)
        self.enqueue({"message": first})
        self.enqueue({"message": second})
        return new_id

    def user_edit(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        chat = self.chats.get(user_id if chat_id is None else chat_id)
        stored = None if chat is None else chat.messages.get(message_id)
        if chat is None or stored is None or stored.by_bot:
            raise LookupError("no message of this user with that id")
        sender = stored.message.get("from", {})
        if chat.type != CHANNEL and sender.get("id") != user_id:
            raise LookupError("that message was written by someone else")
        field = "text" if "text" in stored.message else "caption"
        message = {**stored.message, field: text, "edit_date": self.now()}
        entity_field = "entities" if field == "text" else "caption_entities"
        message.pop(entity_field, None)
        if field == "text" and message_entities(text):
            message["entities"] = message_entities(text)
        self.replace_message(chat, message_id, message)
        return self.enqueue({"edited_channel_post" if chat.type == CHANNEL else "edited_message": message})

    def press(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        language_code: str | None = None,
        strict: bool = False,
    ) -> dict[str, Any]:
        """A user taps an inline button.

        strict refuses data that no button of the message carries and deleted messages; otherwise
        forged data goes through and a vanished message arrives as an InaccessibleMessage (date 0).
        """
        chat = self.chats.get(user_id if chat_id is None else chat_id)
        if chat is None:
            raise LookupError("no such chat")
        stored = chat.messages.get(message_id)
        if stored is None and strict:
            raise LookupError("no such message in that chat")
        if strict and stored is not None:
            markup = stored.message.get("reply_markup") or {}
            options = [b.get("callback_data") for row in markup.get("inline_keyboard", []) for b in row]
            if data not in options:
                raise LookupError("the message has no inline button with that callback_data")
        user = self.ensure_user(user_id, language_code=language_code)
        self._callback_counter += 1
        query_id = str(4_000_000_000_000_000 + self._callback_counter)
        self.callbacks[query_id] = CallbackRecord(query_id, user_id, chat.id, message_id, data)
        query = {
            "id": query_id,
            "from": user_object(user),
            "message": (
                copy.deepcopy(stored.message)
                if stored is not None
                else {"chat": chat_object(chat), "message_id": message_id, "date": 0}
            ),
            "chat_instance": chat_instance(chat.id),
            "data": data,
        }
        return self.enqueue({"callback_query": query})

    def set_bot_status(
        self, chat_id: int, status: str, *, by_user_id: int | None = None, can_post: bool | None = None
    ) -> dict[str, Any]:
        """Changes the bot's membership (block, unblock, add, remove, restrict) and emits my_chat_member.

        by_user_id is who did it; None means the bot itself (leaveChat). can_post changes a channel
        admin's "Post Messages" right; "restricted" is a group member who may not send messages.
        """
        if status not in (MEMBER, ADMINISTRATOR, LEFT, KICKED, RESTRICTED):
            raise ValueError("status must be member, administrator, left, kicked or restricted")
        actor = bot_user_object(self.bot) if by_user_id is None else user_object(self.ensure_user(by_user_id))
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_id != by_user_id or by_user_id is None:
                raise LookupError("unknown chat; add it first")
            chat = self.private_chat(self.users[by_user_id])
        if status == RESTRICTED and chat.type not in (GROUP, SUPERGROUP):
            raise ValueError("only a group member can be restricted")
        old = self.bot_member(chat)
        chat.bot_status = status
        if can_post is not None:
            chat.can_post = can_post
        return self.enqueue(
            {
                "my_chat_member": {
                    "chat": chat_object(chat),
                    "from": actor,
                    "date": self.now(),
                    "old_chat_member": old,
                    "new_chat_member": self.bot_member(chat),
                }
            }
        )
