"""The outbox sender: one asyncio task that sends queued rows as fast as Telegram allows, and no faster.

Rows go in waves of at most ``concurrency``: a wave is claimed ('sending', committed) in one transaction that
also reads what its messages need (texts, sealed chat ids, forum links), just before their requests go out;
finished rows are written in batches (``Finisher``) before their slot is freed. So at any moment at most
``concurrency`` rows are 'sending', and those are exactly the ones whose requests may have reached Telegram:
a crash leaves at most that many in doubt (see ``delivery`` for what happens to them). Parts of a
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
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ExtBot

from bot.broadcast import outbox
from bot.broadcast.delivery import Next, Outcome, State, Verdict, classify, next_state
from bot.broadcast.outbox import Claimed, Row
from bot.broadcast.pacing import Pacer, Ticket
from bot.broadcast.posts import OutMessage
from bot.broadcast.settings import SendSettings
from bot.broadcast.unlinking import unlink_and_tell
from bot.privacy.chat_seal import unseal
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


@dataclass(frozen=True)
class Request:
    """A claimed row that goes out: where, in which topic, what."""

    chat_id: int
    thread: int | None
    message: OutMessage


class Finisher:
    """Finished rows written in batches: every row that finishes while a write is under way goes in the next
    one (one transaction, one round trip), and each caller returns once its own row is on disk."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._waiting: list[tuple[outbox.Finish, asyncio.Future[bool]]] = []
        self._lock = asyncio.Lock()

    async def finish(self, row_id: int, nxt: Next, reason: str = "") -> bool:
        not_before = time.time() + nxt.delay if nxt.state is State.QUEUED else 0.0
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((outbox.Finish(row_id, nxt.state.value, nxt.attempts, not_before, reason), done))
        await asyncio.sleep(0)  # rows of the same wave finishing now join this batch
        async with self._lock:
            if not done.done():
                batch, self._waiting = self._waiting, []
                try:
                    moved = await outbox.finish_many(self.db, [f for f, _ in batch])
                except BaseException as exc:
                    for _, fut in batch:
                        if not fut.done():
                            fut.set_exception(exc)
                    raise
                for (_, fut), ok in zip(batch, moved, strict=True):
                    if not fut.done():
                        fut.set_result(ok)
        return await done


class Sender:
    def __init__(self, bot: Bot, db: Database, secret: str, settings: SendSettings,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.bot = bot
        self.db = db
        self.secret = secret
        self.settings = settings
        self.clock = clock
        self.pacer = Pacer.from_settings(settings)
        self.finisher = Finisher(db)
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

    async def _until_ready(self) -> None:
        """Until the pacer lets at least one message start (or the sender stops)."""
        while not self._stop.is_set():
            now = self.clock()
            at = self.pacer.overall_ready_at(now)
            if at <= now:
                return
            await self._sleep(min(at - now, 0.05))  # an answer may come sooner (all slots in flight)

    async def _pass(self) -> tuple[int, float]:
        rows = await outbox.pending(self.db, BATCH)
        next_wake = self.clock() + self.settings.idle_poll
        held = set(self._in_flight)  # a chat's later parts wait for its earlier ones
        due: list[Row] = []
        for row in rows:
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
            due.append(row)
        dispatched = 0
        while due and not self._stop.is_set():
            await self._slots.acquire()
            await self._until_ready()
            now = self.clock()
            room = self.pacer.allowance(now)
            if room < 1:  # paused by a 429 meanwhile
                self._slots.release()
                continue
            wave = [due.pop(0)]
            while due and len(wave) < room and not self._slots.locked():
                await self._slots.acquire()  # free: returns at once
                wave.append(due.pop(0))
            ready = [r for r in wave if self.pacer.chat_ready_at(r.recipient) <= now]
            for r in wave:
                if r not in ready:
                    self._slots.release()
                    next_wake = min(next_wake, self.pacer.chat_ready_at(r.recipient))
            if self._stop.is_set() or not ready:
                for _ in ready:
                    self._slots.release()
                continue
            claimed = await outbox.claim_batch(self.db, [r.id for r in ready])
            for _ in range(len(ready) - len(claimed)):  # claimed meanwhile by another process
                self._slots.release()
            now = self.clock()
            self.pacer.wave(len(claimed), now)
            for c in claimed:
                request, skip = self._request(c)
                ticket = self.pacer.record(c.row.recipient, c.row.chat_id is not None, now) if request else None
                self._in_flight.add(c.row.recipient)
                task = asyncio.create_task(self._deliver(c.row, request, skip, ticket))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
                dispatched += 1
        self.pacer.forget_before(self.clock())
        return dispatched, next_wake

    def _request(self, c: Claimed) -> tuple[Request | None, str]:
        """What to send for a claimed row, or why nothing is (the row is then skipped or failed)."""
        if c.text is None:
            return None, "no text"
        message = OutMessage(c.text, c.buttons)
        if c.row.chat_id is None:
            chat_id = unseal(self.secret, c.sealed_chat) if c.sealed_chat is not None else None
            if chat_id is None:
                return None, "not subscribed"
            return Request(chat_id, None, message), ""
        if not c.linked:
            return None, "unlinked"
        return Request(c.row.chat_id, c.thread_id, message), ""  # the forum's chosen topic, if any

    # ------------------------------------------------------------ one message

    async def _deliver(self, row: Row, request: Request | None, skip: str, ticket: Ticket | None) -> None:
        try:
            if request is None:
                nxt = Next(State.FAILED if skip == "no text" else State.SKIPPED, row.attempts)
                state = await self._finish(row, nxt, skip)
            else:
                state = await self._attempt(row, request, ticket)
            self.stats[state.value] += 1
            log.debug("outbox row %d: %s", row.id, state.value)
        except Exception:
            log.exception("outbox row %d: unexpected failure", row.id)
            with contextlib.suppress(Exception):
                await self.finisher.finish(row.id, Next(State.FAILED, row.attempts + 1), "internal")
        finally:
            self._in_flight.discard(row.recipient)
            self._slots.release()
            self._wake.set()

    async def _attempt(self, row: Row, request: Request, ticket: Ticket | None) -> State:
        message = request.message
        try:
            await self.bot.send_message(request.chat_id, message.text, parse_mode=ParseMode.HTML,
                                        reply_markup=_markup(message),
                                        link_preview_options=LinkPreviewOptions(is_disabled=True),
                                        message_thread_id=request.thread, **_limiter_options(self.bot))
            outcome = Outcome(Verdict.SENT)
        except Exception as exc:
            outcome = classify(exc, row.attempts + 1, self.settings, to_parent=row.chat_id is None)
        finally:
            if ticket is not None:
                self.pacer.done(ticket, self.clock())
        await self._side_effects(row, outcome)
        nxt = next_state(outcome, row.attempts, self.settings)
        if outcome.verdict is Verdict.AMBIGUOUS:
            log.warning("outbox row %d: %s after the request may have reached Telegram; %s", row.id, outcome.reason,
                        "will resend" if nxt.state is State.QUEUED else "not resent")
        elif outcome.verdict is not Verdict.SENT:
            log.info("outbox row %d: %s -> %s", row.id, outcome.reason, nxt.state.value)
        return await self._finish(row, nxt, outcome.reason)

    async def _finish(self, row: Row, nxt: Next, reason: str) -> State:
        await self.finisher.finish(row.id, nxt, reason)
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
