"""The stand-in's HTTP server and its Python facade (injection and observation for tests/demo).

Routes: the Bot API at /bot<token>/<method>, file downloads at /file/bot<token>/<path>, and the
control API under /control/ (see control.py and docs/standin.md).
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.standin.control import add_control_routes
from bot.standin.faults import make_fault
from bot.standin.limits import RateLimits, Window
from bot.standin.methods import BotApi, Described, PollRequest
from bot.standin.models import KICKED, MEMBER, PRIVATE, ApiError, BotInfo
from bot.standin.objects import bot_user_object, chat_full_info
from bot.standin.params import Params, Upload
from bot.standin.pulse import Pulse
from bot.standin.state import World
from bot.standin.webhook import WebhookDelivery

log = logging.getLogger(__name__)

MAX_BODY = 60 * 1024 * 1024
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)


async def read_params(request: web.Request) -> Params:
    """Merges the query string with a form, multipart or JSON body, as the Bot API accepts all."""
    values: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.body_exists:
        return Params(values)
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON encoded request") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON object expected")
        values.update(body)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                values[name] = Upload(value.file.read(), value.filename, value.content_type)
            else:
                values[name] = value
    return Params(values)


class StandIn:
    """A local Telegram Bot API server for the real python-telegram-bot stack.

    `base_url` is what `ApplicationBuilder().base_url()` wants.  All state lives in `world`;
    the methods below are the supported way for tests and the demo to drive and observe it.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        token_check: bool = False,
        bot_username: str = "ParentVoiceBot",
        *,
        tokens: Iterable[str] = (),
        bot_id: int = 7000000001,
        bot_first_name: str = "ParentVoice",
        webhook_retries: int = 3,
        webhook_retry_delay: float = 0.2,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.host = host
        self.port = port
        self.token_check = token_check
        self.tokens = set(tokens)
        self.world = World(BotInfo(id=bot_id, first_name=bot_first_name, username=bot_username), clock=clock)
        self.api = BotApi(self.world, on_webhook_change=self._webhook_changed)
        self._updates = Pulse()
        self._records = Pulse()
        self.world.update_listeners.append(self._on_update)
        self.world.record_listeners.append(lambda: self._records.fire())
        self.webhook = WebhookDelivery(self.world, retries=webhook_retries, retry_delay=webhook_retry_delay)
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._poll_generation = 0
        self._waiting_polls = 0
        self._poll_waits = Pulse()
        self._holds: dict[str, asyncio.Event] = {}
        self._held: Counter[str] = Counter()

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def control_url(self) -> str:
        return f"http://{self.host}:{self.port}/control"

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        add_control_routes(app, self)
        return app

    async def start(self) -> None:
        self._closing = False
        # handler_cancellation: a long poll whose client gave up (PTB's updater.stop) ends at once.
        runner = web.AppRunner(
            self.build_app(),
            access_log=None,
            handle_signals=False,
            shutdown_timeout=1.0,
            handler_cancellation=True,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.info("Bot API stand-in listening on %s", self.base_url)

    async def stop(self) -> None:
        """Wakes every pending long poll first, so PTB's shutdown never waits for a poll timeout."""
        self._closing = True
        self.release()
        self._updates.fire()
        self._records.fire()
        await self.webhook.stop()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> StandIn:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    def _on_update(self) -> None:
        self._updates.fire()
        self.webhook.poke()

    def _webhook_changed(self) -> None:
        self.webhook.restart()
        self._updates.fire()

    # -- Bot API -------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        if self.token_check and token not in self.tokens:
            return _error(ApiError(401, "Unauthorized"))
        name = self.api.canonical(method) or method
        self.world.call_counts[name] += 1
        try:
            params = await read_params(request)
            await self._method_gate(name)
            if name == "getUpdates":
                result: Any = await self._get_updates(self.api.poll_request(params))
            else:
                result = self.api.call(method, params)
        except ApiError as error:
            log.debug("%s -> %d", name, error.status)
            return _error(error)
        except Exception as exc:
            # Frames only: exception messages may quote user text, which must not reach logs.
            log.error(
                "stand-in failure in %s: %s\n%s",
                name,
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            return _error(ApiError(500, "Internal Server Error"))
        if isinstance(result, Described):
            return _json({"ok": True, "result": result.result, "description": result.description})
        return _json({"ok": True, "result": result})

    async def _method_gate(self, name: str) -> None:
        """A held method waits here, unanswered, until released; an injected method fault answers instead."""
        hold = self._holds.get(name)
        if hold is not None:
            self._held[name] += 1
            try:
                await hold.wait()
            finally:
                self._held[name] -= 1
        fault = self.world.method_faults.take(name)
        if fault is not None:
            raise fault.error()

    async def _get_updates(self, poll: PollRequest) -> list[dict[str, Any]]:
        """Real long polling: answers as soon as an update arrives, the timeout ends, or stop()."""
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates.fire()  # a poll still waiting from another client learns it was superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + poll.timeout
        while True:
            updates = self.world.take_updates(poll.offset, poll.limit)
            remaining = deadline - loop.time()
            if updates or self._closing or remaining <= 0:
                return updates
            event = self._updates.event
            self._waiting_polls += 1
            self._poll_waits.fire()
            try:
                await self._updates.wait(event, remaining)
            finally:
                self._waiting_polls -= 1
            if generation != self._poll_generation:
                raise ApiError(409, POLL_CONFLICT)

    async def _handle_file(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if self.token_check and token not in self.tokens:
            return _error(ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        record = self.world.files.get(path.removeprefix("files/"))
        if record is None:
            return _error(ApiError(404, "Not Found"))
        return web.Response(body=record.data, content_type=record.mime_type or "application/octet-stream")

    # -- injection -----------------------------------------------------------------------------

    async def send_message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        chat_type: str = PRIVATE,
        language_code: str | None = None,
        first_name: str | None = None,
        username: str | None = None,
        kind: str = "text",
        entities: list[dict[str, Any]] | None = None,
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
        file_data: bytes | None = None,
        file_name: str | None = None,
        message_thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A user sends a message (first_name defaults to "Test" for a new user); returns the Update.

        Mentions and commands are tagged as entities, as Telegram does; a message from another bot
        (see add_member) is stored but not delivered, so the result has no update_id.
        """
        update = self.world.user_message(
            user_id,
            text,
            chat_id=chat_id,
            chat_type=chat_type,
            language_code=language_code,
            first_name=first_name,
            username=username,
            kind=kind,
            entities=entities,
            chat_title=chat_title,
            reply_to_message_id=reply_to_message_id,
            file_data=file_data,
            file_name=file_name,
            message_thread_id=message_thread_id,
        )
        await asyncio.sleep(0)
        return update

    async def press(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        language_code: str | None = None,
        strict: bool = False,
    ) -> dict[str, Any]:
        """A user taps an inline button; strict=True insists the message really has that button.

        The default lets tests forge or replay callback data, as a modified client could.
        """
        update = self.world.press(
            user_id, message_id, data, chat_id=chat_id, language_code=language_code, strict=strict
        )
        await asyncio.sleep(0)
        return update

    async def edit_message(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        update = self.world.user_edit(user_id, message_id, text, chat_id=chat_id)
        await asyncio.sleep(0)
        return update

    def inject(self, raw_update: dict[str, Any]) -> dict[str, Any]:
        """Queues any raw update; an update_id given is kept, so duplicates can be injected."""
        return self.world.enqueue(raw_update)

    def add_chat(
        self,
        chat_id: int,
        type: str = "channel",
        title: str | None = None,
        bot_is_admin: bool = True,
        can_post: bool = True,
        *,
        username: str | None = None,
        owner_id: int | None = None,
        bot_member: bool = True,
        is_forum: bool | None = None,
    ) -> dict[str, Any]:
        """Registers a chat silently (no update); returns what getChat would answer."""
        chat = self.world.add_chat(
            chat_id,
            type,
            title=title,
            username=username,
            bot_is_admin=bot_is_admin,
            can_post=can_post,
            bot_member=bot_member,
            owner_id=owner_id,
            is_forum=is_forum,
        )
        return chat_full_info(chat)

    def set_bot_status(
        self, chat_id: int, status: str, *, by_user_id: int | None = None, can_post: bool | None = None
    ) -> dict[str, Any]:
        """Changes the bot's membership in a chat and queues the my_chat_member update."""
        return self.world.set_bot_status(chat_id, status, by_user_id=by_user_id, can_post=can_post)

    def add_member(
        self,
        chat_id: int,
        user_id: int,
        *,
        first_name: str | None = None,
        username: str | None = None,
        is_bot: bool = False,
        status: str = "member",
    ) -> dict[str, Any]:
        """A person or another bot joins a group; queues the new_chat_members service message."""
        return self.world.add_member(
            chat_id, user_id, first_name=first_name, username=username, is_bot=is_bot, status=status
        )

    def create_topic(self, chat_id: int, name: str, *, by_user_id: int | None = None) -> int:
        """Opens a topic in a forum supergroup; returns its message_thread_id."""
        return self.world.create_topic(chat_id, name, by_user_id=by_user_id)

    def close_topic(self, chat_id: int, thread_id: int = 1, *, closed: bool = True) -> None:
        """Closes (closed=False: reopens) a topic; thread_id 1 is the General topic."""
        self.world.close_topic(chat_id, thread_id, closed=closed)

    def migrate_chat(self, chat_id: int, new_chat_id: int | None = None, *, by_user_id: int | None = None) -> int:
        """Upgrades a group to a supergroup (service messages in both); returns the new chat id."""
        return self.world.migrate_chat(chat_id, new_chat_id, by_user_id=by_user_id)

    def block(self, user_id: int) -> dict[str, Any]:
        """The user blocks the bot: sends fail with 403 and a my_chat_member (kicked) arrives."""
        return self.world.set_bot_status(user_id, KICKED, by_user_id=user_id)

    def unblock(self, user_id: int) -> dict[str, Any]:
        return self.world.set_bot_status(user_id, MEMBER, by_user_id=user_id)

    def fail(
        self,
        chat_id: int,
        status: int = 403,
        description: str | None = None,
        times: int | None = None,
        *,
        retry_after: int | None = None,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Makes the next `times` chat-bound calls (None: all) fail with this status."""
        self.world.faults.add(
            chat_id, make_fault(status, description, retry_after=retry_after, times=times, methods=methods)
        )

    def clear_failures(self, chat_id: int | None = None) -> None:
        self.world.faults.clear(chat_id)

    def fail_method(
        self,
        method: str,
        status: int = 500,
        description: str | None = None,
        times: int | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        """Makes the next `times` calls of a Bot API method (None: all), whatever the chat, fail with this status."""
        self.world.method_faults.add(
            self.api.canonical(method) or method, make_fault(status, description, retry_after=retry_after, times=times)
        )

    def clear_method_failures(self, method: str | None = None) -> None:
        self.world.method_faults.clear(None if method is None else self.api.canonical(method) or method)

    def hold(self, method: str) -> None:
        """Calls of this method are received but not answered until `release` (a slow Telegram)."""
        self._holds.setdefault(self.api.canonical(method) or method, asyncio.Event())

    def release(self, method: str | None = None) -> None:
        """Answers the held calls of one method (None: of every method), and stops holding it."""
        names = list(self._holds) if method is None else [self.api.canonical(method) or method]
        for name in names:
            event = self._holds.pop(name, None)
            if event is not None:
                event.set()

    def held(self, method: str) -> int:
        """How many calls of this method are waiting, unanswered, now."""
        return self._held[self.api.canonical(method) or method]

    def enforce_limits(
        self,
        per_chat_per_second: float | None = 1,
        global_per_second: float | None = 30,
        per_group_per_minute: float | None = 20,
    ) -> None:
        """Turns on Telegram's flood limits (None leaves one dimension unlimited)."""
        self.world.limiter.configure(
            RateLimits(
                per_chat=Window.per(per_chat_per_second, 1.0) if per_chat_per_second else None,
                overall=Window.per(global_per_second, 1.0) if global_per_second else None,
                per_group=Window.per(per_group_per_minute, 60.0) if per_group_per_minute else None,
            )
        )

    def disable_limits(self) -> None:
        self.world.limiter.configure(None)

    def add_token(self, token: str) -> None:
        self.tokens.add(token)

    def reset(self) -> None:
        """Back to an empty world (bot identity, tokens and the running server stay)."""
        self.world.reset()
        self.release()
        self.webhook.restart()

    # -- observation ---------------------------------------------------------------------------

    @property
    def bot(self) -> dict[str, Any]:
        return bot_user_object(self.world.bot, full=True)

    @property
    def bot_id(self) -> int:
        return self.world.bot.id

    @property
    def last_seq(self) -> int:
        """The seq of the newest record; pass it as `since` to see only what follows."""
        return self.world.last_seq

    def sent(
        self, chat_id: int, since: int = 0, *, methods: Iterable[str] | None = None
    ) -> list[dict[str, Any]]:
        return self.world.sent(chat_id, since, methods)

    def all_sent(self, since: int = 0) -> list[dict[str, Any]]:
        return self.world.sent(None, since)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        stored = self.world.stored(chat_id, message_id)
        return None if stored is None else copy.deepcopy(stored.message)

    def file_bytes(self, chat_id: int, message_id: int) -> bytes:
        stored = self.world.stored(chat_id, message_id)
        record = None if stored is None or stored.file_id is None else self.world.files.get(stored.file_id)
        if record is None:
            raise LookupError("no file in that message")
        return record.data

    def callback_answers(self, user_id: int | None = None) -> list[dict[str, Any]]:
        return [dict(a) for a in self.world.callback_log if user_id is None or a["user_id"] == user_id]

    def unanswered_callbacks(self) -> list[dict[str, Any]]:
        """Presses the bot never answered: the user's client would still show a spinner."""
        return [
            {
                "callback_query_id": q.id,
                "user_id": q.user_id,
                "chat_id": q.chat_id,
                "message_id": q.message_id,
                "data": q.data,
            }
            for q in self.world.callbacks.values()
            if not q.answered
        ]

    def attempts(self, chat_id: int) -> int:
        """Every sendMessage/sendPhoto/sendDocument call aimed at the chat, failed ones included."""
        return self.world.attempt_counts[chat_id]

    def successes(self, chat_id: int) -> int:
        return self.world.success_counts[chat_id]

    def calls(self, method: str | None = None) -> int:
        """How many Bot API requests were made (of one method, or all)."""
        if method is None:
            return sum(self.world.call_counts.values())
        return self.world.call_counts[self.api.canonical(method) or method]

    def pending_updates(self) -> list[dict[str, Any]]:
        return [copy.deepcopy(q.update) for q in self.world.queue]

    def commands(self, language_code: str = "", scope: dict[str, Any] | None = None) -> list[dict[str, str]]:
        key = "default" if not scope or scope.get("type") == "default" else json.dumps(scope, sort_keys=True)
        return list(self.world.commands.get((key, language_code), []))

    def webhook_info(self) -> dict[str, Any]:
        return self.api.call("getWebhookInfo", Params({}))

    @property
    def waiting_polls(self) -> int:
        """Long polls currently parked in getUpdates."""
        return self._waiting_polls

    async def wait_for_poller(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109 - deadline, as wait_for_sent
        """Waits until some getUpdates call is parked in a long poll (the bot is idle and listening)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._waiting_polls == 0:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError("no long poll arrived")
            event = self._poll_waits.event
            await self._poll_waits.wait(event, remaining)

    async def wait_for_sent(
        self,
        chat_id: int,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test API; a deadline, not a cancel scope
        *,
        since: int = 0,
        methods: Iterable[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Waits until the chat has at least `count` records after `since`; TimeoutError otherwise."""
        wanted = list(methods) if methods is not None else None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = self.world.count_sent(chat_id, since, wanted)
            remaining = deadline - loop.time()
            if found >= count:
                return self.world.sent(chat_id, since, wanted)
            if remaining <= 0 or self._closing:
                raise TimeoutError(f"expected {count} records, got {found} within {timeout} s")
            event = self._records.event
            await self._records.wait(event, remaining)


def _json(data: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(data, ensure_ascii=False), status=status, content_type="application/json"
    )


def _error(error: ApiError) -> web.Response:
    return _json(error.body(), status=error.status)
