"""A simulated Telegram user talking to the bot through the stand-in.

Used by the demo, the end-to-end tests and the benchmarks. Each action injects an update into the
stand-in and waits until the bot application reports that update fully handled, so no step sleeps.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from typing import Any, Protocol

from bot.standin.server import StandIn

_TAG = re.compile(r"<[^>]+>")


class Observable(Protocol):
    observers: list[Callable[[int], None]]


class UpdateTracker:
    """Futures for update ids, resolved by the application's ``observers`` hook."""

    def __init__(self, app: Observable) -> None:
        self._done: set[int] = set()
        self._waiting: dict[int, asyncio.Future[None]] = {}
        app.observers.append(self._processed)

    def _processed(self, update_id: int) -> None:
        self._done.add(update_id)
        future = self._waiting.pop(update_id, None)
        if future is not None and not future.done():
            future.set_result(None)

    async def wait(self, update_id: int, seconds: float = 30.0) -> None:
        if update_id in self._done:
            return
        future = self._waiting.setdefault(update_id, asyncio.get_running_loop().create_future())
        async with asyncio.timeout(seconds):
            await future


def plain(html_text: str) -> str:
    """Telegram HTML as a terminal would show it."""
    return unescape(_TAG.sub("", html_text or ""))


@dataclass
class SimulatedUser:
    standin: StandIn
    tracker: UpdateTracker
    user_id: int
    language_code: str | None = "en"
    chat_id: int | None = None
    first_name: str = "Sam"
    username: str | None = None
    seen: int = 0
    transcript: list[str] = field(default_factory=list)

    @property
    def chat(self) -> int:
        return self.chat_id if self.chat_id is not None else self.user_id

    async def _settle(self, update: dict[str, Any]) -> list[dict[str, Any]]:
        await self.tracker.wait(update["update_id"])
        records = self.standin.sent(self.chat)[self.seen:]
        self.seen += len(records)
        for r in records:
            if r.get("method") in ("editMessageReplyMarkup", "answerCallbackQuery"):
                continue
            if r.get("text") or r.get("caption"):
                self.transcript.append("BOT: " + plain(r.get("text") or r.get("caption") or ""))
        return records

    async def send(self, text: str) -> list[dict[str, Any]]:
        self.transcript.append(f"YOU: {text}")
        update = await self.standin.send_message(self.user_id, text, chat_id=self.chat_id,
                                                 language_code=self.language_code, first_name=self.first_name,
                                                 username=self.username)
        return await self._settle(update)

    async def send_kind(self, kind: str, **extra: Any) -> list[dict[str, Any]]:
        self.transcript.append(f"YOU: <{kind}>")
        update = await self.standin.send_message(self.user_id, None, kind=kind, chat_id=self.chat_id,
                                                 language_code=self.language_code, first_name=self.first_name,
                                                 **extra)
        return await self._settle(update)

    def keyboard_message(self) -> dict[str, Any] | None:
        """The newest message in the chat that still has inline buttons (as it is now, after edits)."""
        for record in reversed(self.standin.sent(self.chat)):
            if record.get("message_id") is None:
                continue
            message = self.standin.message(self.chat, record["message_id"])
            if message and message.get("reply_markup", {}) and message["reply_markup"].get("inline_keyboard"):
                return message
        return None

    def buttons(self) -> list[dict[str, Any]]:
        message = self.keyboard_message()
        if message is None:
            return []
        return [b for row in message["reply_markup"]["inline_keyboard"] for b in row]

    def find_button(self, label: str | int) -> tuple[dict[str, Any], dict[str, Any]]:
        message = self.keyboard_message()
        if message is None:
            raise LookupError("no message with buttons")
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        if isinstance(label, int):
            return message, buttons[label]
        exact = [b for b in buttons if plain(b["text"]).strip() == label]
        partial = [b for b in buttons if label.casefold() in plain(b["text"]).casefold()]
        found = exact or partial
        if not found:
            raise LookupError(f"no button {label!r} in {[b['text'] for b in buttons]}")
        return message, found[0]

    async def press(self, label: str | int) -> list[dict[str, Any]]:
        message, button = self.find_button(label)
        return await self.press_data(button["callback_data"], message["message_id"], label=button["text"])

    async def press_callback(self, data: str) -> list[dict[str, Any]]:
        """Press the visible button that carries this callback data (language-independent)."""
        message = self.keyboard_message()
        if message is None:
            raise LookupError("no message with buttons")
        for row in message["reply_markup"]["inline_keyboard"]:
            for button in row:
                if button.get("callback_data") == data:
                    return await self.press_data(data, message["message_id"], label=button["text"])
        raise LookupError(f"no button with data {data!r}")

    async def press_data(self, data: str, message_id: int | None = None, label: str | None = None
                         ) -> list[dict[str, Any]]:
        """Press raw callback data (forged or stale buttons in tests)."""
        if message_id is None:
            message = self.keyboard_message()
            message_id = message["message_id"] if message else 1
        self.transcript.append(f"YOU: [{plain(label or data)}]")
        update = await self.standin.press(self.user_id, message_id, data, chat_id=self.chat_id,
                                          language_code=self.language_code)
        return await self._settle(update)

    def last_text(self) -> str:
        records = [r for r in self.standin.sent(self.chat) if r.get("text")]
        return plain(records[-1]["text"]) if records else ""

    def texts(self, since: int = 0) -> list[str]:
        return [plain(r.get("text") or r.get("caption") or "") for r in self.standin.sent(self.chat)[since:]]
