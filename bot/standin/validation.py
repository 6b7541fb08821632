"""Telegram's request rules (lengths, keyboards, tokens), as pure functions raising ApiError.

The point is to fail in tests the way production fails: same HTTP status, same description.
Descriptions follow the Bot API server (TDLib) wording where it is known; the few that are
approximations are listed in docs/standin.md.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from bot.standin.models import bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200
MAX_BUTTONS = 100
MAX_SECRET_TOKEN = 256
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
REPLY_BUTTON_ACTIONS = (
    "request_users",
    "request_chat",
    "request_contact",
    "request_location",
    "request_poll",
    "web_app",
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


def check_text(text: str) -> None:
    """Telegram counts the limit in characters of the parsed text and rejects blank text."""
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")


def check_caption(caption: str | None) -> None:
    if caption is not None and len(caption) > MAX_CAPTION:
        raise bad_request("message caption is too long")


def _keyboard_error(detail: str) -> Exception:
    return bad_request(f"can't parse inline keyboard button: {detail}")


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    ok = (scheme in ("http", "https") and bool(parts.hostname)) or (scheme == "tg" and bool(parts.netloc))
    if not ok:
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise _keyboard_error("InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise _keyboard_error('Can\'t find field "text"')
    text = button["text"]
    if not isinstance(text, str):
        raise _keyboard_error('Field "text" must be of type String')
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [name for name in INLINE_BUTTON_ACTIONS if button.get(name) not in (None, False)]
    if not actions:
        raise _keyboard_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        # Telegram silently keeps the first; a button with two actions is always a bug.
        raise _keyboard_error(f"exactly one of the optional fields must be used, got {', '.join(actions)}")
    action = actions[0]
    value = button[action]
    if action == "callback_data":
        if not isinstance(value, str) or not 1 <= len(value.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif action == "url":
        if not isinstance(value, str):
            raise _keyboard_error('Field "url" must be of type String')
        _check_url(value)
    extra = {k: v for k, v in button.items() if k not in ("text", *INLINE_BUTTON_ACTIONS)}
    clean = {"text": text, action: value}
    for key in ("style", "icon_custom_emoji_id"):
        if key in extra:
            clean[key] = extra[key]
    return clean


def _reply_button(button: Any) -> dict[str, Any]:
    if isinstance(button, str):
        return {"text": button}
    if not isinstance(button, dict):
        raise bad_request("can't parse keyboard button: KeyboardButton must be a String or an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    clean: dict[str, Any] = {"text": text}
    for name in REPLY_BUTTON_ACTIONS:
        if button.get(name) not in (None, False):
            clean[name] = button[name]
    return clean


def _rows(value: Any, field: str, owner: str) -> list[list[Any]]:
    if not isinstance(value, list):
        raise bad_request(f'Field "{field}" of the {owner} must be an Array')
    for row in value:
        if not isinstance(row, list):
            raise bad_request(f'Field "{field}" of the {owner} must be an Array of Arrays')
    return value


def _flag(markup: dict[str, Any], name: str, owner: str) -> bool | None:
    if name not in markup:
        return None
    value = markup[name]
    if not isinstance(value, bool):
        raise bad_request(f'Field "{name}" of the {owner} must be of the type Boolean')
    return value


def parse_reply_markup(value: Any) -> dict[str, Any] | None:
    """Validates a decoded reply_markup and returns its canonical form (None: no markup)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" in value:
        rows = _rows(value["inline_keyboard"], "inline_keyboard", "InlineKeyboardMarkup")
        clean_rows = [[_inline_button(button) for button in row] for row in rows]
        if sum(len(row) for row in clean_rows) > MAX_BUTTONS:
            raise bad_request("reply markup is too long")
        clean_rows = [row for row in clean_rows if row]
        return {"inline_keyboard": clean_rows} if clean_rows else None
    if "keyboard" in value:
        rows = _rows(value["keyboard"], "keyboard", "ReplyKeyboardMarkup")
        clean_rows = [[_reply_button(button) for button in row] for row in rows]
        clean_rows = [row for row in clean_rows if row]
        if not clean_rows:
            return None
        markup: dict[str, Any] = {"keyboard": clean_rows}
        for name in ("resize_keyboard", "one_time_keyboard", "is_persistent", "selective"):
            flag = _flag(value, name, "ReplyKeyboardMarkup")
            if flag is not None:
                markup[name] = flag
        if isinstance(value.get("input_field_placeholder"), str):
            markup["input_field_placeholder"] = value["input_field_placeholder"]
        return markup
    if _flag(value, "remove_keyboard", "ReplyKeyboardRemove"):
        return {"remove_keyboard": True, **({"selective": True} if value.get("selective") is True else {})}
    if _flag(value, "force_reply", "reply markup"):
        return {"force_reply": True}
    return None


def require_inline(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Only inline keyboards can be attached by edit methods."""
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return markup


def check_callback_answer(text: str | None) -> None:
    if text is not None and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")


def check_secret_token(token: str | None) -> None:
    if token is None or token == "":
        return
    if len(token) > MAX_SECRET_TOKEN:
        raise bad_request("secret token is too long")
    if not _SECRET_TOKEN.match(token):
        raise bad_request("secret token contains unallowed characters")


def check_webhook_url(url: str) -> None:
    """Telegram demands HTTPS on a public host; a local stand-in must accept plain local HTTP."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")


def check_chat_action(action: str | None) -> str:
    if not action:
        raise bad_request("action is empty")
    action = action.lower()
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return action


def check_commands(commands: Any) -> list[dict[str, str]]:
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    clean: list[dict[str, str]] = []
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: expected an Object")
        command = item.get("command")
        description = item.get("description")
        if not isinstance(command, str) or not isinstance(description, str):
            raise bad_request('can\'t parse BotCommand: Field "command" must be of type String')
        command = command.removeprefix("/")
        if not _COMMAND.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        clean.append({"command": command, "description": description})
    return clean
