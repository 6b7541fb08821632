"""Building the python-telegram-bot Application around the database and the conversation."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder

from bot.config import Config
from bot.i18n.coverage import require_translations
from bot.storage import inbox
from bot.storage import parents as parents_repo
from bot.storage.db import Database, pending_update, settled_update
from bot.survey.model import load_questionnaire
from bot.telegram import handlers
from bot.telegram.conversation import Deps
from bot.telegram.flood import AttemptLimiter, FloodGate
from bot.telegram.updates import ChatRateLimiter, DurableUpdateQueue, PerChatUpdateProcessor

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
            # A broken or untranslated questionnaire is refused here, before any parent meets it.
            require_translations(load_questionnaire())
            db = await Database.open(self.config.db_path)
            self.bot_data["deps"] = Deps(db=db, secret=self.config.secret,
                                         bot_username=self.bot.username or "ParentVoiceBot")
        self.durable_queue.attach(self.bot_data["deps"].db, self.config.secret)
        self.bot_data["secret"] = self.config.secret
        self.bot_data.setdefault("flood", FloodGate(self.config.flood_rate, self.config.flood_burst))
        self.bot_data.setdefault("attempts", AttemptLimiter())

    @property
    def durable_queue(self) -> DurableUpdateQueue:
        return self.update_queue  # type: ignore[return-value]

    async def start(self) -> None:
        await super().start()
        # Before polling starts: what was fetched but not handled before the last stop goes first.
        await self.durable_queue.requeue_pending(self.bot)
        from bot.broadcast.service import start_background

        await start_background(self)

    async def stop(self) -> None:
        from bot.broadcast.service import stop_background

        await stop_background(self)  # before the database closes at shutdown
        await super().stop()

    async def shutdown(self) -> None:
        deps: Deps | None = self.bot_data.pop("deps", None)
        self.durable_queue.detach()
        if deps is not None:
            await deps.db.close()
        await super().shutdown()

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            update_id = pending_update.get()
            settled = settled_update.get()  # the step's transaction marked it and removed its inbox row
            pending_update.set(None)
            settled_update.set(None)
            if update_id is not None and "deps" in self.bot_data:  # the step opened no transaction
                db: Database = self.bot_data["deps"].db
                with contextlib.suppress(Exception):
                    async with db.transaction():  # the mark and the inbox row's removal: one commit
                        await parents_repo.mark_processed(db, update_id)
                        await inbox.done(db, update_id)
                    settled = update_id
            cleared = isinstance(update, Update) and settled == update.update_id
            await self.durable_queue.handled(update, cleared=cleared)
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
        .update_queue(DurableUpdateQueue())
        # In order within a chat, concurrent across chats; the database serialises its own writes.
        .concurrent_updates(PerChatUpdateProcessor(config.max_concurrent_updates))
        .rate_limiter(ChatRateLimiter(30 if config.rate_limit else 0, 20 if config.rate_limit else 0))
        .post_init(_post_init)
    )
    for name, value in builder_options.items():
        builder = getattr(builder, name)(value)
    app: ParentVoiceApplication = builder.build()  # type: ignore[assignment]
    app.config = config
    app.observers = []
    handlers.register(app)
    return app


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    await set_commands(app)
    await warm_up()
    if app.job_queue is not None:
        app.job_queue.run_repeating(housekeeping, interval=600, first=10, name="housekeeping")


async def set_commands(app: Application) -> None:  # type: ignore[type-arg]
    """The command menu in every shipped language, so parents see it in their own."""
    from bot.i18n.catalog import translator
    from bot.i18n.languages import LANGUAGES
    from bot.telegram.render import command_menu

    await app.bot.set_my_commands([BotCommand(c, d) for c, d in command_menu(translator("en"))])
    for language in LANGUAGES[1:]:
        await app.bot.set_my_commands([BotCommand(c, d) for c, d in command_menu(translator(language.code))],
                                      language_code=language.iso)


async def housekeeping(context: Any) -> None:
    """Every ten minutes: final reports of closed inspections, then the retention purge."""
    import os

    from bot.inspection import london_today
    from bot.privacy.retention import DEFAULT_RETENTION_DAYS, due_for_purge
    from bot.reports.service import report_bytes
    from bot.storage import inspections as inspections_repo
    from bot.storage.purge import purge_inspection
    from bot.telegram.inspector import send_final_reports

    deps: Deps = context.application.bot_data["deps"]
    today = london_today()
    try:
        await send_final_reports(context.application, deps.db, today)
    except Exception:  # the purge below must run whatever happened to the reports
        log.exception("sending final reports failed")
    days = int(os.environ.get("PARENTVOICE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    for inspection_id in due_for_purge(await inspections_repo.all_inspections(deps.db), today, days):
        row = await deps.db.fetchone("SELECT purged_at FROM inspections WHERE id = ?", (inspection_id,))
        if row and row[0] is None:
            aggregates = (await report_bytes(deps.db, inspection_id, "json")).decode()
            await purge_inspection(deps.db, inspection_id, aggregates)
            log.info("retention purge done for one inspection")


async def warm_up() -> None:
    """Load the embedding model before the first parent needs it (about a second)."""
    from bot.themes.classifier import classify

    await asyncio.to_thread(classify, "warm up", "en")
