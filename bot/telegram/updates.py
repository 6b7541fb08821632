"""How updates flow from Telegram into the handlers: kept until handled, one chat at a time, chats in parallel.

Three pieces, each fixing a failure seen with real traffic:

- ``DurableUpdateQueue``: Telegram forgets an update once the bot acknowledges it, and python-telegram-bot
  acknowledges a fetched batch on its next poll, long before a backlog is worked through. Each update is
  kept (sealed) in the ``inbox`` table before it is queued and removed once it has been handled (in the
  step's own transaction, with the processed mark: one commit per step); at start-up whatever is left is
  queued again, so a crash or ``kill -9`` loses no parent's input.
- ``PerChatUpdateProcessor``: updates of one chat are handled in order, one at a time (a parent's answers
  must not overtake each other); different chats are handled concurrently, so one chat that waits (a flood
  wait, a slow send) never holds up another. The one SQLite connection is shared safely through
  ``Database``'s lock.
- ``ChatRateLimiter``: Telegram's 429 ``retry_after`` for one chat pauses that chat only. (PTB's
  ``AIORateLimiter`` pauses every request of the bot, so one flooded chat stalled everybody.)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Bot, Update
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter, BaseUpdateProcessor

from bot.privacy.sealed import seal_bytes, unseal_bytes
from bot.storage import inbox
from bot.storage.db import Database

log = logging.getLogger(__name__)

INBOX_LABEL = b"parentvoice inbox v1"


def chat_key(update: object) -> object:
    """What must be handled in order: the chat (a private chat is one parent), else the user, else all."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return ("global",)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Sequential within a chat, concurrent across chats (at most ``max_concurrent_updates`` at once).

    Tasks are created in the order updates arrive and each first waits for its chat's lock (FIFO), so the
    order within a chat is the order Telegram delivered.
    """

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[object, asyncio.Lock] = {}
        self._waiting: dict[object, int] = {}

    async def process_update(self, update: object, coroutine: Coroutine[Any, Any, Any]) -> None:
        key = chat_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await super().process_update(update, coroutine)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle chats, so memory does not grow with every parent
                del self._waiting[key]
                self._locks.pop(key, None)

    async def do_process_update(self, update: object, coroutine: Coroutine[Any, Any, Any]) -> None:
        await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class DurableUpdateQueue(asyncio.Queue):  # type: ignore[type-arg]
    """The application's update queue; ``put`` keeps the update in the database before queueing it.

    Both the poller and the webhook server await ``put`` before they acknowledge an update to Telegram.
    Until ``attach`` (the database opens in ``initialize``) updates are only queued.
    """

    #: Raw updates remembered at most (fetched, not yet queued): a poll brings at most 100.
    RAW_LIMIT = 1000

    def __init__(self) -> None:
        super().__init__()
        self._db: Database | None = None
        self._secret = ""
        self.in_hand = 0  # taken from the queue and not handled yet
        self._raw: dict[int, bytes] = {}

    def attach(self, db: Database, secret: str) -> None:
        self._db, self._secret = db, secret

    def detach(self) -> None:
        self._db = None

    def remember_raw(self, body: bytes) -> None:
        """A getUpdates answer as Telegram sent it: each update is kept from it when it is queued.

        Re-serialising PTB's objects (``Update.to_dict``) was a sixth of the event loop's CPU per step;
        ``Update.de_json`` reads the raw form back the same (it is what PTB itself parses). Updates that
        arrive another way (a webhook) are serialised from the object as before.
        """
        try:
            updates = json.loads(body).get("result")
        except (ValueError, AttributeError):
            return
        if not isinstance(updates, list):
            return
        if len(self._raw) > self.RAW_LIMIT:
            self._raw.clear()
        for raw in updates:
            if isinstance(raw, dict) and isinstance(raw.get("update_id"), int):
                self._raw[raw["update_id"]] = json.dumps(raw).encode()

    async def put(self, item: object) -> None:
        raw = self._raw.pop(item.update_id, None) if isinstance(item, Update) else None
        if self._db is not None and isinstance(item, Update):
            data = raw if raw is not None else json.dumps(item.to_dict()).encode()
            sealed = seal_bytes(self._secret, INBOX_LABEL, data)
            try:
                await inbox.keep(self._db, item.update_id, sealed)
            except Exception as exc:  # a full disk must not stop the parent hearing that we could not save
                log.critical("could not keep a fetched update (%s); it is handled but not kept", type(exc).__name__)
        await super().put(item)

    def get_nowait(self) -> object:
        item = super().get_nowait()
        self.in_hand += 1
        return item

    async def handled(self, update: object, *, cleared: bool = False) -> None:
        """The update was handled; ``cleared`` when its step's transaction already removed its inbox row."""
        self.in_hand = max(0, self.in_hand - 1)
        if self._db is not None and isinstance(update, Update) and not cleared:
            try:
                await inbox.done(self._db, update.update_id)
            except Exception as exc:
                log.critical("could not clear a handled update (%s)", type(exc).__name__)

    async def requeue_pending(self, bot: Bot) -> int:
        """Queue again what was kept but not handled before the last stop; returns how many."""
        if self._db is None:
            return 0
        count = 0
        for _, sealed in await inbox.pending(self._db):
            data = unseal_bytes(self._secret, INBOX_LABEL, sealed)
            if data is None:
                continue
            await super().put(Update.de_json(json.loads(data), bot))
            count += 1
        if count:
            log.warning("resuming %d updates fetched before the last stop", count)
        return count


def retry_seconds(exc: RetryAfter) -> float:
    value = getattr(exc, "_retry_after", None)  # a timedelta; the public property warns of deprecation
    if isinstance(value, timedelta):
        return value.total_seconds()
    raw = exc.retry_after
    return raw.total_seconds() if isinstance(raw, timedelta) else float(raw)


class ChatRateLimiter(BaseRateLimiter[int]):
    """Telegram's limits (about 30 messages a second overall, 20 a minute per group) and 429s per chat.

    A ``RetryAfter`` pauses only the chat it came for, then the request is tried again (``max_retries``
    times at most). Rates of 0 switch throttling off (tests against the stand-in) but keep the retries.
    """

    def __init__(self, overall_per_second: float = 30, group_per_minute: float = 20, max_retries: int = 3,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._overall = AsyncLimiter(overall_per_second, 1) if overall_per_second else None
        self._group_rate = group_per_minute
        self._groups: dict[object, AsyncLimiter] = {}
        self._max_retries = max_retries
        self._paused_until: dict[object, float] = {}
        self._clock = clock

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @contextlib.asynccontextmanager
    async def _limits(self, chat_id: object) -> AsyncIterator[None]:
        group = chat_id is not None and (isinstance(chat_id, str) or int(str(chat_id)) < 0)
        async with contextlib.AsyncExitStack() as stack:
            if group and self._group_rate:
                limiter = self._groups.setdefault(chat_id, AsyncLimiter(self._group_rate, 60))
                await stack.enter_async_context(limiter)
            if chat_id is not None and self._overall is not None:
                await stack.enter_async_context(self._overall)
            yield

    async def _wait_pause(self, chat_id: object) -> None:
        until = self._paused_until.get(chat_id)
        while until is not None:
            delay = until - self._clock()
            if delay <= 0:
                self._paused_until.pop(chat_id, None)
                return
            await asyncio.sleep(delay)
            until = self._paused_until.get(chat_id)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            await self._wait_pause(chat_id)
            try:
                async with self._limits(chat_id):
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                until = self._clock() + retry_seconds(exc) + 0.1
                self._paused_until[chat_id] = max(self._paused_until.get(chat_id, 0.0), until)
                log.info("flood wait for one chat: %.1f s", retry_seconds(exc))
        raise AssertionError("unreachable")
