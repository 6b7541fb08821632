"""Failures injected per chat: blocked users, deactivated accounts, flood waits, server errors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.standin.models import ApiError

DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass
class Fault:
    status: int
    description: str
    retry_after: int | None = None
    remaining: int | None = None  # None: every time, like a block
    methods: frozenset[str] | None = None  # lower-case method names; None: every chat-bound method

    def applies_to(self, method: str) -> bool:
        return self.methods is None or method.lower() in self.methods

    def error(self) -> ApiError:
        return ApiError(self.status, self.description, retry_after=self.retry_after)


def make_fault(
    status: int = 403,
    description: str | None = None,
    *,
    retry_after: int | None = None,
    times: int | None = None,
    methods: Iterable[str] | None = None,
) -> Fault:
    """Fills in Telegram's usual description for the status."""
    if status == 429:
        retry_after = 1 if retry_after is None else int(retry_after)
        description = description or f"Too Many Requests: retry after {retry_after}"
    elif description is None:
        description = DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
    if times is not None and times < 1:
        raise ValueError("times must be at least 1 (or None for permanent)")
    names = frozenset(m.lower() for m in methods) if methods is not None else None
    return Fault(status, description, retry_after, times, names)


class Faults:
    """The pending faults of every chat, consumed in the order they were added."""

    def __init__(self) -> None:
        self._by_chat: dict[int, list[Fault]] = {}

    def add(self, chat_id: int, fault: Fault) -> None:
        self._by_chat.setdefault(chat_id, []).append(fault)

    def clear(self, chat_id: int | None = None) -> None:
        if chat_id is None:
            self._by_chat.clear()
        else:
            self._by_chat.pop(chat_id, None)

    def take(self, chat_id: int, method: str) -> Fault | None:
        """The fault that hits this call, if any; counted faults are used up."""
        faults = self._by_chat.get(chat_id)
        if not faults:
            return None
        for fault in faults:
            if fault.applies_to(method):
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        faults.remove(fault)
                return fault
        return None


class MethodFaults:
    """Failures injected per Bot API method, for calls that are bound to no chat (setMyCommands, getMe...).

    Keyed by the canonical method name; consumed in the order they were added, like ``Faults``.
    """

    def __init__(self) -> None:
        self._by_method: dict[str, list[Fault]] = {}

    def add(self, method: str, fault: Fault) -> None:
        self._by_method.setdefault(method, []).append(fault)

    def clear(self, method: str | None = None) -> None:
        if method is None:
            self._by_method.clear()
        else:
            self._by_method.pop(method, None)

    def take(self, method: str) -> Fault | None:
        faults = self._by_method.get(method)
        if not faults:
            return None
        fault = faults[0]
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining <= 0:
                faults.pop(0)
        return fault
