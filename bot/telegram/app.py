"""Building the python-telegram-bot Application around the database and the conversation.

Every handler is registered here, in ``register_handlers``, in the order Telegram updates meet them: the
whole routing of the bot reads top to bottom in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Config
from bot.storage import inbox
from bot.storage import parents as parents_repo
from bot.storage.db import Database, pending_update, settled_update
from bot.survey.coverage import require_translations
from bot.survey.model import load_questionnaire
from bot.telegram import forum, groups, handlers, inspector, staff, subscriptions
from bot.telegram.deps import Deps
from bot.telegram.flood import AttemptLimiter, FloodGate
from bot.telegram.state import STATE_KEY, AppState
from bot.telegram.transport import AiohttpRequest
from bot.telegram.updates import ChatRateLimiter, DurableUpdateQueue, PerChatUpdateProcessor

log = logging.getLogger(__name__)


class ParentVoiceApplication(Application):  # type: ignore[type-arg]
    """Owns the database for its lifetime and tells observers when an update has been fully handled.

    The observers are how the demo and the end-to-end tests know a step is finished without sleeping.
    """

    config: Config
    observers: list[Callable[[int], None]]
    #: Start-up work that must not delay the first answer: begun by ``start``, once updates are being handled.
    deferred: list[Callable[[], Coroutine[Any, Any, None]]]
    background: set[asyncio.Task[None]]

    async def initialize(self) -> None:
        await super().initialize()
        if self.state is None:
            # A broken or untranslated questionnaire is refused here, before any parent meets it.
            require_translations(load_questionnaire())
            db = await Database.open(self.config.db_path)
            deps = Deps(db=db, secret=self.config.secret, bot_username=self.bot.username or "ParentVoiceBot")
            self.bot_data[STATE_KEY] = AppState(deps, FloodGate(self.config.flood_rate, self.config.flood_burst),
                                                AttemptLimiter())
        assert self.state is not None
        self.durable_queue.attach(self.state.db, self.config.secret)

    @property
    def state(self) -> AppState | None:
        """The shared state while the application is initialised (``bot.telegram.state``)."""
        found = self.bot_data.get(STATE_KEY)
        return found if isinstance(found, AppState) else None

    @property
    def durable_queue(self) -> DurableUpdateQueue:
        return self.update_queue  # type: ignore[return-value]

    async def start(self) -> None:
        await super().start()
        # Before polling starts: what was fetched but not handled before the last stop goes first.
        await self.durable_queue.requeue_pending(self.bot)
        from bot.broadcast.service import start_background

        await start_background(self)
        for work in self.deferred:
            task = asyncio.create_task(work(), name="parentvoice-startup-work")
            self.background.add(task)
            task.add_done_callback(self.background.discard)

    async def stop(self) -> None:
        from bot.broadcast.service import stop_background

        for task in list(self.background):
            task.cancel()
        await asyncio.gather(*self.background, return_exceptions=True)
        await stop_background(self)  # before the database closes at shutdown
        await super().stop()

    async def shutdown(self) -> None:
        state: AppState | None = self.bot_data.pop(STATE_KEY, None)
        self.durable_queue.detach()
        if state is not None:
            await state.db.close()
        await super().shutdown()

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            update_id = pending_update.get()
            settled = settled_update.get()  # the step's transaction marked it and removed its inbox row
            pending_update.set(None)
            settled_update.set(None)
            state = self.state
            if update_id is not None and state is not None:  # the step opened no transaction
                db: Database = state.db
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
    queue = DurableUpdateQueue()
    builder = (
        ApplicationBuilder()
        .application_class(ParentVoiceApplication)
        .token(config.token)
        .base_url(config.bot_api_url)
        .base_file_url(config.file_api_url)
        .update_queue(queue)
        # In order within a chat, concurrent across chats; the database serialises its own writes.
        .concurrent_updates(PerChatUpdateProcessor(config.max_concurrent_updates))
        .rate_limiter(ChatRateLimiter(30 if config.rate_limit else 0, 20 if config.rate_limit else 0))
        .post_init(_post_init)
    )
    if config.http_client == "aiohttp":  # a third of httpx's CPU per Bot API call (bot/telegram/transport.py)
        polling = AiohttpRequest(connection_pool_size=1, on_updates=queue.remember_raw)
        builder = builder.request(AiohttpRequest()).get_updates_request(polling)
    for name, value in builder_options.items():
        builder = getattr(builder, name)(value)
    app: ParentVoiceApplication = builder.build()  # type: ignore[assignment]
    app.config = config
    app.observers = []
    app.deferred = []
    app.background = set()
    register_handlers(app)
    return app


def register_handlers(app: Application) -> None:  # type: ignore[type-arg]
    """Every handler, in order. Guards first; then groups (only what is addressed to the bot); then each
    command, before the catch-alls at the end so that no command is taken for an unknown one."""
    private = filters.ChatType.PRIVATE
    # Guards, before everything: a redelivered update is dropped, a flooding parent slowed down.
    app.add_handler(TypeHandler(Update, handlers.drop_duplicates), group=-2)
    app.add_handler(TypeHandler(Update, handlers.limit_floods), group=-1)
    # Groups and supergroups: the only handler that answers there.
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.UpdateType.MESSAGE, groups.on_group_message))
    # Parents.
    app.add_handler(MessageHandler(filters.UpdateType.EDITED & private, handlers.on_edited))
    app.add_handler(CommandHandler("start", handlers.on_start, filters=private))
    app.add_handler(CommandHandler(list(handlers.PARENT_COMMANDS), handlers.on_command, filters=private))
    app.add_handler(CommandHandler("withdraw", handlers.on_withdraw, filters=private))
    # Staff: invite codes, inspectors, forums.
    app.add_handler(CommandHandler("redeem", staff.on_redeem, filters=private))
    app.add_handler(CommandHandler("summary", inspector.on_summary, filters=private))
    app.add_handler(CommandHandler("report", inspector.on_report, filters=private))
    app.add_handler(CommandHandler(list(forum.COMMANDS), forum.on_command, filters=private))
    app.add_handler(CallbackQueryHandler(forum.on_press, pattern=rf"^({'|'.join(forum.PRESS_KINDS)})(:|$)"))
    app.add_handler(ChatMemberHandler(forum.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    # Parents' subscriptions to news of their area; /stop and blocking the bot also end them (group 1,
    # after the parent's own /stop reply in group 0).
    app.add_handler(CommandHandler("subscribe", subscriptions.on_subscribe, filters=private))
    app.add_handler(CommandHandler("unsubscribe", subscriptions.on_unsubscribe, filters=private))
    app.add_handler(CallbackQueryHandler(subscriptions.on_press, pattern=r"^sub:(yes|no)$"))
    app.add_handler(CommandHandler("stop", subscriptions.after_stop, filters=private), group=subscriptions.GROUP)
    app.add_handler(ChatMemberHandler(subscriptions.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
                    group=subscriptions.GROUP)
    # Catch-alls: an unknown command, any text, anything else, any other press.
    app.add_handler(MessageHandler(private & filters.COMMAND, handlers.on_unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, handlers.on_text))
    app.add_handler(MessageHandler(private & ~filters.TEXT & filters.UpdateType.MESSAGE, handlers.on_non_text))
    app.add_handler(CallbackQueryHandler(handlers.on_press))
    app.add_error_handler(handlers.on_error)


#: Seconds before the command menus are tried a second (and last) time after a failure.
COMMANDS_RETRY_DELAY = 5.0


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    # Runs before polling starts (``run_polling``/``run_webhook``): anything awaited here delays every parent's
    # first answer, so the command menus (20 Bot API calls) and the embedding model wait for ``start``.
    if isinstance(app, ParentVoiceApplication):
        app.deferred.append(lambda: startup_chores(app))
    if app.job_queue is not None:
        app.job_queue.run_repeating(housekeeping, interval=600, first=10, name="housekeeping")


async def startup_chores(app: Application, retry_delay: float = COMMANDS_RETRY_DELAY) -> None:  # type: ignore[type-arg]
    """What start-up does once updates are being handled: neither is needed to answer a first update.

    The command menus change only with a release, so a failure is logged and tried once more, never fatal;
    the embedding model is loaded before the first free-text answer needs it.
    """
    for attempt in (1, 2):
        try:
            await set_commands(app)
            break
        except Exception as exc:  # any failure: the menus are a convenience, never a reason to stop
            if attempt == 2:
                log.warning("command menus not set (%s); the ones Telegram has stay until the next start",
                            type(exc).__name__)
            else:
                log.info("setting the command menus failed (%s); trying once more in %.0f s", type(exc).__name__,
                         retry_delay)
                await asyncio.sleep(retry_delay)
    try:
        await warm_up()
    except Exception:
        log.exception("loading the embedding model at start-up failed; it loads when first needed")


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
    from bot.inspection import london_today
    from bot.services.retention import purge_due
    from bot.telegram.inspector import send_final_reports

    db = context.application.state.db
    today = london_today()
    try:
        await send_final_reports(context.application, db, today)
    except Exception:  # the purge below must run whatever happened to the reports
        log.exception("sending final reports failed")
    for _inspection_id, _count in await purge_due(db, today):
        log.info("retention purge done for one inspection")


async def warm_up() -> None:
    """Load the embedding model before the first parent needs it (about a second)."""
    from bot.themes.classifier import classify

    await asyncio.to_thread(classify, "warm up", "en")
