"""A broadcast wake-up for coroutines waiting on world changes (long polls, waiters, webhooks)."""

from __future__ import annotations

import asyncio
import contextlib


class Pulse:
    """Each fire() wakes every coroutine currently waiting; later waiters wait for the next fire.

    Waiters take `event` before re-checking their condition, and the world only changes on the
    event loop thread, so no wake-up can be lost between the check and the wait.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    @property
    def event(self) -> asyncio.Event:
        return self._event

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, event: asyncio.Event, seconds: float) -> None:
        """Waits for the given event (taken earlier from `event`) at most `seconds`."""
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)
