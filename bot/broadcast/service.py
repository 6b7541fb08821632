"""The background work of broadcasting, started and stopped with the application.

``start_background(app)`` opens two connections of its own (one for the sender, one for the scheduler: a
transaction on a shared aiosqlite connection would swallow the other's writes), recovers rows left in
flight, starts the sender and re-arms scheduled reminders from the database. ``stop_background(app)``
lets requests in flight finish first. Both are idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import Any

from bot.broadcast import outbox, queue, scheduled
from bot.broadcast.scheduled import survey_end
from bot.broadcast.sender import Sender
from bot.broadcast.settings import SendSettings
from bot.storage import inspections as inspections_repo
from bot.storage import scheduled as jobs
from bot.storage.db import Database

log = logging.getLogger(__name__)
KEY = "broadcast"
PURGE_EVERY = 24 * 3600.0


class BroadcastService:
    def __init__(self, bot: Any, sender_db: Database, scheduler_db: Database, secret: str,
                 settings: SendSettings) -> None:
        self.bot = bot
        self.db = scheduler_db
        self.settings = settings
        self.sender = Sender(bot, sender_db, secret, settings)
        self._stop = asyncio.Event()
        self._poke = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_purge = 0.0
        self._due_lock = asyncio.Lock()  # the loop and a caller (tests, tools) share one connection

    async def start(self) -> None:
        await self.sender.start()
        self._task = asyncio.create_task(self._schedule_loop(), name="broadcast-scheduler")

    async def stop(self) -> None:
        self._stop.set()
        self._poke.set()
        if self._task is not None:
            await self._task
        await self.sender.stop()
        await self.sender.db.close()
        await self.db.close()

    def wake(self) -> None:
        """Rows were queued (or inspections changed) in this process: look now rather than at the next poll."""
        self.sender.wake()
        self._poke.set()

    async def drained(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109 - a deadline for tests and tools
        """Wait until nothing is queued or in flight (retries that are waiting count as queued)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while await outbox.open_rows(self.db):
            if loop.time() > deadline:
                raise TimeoutError("the outbox did not drain in time")
            await asyncio.sleep(0.02)

    # ------------------------------------------------------------ scheduled work

    async def _schedule_loop(self) -> None:
        while not self._stop.is_set():
            self._poke.clear()
            try:
                await self.run_due()
                next_due = await jobs.next_due(self.db)
            except Exception:
                log.exception("scheduler pass failed")
                next_due = None
            wait = self.settings.scheduler_poll
            if next_due is not None:
                wait = min(wait, max(0.0, (next_due - datetime.now(UTC)).total_seconds()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poke.wait(), wait)

    async def run_due(self, now: datetime | None = None) -> int:
        """Arm reminders for inspections still open or to come, and queue the ones that are due."""
        async with self._due_lock:
            return await self._run_due(now or datetime.now(UTC))

    async def _run_due(self, now: datetime) -> int:
        inspections = await inspections_repo.all_inspections(self.db)
        async with self.db.transaction():
            await scheduled.ensure_reminders(self.db, inspections, self.settings.reminder_hours, now)
        fired = 0
        for job in await jobs.due_jobs(self.db, now):
            inspection = await inspections_repo.get(self.db, job.inspection_id)
            async with self.db.transaction():
                if inspection is None or survey_end(inspection) <= now:
                    await jobs.finish(self.db, job.id, "skipped")
                    continue
                queued = await queue.remind(self.db, inspection, bot_username=self.bot.username or "ParentVoiceBot")
                await jobs.finish(self.db, job.id, "done")
            fired += 1
            log.info("reminder queued for %d subscribers", queued.parents)
            self.sender.wake()
        loop_now = asyncio.get_running_loop().time()
        if loop_now - self._last_purge > PURGE_EVERY:
            self._last_purge = loop_now
            async with self.db.transaction():
                purged = await outbox.purge(self.db)
            if purged:
                log.info("purged %d finished broadcasts", purged)
        return fired


def settings_of(app: Any) -> SendSettings:
    found = app.bot_data.get("broadcast_settings")
    return found if isinstance(found, SendSettings) else SendSettings.from_env()


async def start_background(app: Any, settings: SendSettings | None = None) -> BroadcastService:
    """Start the sender and the scheduler for this application (once)."""
    running = app.bot_data.get(KEY)
    if isinstance(running, BroadcastService):
        return running
    settings = settings or settings_of(app)
    path = app.config.db_path
    service = BroadcastService(app.bot, await Database.open(path, migrate=False),
                               await Database.open(path, migrate=False), app.config.secret, settings)
    app.bot_data[KEY] = service
    await service.start()
    log.info("broadcast sender started at %.1f messages/s", settings.messages_per_second)
    return service


async def stop_background(app: Any) -> None:
    service = app.bot_data.pop(KEY, None)
    if isinstance(service, BroadcastService):
        await service.stop()
        log.info("broadcast sender stopped: %s", dict(service.sender.stats))


def service_of(app: Any) -> BroadcastService | None:
    found = app.bot_data.get(KEY)
    return found if isinstance(found, BroadcastService) else None
