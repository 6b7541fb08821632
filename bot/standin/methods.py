"""The Bot API methods the stand-in serves, as synchronous functions of the world and the params.

getUpdates' waiting lives in the server; everything here answers at once.  Each chat-bound write
passes one gate in Telegram's order: injected fault, chat lookup, membership, validation, flood
limit, then the effect.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.standin.formatting import parse_formatted
from bot.standin.models import (
    ADMINISTRATOR,
    CHANNEL,
    CREATOR,
    KICKED,
    LEFT,
    PRIVATE,
    RESTRICTED,
    ApiError,
    Chat,
    FileRecord,
    StoredMessage,
    WebhookConfig,
    bad_request,
    too_many_requests,
)
from bot.standin.objects import (
    bot_user_object,
    chat_full_info,
    chat_member_object,
    document_object,
    photo_sizes,
    user_object,
)
from bot.standin.params import Params
from bot.standin.state import World
from bot.standin.topics import send_thread, thread_fields
from bot.standin.validation import (
    check_callback_answer,
    check_caption,
    check_chat_action,
    check_commands,
    check_secret_token,
    check_text,
    check_webhook_url,
    parse_reply_markup,
    require_inline,
)

SEND_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
WEBHOOK_CONFLICT = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
MAX_POLL_TIMEOUT = 60.0
UPDATE_KINDS = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
_BOT_TEXT_LIMITS = {"name": 64, "description": 512, "short_description": 120}


@dataclass(frozen=True)
class Described:
    """A result that Telegram sends together with a human-readable description."""

    result: Any
    description: str


@dataclass(frozen=True)
class PollRequest:
    offset: int | None
    limit: int
    timeout: float


class BotApi:
    """Dispatches method names (case-insensitive, as Telegram) to handlers."""

    def __init__(self, world: World, on_webhook_change: Callable[[], None] | None = None) -> None:
        self.world = world
        self.on_webhook_change = on_webhook_change or (lambda: None)
        self.handlers: dict[str, tuple[str, Callable[[Params], Any]]] = {}
        for name in (
            "getMe",
            "logOut",
            "close",
            "setWebhook",
            "deleteWebhook",
            "getWebhookInfo",
            "sendMessage",
            "sendPhoto",
            "sendDocument",
            "sendChatAction",
            "editMessageText",
            "editMessageCaption",
            "editMessageReplyMarkup",
            "deleteMessage",
            "answerCallbackQuery",
            "setMyCommands",
            "getMyCommands",
            "deleteMyCommands",
            "setMyName",
            "getMyName",
            "setMyDescription",
            "getMyDescription",
            "setMyShortDescription",
            "getMyShortDescription",
            "setChatMenuButton",
            "getChatMenuButton",
            "getChat",
            "getChatMember",
            "getChatAdministrators",
            "getChatMemberCount",
            "leaveChat",
            "getFile",
        ):
            handler = getattr(self, "_" + _snake(name))
            self.handlers[name.lower()] = (name, handler)

    def canonical(self, method: str) -> str | None:
        """The method's official spelling, or None when the stand-in does not serve it."""
        if method.lower() == "getupdates":
            return "getUpdates"
        entry = self.handlers.get(method.lower())
        return entry[0] if entry else None

    def call(self, method: str, params: Params) -> Any:
        entry = self.handlers.get(method.lower())
        if entry is None:
            raise ApiError(404, "Not Found: method not found")
        return entry[1](params)

    # -- getUpdates (the waiting is the server's) ----------------------------------------------

    def poll_request(self, params: Params) -> PollRequest:
        if self.world.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        allowed = params.json("allowed_updates")
        self.world.set_allowed_updates(_update_kinds(allowed))
        limit = min(100, max(1, params.int("limit", 100) or 100))
        timeout = min(MAX_POLL_TIMEOUT, max(0.0, params.float("timeout", 0.0) or 0.0))
        return PollRequest(params.int("offset"), limit, timeout)

    # -- gate ----------------------------------------------------------------------------------

    def _gate(self, method: str, params: Params) -> Chat:
        """Counts the attempt, applies an injected fault, finds the chat and checks membership."""
        world = self.world
        chat_ref = params.raw("chat_id")
        key = world.chat_key(chat_ref)
        if key is not None:
            if method.lower() in SEND_METHODS:
                world.attempt_counts[key] += 1
            fault = world.faults.take(key, method)
            if fault is not None:
                raise fault.error()
        chat = world.find_chat(chat_ref)
        _check_membership(chat, method)
        return chat

    def _flood_check(self, chat: Chat) -> None:
        retry_after = self.world.limiter.retry_after(chat.id, chat.is_group_like)
        if retry_after is not None:
            raise too_many_requests(retry_after)

    def _delivered(self, chat: Chat) -> None:
        self.world.success_counts[chat.id] += 1
        self.world.limiter.record(chat.id, chat.is_group_like)

    def _reply_to(self, chat: Chat, params: Params) -> dict[str, Any] | None:
        reply = params.json("reply_parameters", "reply parameters")
        message_id: int | None = None
        allow_missing = params.bool("allow_sending_without_reply")
        if isinstance(reply, dict):
            message_id = _as_int(reply.get("message_id"), "reply_parameters")
            allow_missing = bool(reply.get("allow_sending_without_reply", allow_missing))
        elif reply is not None:
            raise bad_request("can't parse reply parameters JSON object")
        else:
            message_id = params.int("reply_to_message_id")
        if message_id is None:
            return None
        stored = chat.messages.get(message_id)
        if stored is None:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return {k: v for k, v in stored.message.items() if k != "reply_to_message"}

    def _markup(self, params: Params) -> dict[str, Any] | None:
        return parse_reply_markup(params.json("reply_markup", "reply keyboard markup"))

    def _text(self, params: Params, name: str, entities_name: str) -> tuple[str, list[dict[str, Any]]]:
        entities = params.json(entities_name, "entities")
        if entities is not None and not isinstance(entities, list):
            raise bad_request("can't parse entities JSON object")
        return parse_formatted(params.str(name) or "", params.str("parse_mode"), entities)

    # -- identity and lifecycle ------------------------------------------------------------------

    def _get_me(self, params: Params) -> dict[str, Any]:
        return bot_user_object(self.world.bot, full=True)

    def _log_out(self, params: Params) -> bool:
        return True

    def _close(self, params: Params) -> bool:
        return True

    # -- webhook ---------------------------------------------------------------------------------

    def _set_webhook(self, params: Params) -> Described:
        url = params.str("url") or ""
        if not url:
            return self._delete_webhook(params)
        check_webhook_url(url)
        secret = params.str("secret_token")
        check_secret_token(secret)
        max_connections = params.int("max_connections", 40) or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("invalid max_connections specified")
        previous = self.world.webhook
        self.world.set_allowed_updates(_update_kinds(params.json("allowed_updates")))
        if params.bool("drop_pending_updates"):
            self.world.drop_pending()
        self.world.webhook = WebhookConfig(
            url=url,
            secret_token=secret or None,
            max_connections=max_connections,
            ip_address=params.str("ip_address"),
        )
        self.on_webhook_change()
        if previous is not None and previous.url == url:
            return Described(True, "Webhook is already set")
        return Described(True, "Webhook was set")

    def _delete_webhook(self, params: Params) -> Described:
        had = self.world.webhook is not None
        self.world.webhook = None
        if params.bool("drop_pending_updates"):
            self.world.drop_pending()
        self.on_webhook_change()
        return Described(True, "Webhook was deleted" if had else "Webhook is already deleted")

    def _get_webhook_info(self, params: Params) -> dict[str, Any]:
        hook = self.world.webhook
        info: dict[str, Any] = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.queue),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            if hook.ip_address:
                info["ip_address"] = hook.ip_address
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
            if self.world.allowed_updates is not None:
                info["allowed_updates"] = sorted(self.world.allowed_updates)
        return info

    # -- sending ---------------------------------------------------------------------------------

    def _send_message(self, params: Params) -> dict[str, Any]:
        chat = self._gate("sendMessage", params)
        text, entities = self._text(params, "text", "entities")
        check_text(text)
        markup = self._markup(params)
        reply = self._reply_to(chat, params)
        thread = send_thread(chat, params.int("message_thread_id"), reply)
        self._flood_check(chat)
        content: dict[str, Any] = {**thread_fields(thread), "text": text}
        if entities:
            content["entities"] = entities
        message = self._store_bot_message(chat, content, markup, reply)
        self.world.record(
            "sendMessage",
            chat.id,
            message_id=message["message_id"],
            message_thread_id=thread,
            text=text,
            raw_text=params.str("text"),
            entities=entities,
            reply_markup=markup,
            parse_mode=params.str("parse_mode"),
        )
        self._delivered(chat)
        return message

    def _store_bot_message(
        self,
        chat: Chat,
        content: dict[str, Any],
        markup: dict[str, Any] | None,
        reply: dict[str, Any] | None,
        file_id: str | None = None,
    ) -> dict[str, Any]:
        # Only inline keyboards belong to the message; reply keyboards change the user's keyboard.
        if markup is not None and "inline_keyboard" in markup:
            content["reply_markup"] = markup
        if reply is not None:
            content["reply_to_message"] = reply
        return self.world.add_message(
            chat, content, by_bot=True, sender=bot_user_object(self.world.bot), file_id=file_id
        )

    def _send_file(self, params: Params, method: str, kind: str) -> dict[str, Any]:
        chat = self._gate(method, params)
        record: FileRecord = self.world.files.from_request(params.file(kind), kind=kind)
        caption, entities = self._text(params, "caption", "caption_entities")
        check_caption(caption)
        markup = self._markup(params)
        reply = self._reply_to(chat, params)
        thread = send_thread(chat, params.int("message_thread_id"), reply)
        self._flood_check(chat)
        content: dict[str, Any] = {
            **thread_fields(thread),
            kind: photo_sizes(record) if kind == "photo" else document_object(record),
        }
        if caption:
            content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
        message = self._store_bot_message(chat, content, markup, reply, file_id=record.file_id)
        document = None
        if kind == "document":
            document = {
                "filename": record.filename,
                "size": len(record.data),
                "mime_type": record.mime_type,
                "file_id": record.file_id,
                "url": record.url,
            }
        self.world.record(
            method,
            chat.id,
            message_id=message["message_id"],
            message_thread_id=thread,
            caption=caption or None,
            raw_caption=params.str("caption"),
            entities=entities,
            reply_markup=markup,
            parse_mode=params.str("parse_mode"),
            document=document,
            photo=kind == "photo",
            file_id=record.file_id,
        )
        self._delivered(chat)
        return message

    def _send_photo(self, params: Params) -> dict[str, Any]:
        return self._send_file(params, "sendPhoto", "photo")

    def _send_document(self, params: Params) -> dict[str, Any]:
        return self._send_file(params, "sendDocument", "document")

    def _send_chat_action(self, params: Params) -> bool:
        self._gate("sendChatAction", params)
        check_chat_action(params.str("action"))
        return True

    # -- editing and deleting --------------------------------------------------------------------

    def _editable(self, method: str, params: Params) -> tuple[Chat, StoredMessage]:
        if "inline_message_id" in params:
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._gate(method, params)
        message_id = params.int("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        stored = chat.messages.get(message_id)
        if stored is None:
            raise bad_request("message to edit not found")
        if not stored.by_bot:
            raise bad_request("message can't be edited")
        return chat, stored

    def _apply_edit(
        self,
        method: str,
        chat: Chat,
        stored: StoredMessage,
        changes: dict[str, Any],
        markup: dict[str, Any] | None,
        params: Params,
    ) -> dict[str, Any]:
        """Telegram drops the keyboard when an edit omits reply_markup; identical edits are refused."""
        old = stored.message
        entity_field = "caption_entities" if "caption" in changes or "caption" in old else "entities"
        same = all(old.get(k) == v for k, v in changes.items()) and old.get("reply_markup") == markup
        if same:
            raise bad_request(NOT_MODIFIED)
        message = {k: v for k, v in old.items() if k != "reply_markup" and k not in changes}
        message.update({k: v for k, v in changes.items() if v is not None})
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = self.world.now()
        self.world.replace_message(chat, old["message_id"], message)
        self.world.record(
            method,
            chat.id,
            message_id=old["message_id"],
            text=message.get("text"),
            caption=message.get("caption"),
            entities=message.get(entity_field),
            reply_markup=markup,
            parse_mode=params.str("parse_mode"),
        )
        return message

    def _edit_message_text(self, params: Params) -> dict[str, Any]:
        chat, stored = self._editable("editMessageText", params)
        if "text" not in stored.message:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._text(params, "text", "entities")
        check_text(text)
        markup = require_inline(self._markup(params))
        return self._apply_edit(
            "editMessageText", chat, stored, {"text": text, "entities": entities or None}, markup, params
        )

    def _edit_message_caption(self, params: Params) -> dict[str, Any]:
        chat, stored = self._editable("editMessageCaption", params)
        if "text" in stored.message:
            raise bad_request("there is no caption in the message to edit")
        caption, entities = self._text(params, "caption", "caption_entities")
        check_caption(caption)
        markup = require_inline(self._markup(params))
        changes = {"caption": caption or None, "caption_entities": entities or None}
        return self._apply_edit("editMessageCaption", chat, stored, changes, markup, params)

    def _edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        chat, stored = self._editable("editMessageReplyMarkup", params)
        markup = require_inline(self._markup(params))
        return self._apply_edit("editMessageReplyMarkup", chat, stored, {}, markup, params)

    def _delete_message(self, params: Params) -> bool:
        chat = self._gate("deleteMessage", params)
        message_id = params.int("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        stored = chat.messages.get(message_id)
        if stored is None:
            raise bad_request("message to delete not found")
        if not stored.by_bot and chat.type != PRIVATE and chat.bot_status != ADMINISTRATOR:
            raise bad_request("message can't be deleted")
        del chat.messages[message_id]
        self.world.record("deleteMessage", chat.id, message_id=message_id)
        return True

    # -- callback queries ------------------------------------------------------------------------

    def _answer_callback_query(self, params: Params) -> bool:
        query_id = params.str("callback_query_id") or ""
        query = self.world.callbacks.get(query_id)
        if query is None or query.answered:
            raise bad_request(QUERY_INVALID)
        text = params.str("text")
        check_callback_answer(text)
        query.answered = True
        show_alert = params.bool("show_alert")
        entry = {
            "callback_query_id": query_id,
            "user_id": query.user_id,
            "chat_id": query.chat_id,
            "message_id": query.message_id,
            "data": query.data,
            "text": text,
            "show_alert": show_alert,
            "url": params.str("url"),
            "cache_time": params.int("cache_time", 0),
        }
        self.world.callback_log.append(entry)
        self.world.record(
            "answerCallbackQuery",
            query.chat_id,
            message_id=query.message_id,
            text=text,
            callback_query_id=query_id,
            show_alert=show_alert,
        )
        return True

    # -- commands, names, menu button ------------------------------------------------------------

    def _command_key(self, params: Params) -> tuple[str, str]:
        scope = params.json("scope", "bot command scope")
        if scope is not None and (not isinstance(scope, dict) or "type" not in scope):
            raise bad_request("can't parse BotCommandScope JSON object")
        scope_key = (
            "default" if not scope or scope.get("type") == "default" else json.dumps(scope, sort_keys=True)
        )
        language = params.str("language_code") or ""
        if language and (len(language) != 2 or not language.isalpha()):
            raise bad_request("invalid language code specified")
        return scope_key, language.lower()

    def _set_my_commands(self, params: Params) -> bool:
        commands = check_commands(params.json("commands"))
        key = self._command_key(params)
        if commands:
            self.world.commands[key] = commands
        else:
            self.world.commands.pop(key, None)
        return True

    def _get_my_commands(self, params: Params) -> list[dict[str, str]]:
        return list(self.world.commands.get(self._command_key(params), []))

    def _delete_my_commands(self, params: Params) -> bool:
        self.world.commands.pop(self._command_key(params), None)
        return True

    def _set_bot_text(self, params: Params, field: str) -> bool:
        value = params.str(field) or ""
        if len(value) > _BOT_TEXT_LIMITS[field]:
            raise bad_request(f"bot {field.replace('_', ' ')} is too long")
        language = (params.str("language_code") or "").lower()
        if value:
            self.world.bot_texts[(field, language)] = value
        else:
            self.world.bot_texts.pop((field, language), None)
        return True

    def _get_bot_text(self, params: Params, field: str) -> dict[str, str]:
        language = (params.str("language_code") or "").lower()
        texts = self.world.bot_texts
        default = self.world.bot.first_name if field == "name" else ""
        return {field: texts.get((field, language), texts.get((field, ""), default))}

    def _set_my_name(self, params: Params) -> bool:
        return self._set_bot_text(params, "name")

    def _get_my_name(self, params: Params) -> dict[str, str]:
        return self._get_bot_text(params, "name")

    def _set_my_description(self, params: Params) -> bool:
        return self._set_bot_text(params, "description")

    def _get_my_description(self, params: Params) -> dict[str, str]:
        return self._get_bot_text(params, "description")

    def _set_my_short_description(self, params: Params) -> bool:
        return self._set_bot_text(params, "short_description")

    def _get_my_short_description(self, params: Params) -> dict[str, str]:
        return self._get_bot_text(params, "short_description")

    def _set_chat_menu_button(self, params: Params) -> bool:
        button = params.json("menu_button", "menu button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in ("commands", "web_app", "default"):
            raise bad_request("can't parse menu button JSON object")
        if button["type"] == "web_app" and (
            not button.get("text") or not isinstance(button.get("web_app"), dict)
        ):
            raise bad_request("can't parse menu button JSON object")
        if "chat_id" in params:
            chat = self.world.find_chat(params.raw("chat_id"))
            if chat.type != PRIVATE:
                raise bad_request("chat not found")
            chat.menu_button = button
        else:
            self.world.default_menu_button = button
        return True

    def _get_chat_menu_button(self, params: Params) -> dict[str, Any]:
        if "chat_id" in params:
            chat = self.world.find_chat(params.raw("chat_id"))
            if chat.menu_button is not None:
                return chat.menu_button
        return self.world.default_menu_button

    # -- chats -----------------------------------------------------------------------------------

    def _get_chat(self, params: Params) -> dict[str, Any]:
        return chat_full_info(self.world.find_chat(params.raw("chat_id")))

    def _get_chat_member(self, params: Params) -> dict[str, Any]:
        chat = self.world.find_chat(params.raw("chat_id"))
        user_id = params.int("user_id")
        if user_id is None:
            raise bad_request("user_id is empty")
        if user_id == self.world.bot.id:
            return self.world.bot_member(chat)
        user = self.world.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        status = self.world.member_status(chat, user_id)
        return chat_member_object(user_object(user), status, chat=chat)

    def _get_chat_administrators(self, params: Params) -> list[dict[str, Any]]:
        chat = self.world.find_chat(params.raw("chat_id"))
        if chat.type == PRIVATE:
            raise bad_request("there are no administrators in the private chat")
        admins = []
        for user_id, status in chat.members.items():
            if status in (CREATOR, ADMINISTRATOR) and user_id in self.world.users:
                admins.append(chat_member_object(user_object(self.world.users[user_id]), status, chat=chat))
        if chat.bot_status == ADMINISTRATOR:
            admins.append(self.world.bot_member(chat))
        return admins

    def _get_chat_member_count(self, params: Params) -> int:
        chat = self.world.find_chat(params.raw("chat_id"))
        if chat.type == PRIVATE:
            return 2
        members = sum(1 for status in chat.members.values() if status not in (LEFT, KICKED))
        return members + (0 if chat.bot_status in (LEFT, KICKED) else 1)

    def _leave_chat(self, params: Params) -> bool:
        chat = self.world.find_chat(params.raw("chat_id"))
        if chat.type == PRIVATE:
            raise bad_request("chat member status can't be changed in private chats")
        if chat.bot_status in (LEFT, KICKED):
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        self.world.set_bot_status(chat.id, LEFT)
        return True

    def _get_file(self, params: Params) -> dict[str, Any]:
        file_id = params.str("file_id") or ""
        record = self.world.files.get(file_id)
        if record is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "file_size": len(record.data),
            "file_path": f"files/{record.file_id}",
        }


_RESTRICTED_WHAT = {"sendphoto": "photos", "senddocument": "documents"}


def _check_membership(chat: Chat, method: str = "sendMessage") -> None:
    """The 403s and 400s Telegram gives when the bot may not write to a chat."""
    if chat.migrated_to is not None:
        raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                       migrate_to_chat_id=chat.migrated_to)
    if chat.type == PRIVATE:
        if chat.bot_status == KICKED:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return
    if chat.bot_status == KICKED:
        raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
    if chat.bot_status == LEFT:
        raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
    if chat.type == CHANNEL and (chat.bot_status != ADMINISTRATOR or not chat.can_post):
        raise bad_request("need administrator rights in the channel chat")
    if chat.bot_status == RESTRICTED and method.lower() in SEND_METHODS:
        what = _RESTRICTED_WHAT.get(method.lower(), "text messages")
        raise bad_request(f"not enough rights to send {what} to the chat")


def _update_kinds(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request("can't parse allowed_updates JSON object")
    return [item for item in value if item in UPDATE_KINDS]


def _as_int(value: Any, name: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"can't parse {name} JSON object") from None


def _snake(name: str) -> str:
    out = []
    for char in name:
        if char.isupper():
            out.append("_" + char.lower())
        else:
            out.append(char)
    return "".join(out)
