"""Building the python-telegram-bot Application around the database and the conversation."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.config import Config
from bot.storage.db import Database
from bot.telegram import handlers
from bot.telegram.conversation import Deps
from bot.telegram.flood import FloodGate

log = logging.getLogger(__name__)


class ParentVoiceApplication(Application):  # type: ignore[type-arg]
    """Owns the database for its lifetime and tells observers when an update has been fully handled.

    The observers are how the demo and the end-to-end tests know a step is finished without sleeping.
    """

    config: Config
    observers: list[Callable[[int], None]]

    async def initialize(self) -> None:
        await super().initialize()
        if "deps" not in self.bot_data:
            db = await Database.open(self.config.db_path)
            self.bot_data["deps"] = Deps(db=db, bot_username=self.bot.username or "ParentVoiceBot")
        self.bot_data["secret"] = self.config.secret
        self.bot_data.setdefault("flood", FloodGate(self.config.flood_rate, self.config.flood_burst))

    async def shutdown(self) -> None:
        deps: Deps | None = self.bot_data.pop("deps", None)
        if deps is not None:
            await deps.db.close()
        await super().shutdown()

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            if isinstance(update, Update):
                for observer in list(getattr(self, "observers", ())):
                    observer(update.update_id)


def build_application(config: Config, **builder_options: Any) -> ParentVoiceApplication:
    builder = (
        ApplicationBuilder()
        .application_class(ParentVoiceApplication)
        .token(config.token)
        .base_url(config.bot_api_url)
        .base_file_url(config.file_api_url)
        .concurrent_updates(False)  # one writer, and the conversation relies on order
        .post_init(_post_init)
    )
    if config.rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    for name, value in builder_options.items():
        builder = getattr(builder, name)(value)
    app: ParentVoiceApplication = builder.build()  # type: ignore[assignment]
    app.config = config
    app.observers = []
    handlers.register(app)
    return app


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    await app.bot.set_my_commands([BotCommand(c, c) for c in ("start", *handlers.PARENT_COMMANDS)])
    await warm_up()


async def warm_up() -> None:
    """Load the embedding model before the first parent needs it (about a second)."""
    from bot.themes.classifier import classify

    await asyncio.to_thread(classify, "warm up", "en")
