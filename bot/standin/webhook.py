"""Pushes queued updates to the bot's webhook, in order, with Telegram's secret-token header."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp

from bot.standin.models import WebhookConfig
from bot.standin.state import World

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDelivery:
    """One delivery task per configured webhook; an update is retried, then given up like Telegram."""

    def __init__(
        self, world: World, *, retries: int = 3, retry_delay: float = 0.2, timeout: float = 10.0
    ) -> None:
        self.world = world
        self.retries = retries
        self.retry_delay = retry_delay
        self.timeout = timeout
        self.delivered = 0
        self.given_up = 0
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def poke(self) -> None:
        self._wake.set()

    def restart(self) -> None:
        """Follows the world's webhook setting: stops the old task, starts one for a new URL."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        config = self.world.webhook
        if config is not None:
            self._wake = asyncio.Event()  # bound to the running loop, not the one of an earlier run
            self._task = asyncio.get_running_loop().create_task(self._run(config), name="standin-webhook")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, config: WebhookConfig) -> None:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while self.world.webhook is config:
                if not self.world.queue:
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                queued = self.world.queue[0]
                if await self._deliver(session, config, queued.update):
                    self.delivered += 1
                else:
                    self.given_up += 1
                if queued in self.world.queue:
                    self.world.queue.remove(queued)

    async def _deliver(
        self, session: aiohttp.ClientSession, config: WebhookConfig, update: dict[str, object]
    ) -> bool:
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        for attempt in range(self.retries + 1):
            try:
                async with session.post(config.url, json=update, headers=headers) as response:
                    if 200 <= response.status < 300:
                        return True
                    error = (
                        f"Wrong response from the webhook: {response.status} {response.reason or ''}".strip()
                    )
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                error = f"Connection failed: {type(exc).__name__}"
            config.last_error_date = self.world.now()
            config.last_error_message = error
            log.debug("webhook delivery attempt %d failed: %s", attempt + 1, error)
            if attempt < self.retries:
                await asyncio.sleep(self.retry_delay * (2**attempt))
        return False
