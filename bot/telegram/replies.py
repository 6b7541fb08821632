"""What the bot says, independent of Telegram's classes: text plus buttons, or a file."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """Split at paragraph, then line, then word boundaries so no message passes Telegram's limit."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts
