"""The outbox sender: one asyncio task that sends queued rows as fast as Telegram allows, and no faster.

Each row is claimed ('sending', committed) before its request and finished ('sent', committed) after, so a
crash leaves at most ``concurrency`` rows in doubt (see ``delivery`` for what happens to them). Parts of a
multi-part post go to a chat strictly in order: a chat has at most one message in flight.

Logs carry row ids, states and error classes: never message text, pseudonyms or chat ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ExtBot

from bot.broadcast import outbox
from bot.broadcast.delivery import Next, Outcome, State, Verdict, classify, next_state
from bot.broadcast.outbox import Row
from bot.broadcast.pacing import Pacer
from bot.broadcast.posts import OutMessage
from bot.broadcast.settings import SendSettings
from bot.broadcast.unlinking import unlink_and_tell
from bot.storage import contacts, forum_chats
from bot.storage.db import Database

log = logging.getLogger(__name__)


BATCH = 500


def _limiter_options(bot: Bot) -> dict[str, int]:
    """The outbox paces and retries on its own: the application's rate limiter must not retry for it."""
    return {"rate_limit_args": 0} if isinstance(bot, ExtBot) else {}


def _markup(message: OutMessage) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, url=b.url) for b in row] for row in message.buttons])


class Sender:
    def __init__(self, bot: Bot, db: Database, secret: str, settings: SendSettings,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.bot = bot
        self.db = db
        self.secret = secret
        self.settings = settings
        self.clock = clock
        self.pacer = Pacer.from_settings(settings)
        self.stats: Counter[str] = Counter()
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._in_flight: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        recovered = await outbox.recover(self.db, self.settings)
        if recovered:
            log.warning("outbox: %d messages were in flight when the bot stopped; marked %s", recovered,
                        "queued" if self.settings.resend_ambiguous else "unknown (not resent)")
        self._loop = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        """Stop taking rows, let requests in flight finish (up to ``drain_timeout``), then return."""
        self._stop.set()
        self._wake.set()
        if self._loop is not None:
            await self._loop
            self._loop = None
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=self.settings.drain_timeout)
            for task in pending:  # these rows stay 'sending' and are recovered as ambiguous
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*pending, return_exceptions=True)

    def wake(self) -> None:
        """New rows were queued in this process."""
        self._wake.set()

    # ------------------------------------------------------------ the loop

    async def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                dispatched, wake_at = await self._pass()
            except Exception:
                log.exception("outbox pass failed")
                dispatched, wake_at = 0, self.clock() + self.settings.idle_poll
            if not dispatched:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), max(0.0, wake_at - self.clock()))

    async def _sleep(self, seconds: float) -> None:
        """A pacing wait that only a stop cuts short."""
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), seconds)

    async def _pass(self) -> tuple[int, float]:
        rows = await outbox.pending(self.db, BATCH)
        next_wake = self.clock() + self.settings.idle_poll
        dispatched = 0
        held = set(self._in_flight)  # a chat's later parts wait for its earlier ones
        for row in rows:
            if self._stop.is_set():
                break
            key = row.recipient
            if key in held:
                continue
            held.add(key)
            now = self.clock()
            if row.not_before > time.time():
                next_wake = min(next_wake, now + row.not_before - time.time())
                continue
            if self.pacer.chat_ready_at(key) > now:
                next_wake = min(next_wake, self.pacer.chat_ready_at(key))
                continue
            await self._slots.acquire()
            await self._sleep(self.pacer.overall_ready_at() - self.clock())
            now = self.clock()
            if self._stop.is_set() or self.pacer.chat_ready_at(key) > now or not await outbox.claim(self.db, row.id):
                self._slots.release()
                next_wake = min(next_wake, max(now, self.pacer.chat_ready_at(key)))
                continue
            self.pacer.record(key, row.chat_id is not None, now)
            self._in_flight.add(key)
            task = asyncio.create_task(self._deliver(row))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            dispatched += 1
        self.pacer.forget_before(self.clock())
        return dispatched, next_wake

    # ------------------------------------------------------------ one message

    async def _deliver(self, row: Row) -> None:
        try:
            state = await self._attempt(row)
            self.stats[state.value] += 1
            log.debug("outbox row %d: %s", row.id, state.value)
        except Exception:
            log.exception("outbox row %d: unexpected failure", row.id)
            with contextlib.suppress(Exception):
                await outbox.finish(self.db, row.id, Next(State.FAILED, row.attempts + 1), "internal")
        finally:
            self._in_flight.discard(row.recipient)
            self._slots.release()
            self._wake.set()

    async def _attempt(self, row: Row) -> State:
        message = await outbox.message_of(self.db, row)
        if message is None:
            return await self._finish(row, Next(State.FAILED, row.attempts), "no text")
        thread: int | None = None
        if row.chat_id is None:
            chat_id = await contacts.chat_of(self.db, self.secret, row.respondent or "")
            if chat_id is None:
                return await self._finish(row, Next(State.SKIPPED, row.attempts), "not subscribed")
        else:
            chat_id = row.chat_id
            linked = await forum_chats.get(self.db, chat_id)
            if linked is None or not linked.linked:
                return await self._finish(row, Next(State.SKIPPED, row.attempts), "unlinked")
            thread = linked.thread_id  # the forum's chosen topic in a forum supergroup
        try:
            await self.bot.send_message(chat_id, message.text, parse_mode=ParseMode.HTML, reply_markup=_markup(message),
                                        link_preview_options=LinkPreviewOptions(is_disabled=True),
                                        message_thread_id=thread, **_limiter_options(self.bot))
            outcome = Outcome(Verdict.SENT)
        except Exception as exc:
            outcome = classify(exc, row.attempts + 1, self.settings, to_parent=row.chat_id is None)
        await self._side_effects(row, outcome)
        nxt = next_state(outcome, row.attempts, self.settings)
        if outcome.verdict is Verdict.AMBIGUOUS:
            log.warning("outbox row %d: %s after the request may have reached Telegram; %s", row.id, outcome.reason,
                        "will resend" if nxt.state is State.QUEUED else "not resent")
        elif outcome.verdict is not Verdict.SENT:
            log.info("outbox row %d: %s -> %s", row.id, outcome.reason, nxt.state.value)
        return await self._finish(row, nxt, outcome.reason)

    async def _finish(self, row: Row, nxt: Next, reason: str) -> State:
        await outbox.finish(self.db, row.id, nxt, reason)
        return nxt.state

    async def _side_effects(self, row: Row, outcome: Outcome) -> None:
        v = outcome.verdict
        if v is Verdict.RETRY and outcome.reason == "RetryAfter":
            until = self.clock() + outcome.delay
            self.pacer.pause(until, None if outcome.pause_all else row.recipient)
        elif v is Verdict.BLOCKED and row.respondent:
            await contacts.unsubscribe(self.db, row.respondent)
            log.info("outbox row %d: recipient blocked the bot or left Telegram; unsubscribed", row.id)
        elif v is Verdict.CHAT_GONE and row.chat_id is not None:
            await unlink_and_tell(self.bot, self.db, row.chat_id, outcome.reason)
            log.info("outbox row %d: the bot can no longer post in that chat; unlinked", row.id)
        elif v is Verdict.MIGRATED and row.chat_id is not None and outcome.new_chat_id is not None:
            await forum_chats.migrate(self.db, row.chat_id, outcome.new_chat_id)
            await outbox.repoint(self.db, row.id, outbox.chat_recipient(outcome.new_chat_id))
