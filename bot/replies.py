"""What the bot says, independent of Telegram's classes: text plus buttons, or a file.

Channel-neutral, so the conversation, the Telegram adapters and the broadcaster all build the same values."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.html_split import split_html

TELEGRAM_TEXT_LIMIT = 4096


@dataclass(frozen=True)
class Button:
    text: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Reply:
    """One message. ``replace_pressed`` edits the message whose button was pressed instead of sending."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    replace_pressed: bool = False
    document: bytes | None = None
    filename: str | None = None
    photo: bytes | None = None
    toast: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


def rows(buttons: list[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i:i + per_row]) for i in range(0, len(buttons), per_row))


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Telegram HTML in parts under the limit, cut at paragraph, then line, then word boundaries.

    Never inside a tag or a character reference; tags open at a cut are closed and reopened
    (bot/html_split.py), so every part is valid HTML on its own.
    """
    return split_html(text, limit)
