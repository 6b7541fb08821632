"""The HTTP control API under /control/: the Python injection/observation methods over JSON.

For tools outside the test process (curl, the demo in another process, benchmarks).  Answers are
`{"ok": true, "result": ...}`; bad input gives 400, unknown things 404, a wait that runs out 408.
It has no authentication: bind the stand-in to localhost only.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from bot.standin.server import StandIn

Handler = Callable[[web.Request], Awaitable[web.Response]]


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _ok(result: Any) -> web.Response:
    return web.Response(
        text=json.dumps({"ok": True, "result": result}, ensure_ascii=False), content_type="application/json"
    )


def _fail(status: int, message: str) -> web.Response:
    return web.Response(
        text=json.dumps({"ok": False, "error": message}), status=status, content_type="application/json"
    )


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:
        data = await request.json()
    except ValueError:
        raise ControlError(400, "body must be JSON") from None
    if not isinstance(data, dict):
        raise ControlError(400, "body must be a JSON object")
    return data


def _method(data: dict[str, Any]) -> str:
    name = data.get("method")
    if not isinstance(name, str) or not name:
        raise ControlError(400, "method is required")
    return name


def _int(
    data: dict[str, Any], name: str, default: int | None = None, *, required: bool = False
) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise ControlError(400, f"{name} is required")
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ControlError(400, f"{name} must be an integer") from None


def _float(data: dict[str, Any], name: str, default: float) -> float:
    value = data.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ControlError(400, f"{name} must be a number") from None


def _guard(handler: Handler) -> Handler:
    async def wrapped(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except ControlError as error:
            return _fail(error.status, error.message)
        except LookupError as error:
            return _fail(404, str(error))
        except (ValueError, TypeError) as error:
            return _fail(400, str(error))

    return wrapped


def add_control_routes(app: web.Application, standin: StandIn) -> None:
    """Registers the control API; each route mirrors one StandIn method."""

    async def message(request: web.Request) -> web.Response:
        data = await _body(request)
        update = await standin.send_message(
            _int(data, "user_id", required=True),  # type: ignore[arg-type]
            data.get("text"),
            chat_id=_int(data, "chat_id"),
            chat_type=data.get("chat_type", "private"),
            language_code=data.get("language_code"),
            first_name=data.get("first_name"),
            username=data.get("username"),
            kind=data.get("kind", "text"),
            entities=data.get("entities"),
            chat_title=data.get("chat_title"),
            reply_to_message_id=_int(data, "reply_to_message_id"),
            message_thread_id=_int(data, "message_thread_id"),
        )
        return _ok(update)

    async def press(request: web.Request) -> web.Response:
        data = await _body(request)
        if not isinstance(data.get("data"), str):
            raise ControlError(400, "data (the callback_data) is required")
        update = await standin.press(
            _int(data, "user_id", required=True),  # type: ignore[arg-type]
            _int(data, "message_id", required=True),  # type: ignore[arg-type]
            data["data"],
            chat_id=_int(data, "chat_id"),
            language_code=data.get("language_code"),
            strict=bool(data.get("strict", False)),
        )
        return _ok(update)

    async def edit(request: web.Request) -> web.Response:
        data = await _body(request)
        if not isinstance(data.get("text"), str):
            raise ControlError(400, "text is required")
        update = await standin.edit_message(
            _int(data, "user_id", required=True),  # type: ignore[arg-type]
            _int(data, "message_id", required=True),  # type: ignore[arg-type]
            data["text"],
            chat_id=_int(data, "chat_id"),
        )
        return _ok(update)

    async def update(request: web.Request) -> web.Response:
        data = await _body(request)
        if len([k for k in data if k != "update_id"]) != 1:
            raise ControlError(400, "an update has exactly one field besides update_id")
        return _ok(standin.inject(data))

    async def sent(request: web.Request) -> web.Response:
        query = dict(request.query)
        since = _int(query, "since", 0) or 0
        chat_id = _int(query, "chat_id")
        methods = query["methods"].split(",") if query.get("methods") else None
        if chat_id is None:
            return _ok(standin.all_sent(since))
        return _ok(standin.sent(chat_id, since, methods=methods))

    async def message_state(request: web.Request) -> web.Response:
        query = dict(request.query)
        found = standin.message(
            _int(query, "chat_id", required=True),  # type: ignore[arg-type]
            _int(query, "message_id", required=True),  # type: ignore[arg-type]
        )
        if found is None:
            raise ControlError(404, "no such message")
        return _ok(found)

    async def file(request: web.Request) -> web.Response:
        query = dict(request.query)
        chat_id = _int(query, "chat_id", required=True)
        message_id = _int(query, "message_id", required=True)
        data = standin.file_bytes(chat_id, message_id)  # type: ignore[arg-type]
        stored = standin.world.stored(chat_id, message_id)  # type: ignore[arg-type]
        record = standin.world.files.get(stored.file_id) if stored and stored.file_id else None
        headers = {}
        if record is not None and record.filename:
            headers["Content-Disposition"] = f'attachment; filename="{record.filename}"'
        content_type = (record.mime_type if record else None) or "application/octet-stream"
        return web.Response(body=data, content_type=content_type, headers=headers)

    async def fail(request: web.Request) -> web.Response:
        data = await _body(request)
        standin.fail(
            _int(data, "chat_id", required=True),  # type: ignore[arg-type]
            _int(data, "status", 403) or 403,
            data.get("description"),
            _int(data, "times"),
            retry_after=_int(data, "retry_after"),
            methods=data.get("methods"),
        )
        return _ok(True)

    async def clear_failures(request: web.Request) -> web.Response:
        data = await _body(request)
        standin.clear_failures(_int(data, "chat_id"))
        return _ok(True)

    async def fail_method(request: web.Request) -> web.Response:
        data = await _body(request)
        name = _method(data)
        if data.get("clear"):
            standin.clear_method_failures(name)
        else:
            standin.fail_method(name, _int(data, "status", 500) or 500, data.get("description"), _int(data, "times"),
                                retry_after=_int(data, "retry_after"))
        return _ok(True)

    async def hold(request: web.Request) -> web.Response:
        data = await _body(request)
        name = _method(data)
        if data.get("release"):
            standin.release(name)
        else:
            standin.hold(name)
        return _ok(standin.held(name))

    async def limits(request: web.Request) -> web.Response:
        data = await _body(request)
        if data.get("off"):
            standin.disable_limits()
        else:
            standin.enforce_limits(
                data.get("per_chat_per_second", 1),
                data.get("global_per_second", 30),
                data.get("per_group_per_minute", 20),
            )
        return _ok(True)

    async def chat(request: web.Request) -> web.Response:
        data = await _body(request)
        result = standin.add_chat(
            _int(data, "chat_id", required=True),  # type: ignore[arg-type]
            data.get("type", "channel"),
            data.get("title"),
            bool(data.get("bot_is_admin", True)),
            bool(data.get("can_post", True)),
            username=data.get("username"),
            owner_id=_int(data, "owner_id"),
            bot_member=bool(data.get("bot_member", True)),
            is_forum=data.get("is_forum"),
        )
        return _ok(result)

    async def bot_status(request: web.Request) -> web.Response:
        data = await _body(request)
        status = data.get("status")
        if not isinstance(status, str):
            raise ControlError(400, "status is required")
        return _ok(
            standin.set_bot_status(
                _int(data, "chat_id", required=True),  # type: ignore[arg-type]
                status,
                by_user_id=_int(data, "by_user_id"),
                can_post=data.get("can_post"),
            )
        )

    async def member(request: web.Request) -> web.Response:
        data = await _body(request)
        return _ok(
            standin.add_member(
                _int(data, "chat_id", required=True),  # type: ignore[arg-type]
                _int(data, "user_id", required=True),  # type: ignore[arg-type]
                first_name=data.get("first_name"),
                username=data.get("username"),
                is_bot=bool(data.get("is_bot", False)),
                status=data.get("status", "member"),
            )
        )

    async def topic(request: web.Request) -> web.Response:
        data = await _body(request)
        chat_id = _int(data, "chat_id", required=True)
        if data.get("close") is not None:
            standin.close_topic(chat_id, _int(data, "thread_id", 1) or 1, closed=bool(data["close"]))  # type: ignore[arg-type]
            return _ok(True)
        if not isinstance(data.get("name"), str):
            raise ControlError(400, "name (the topic's name) or close is required")
        return _ok(standin.create_topic(chat_id, data["name"], by_user_id=_int(data, "by_user_id")))  # type: ignore[arg-type]

    async def migrate(request: web.Request) -> web.Response:
        data = await _body(request)
        new_id = standin.migrate_chat(
            _int(data, "chat_id", required=True),  # type: ignore[arg-type]
            _int(data, "new_chat_id"),
            by_user_id=_int(data, "by_user_id"),
        )
        return _ok(new_id)

    async def block(request: web.Request) -> web.Response:
        data = await _body(request)
        user_id = _int(data, "user_id", required=True)
        result = standin.unblock(user_id) if data.get("unblock") else standin.block(user_id)  # type: ignore[arg-type]
        return _ok(result)

    async def reset(request: web.Request) -> web.Response:
        standin.reset()
        return _ok(True)

    async def wait(request: web.Request) -> web.Response:
        query = dict(request.query)
        chat_id = _int(query, "chat_id", required=True)
        count = _int(query, "count", 1) or 1
        timeout = min(_float(query, "timeout", 5.0), 60.0)
        since = _int(query, "since", 0) or 0
        try:
            records = await standin.wait_for_sent(chat_id, count, timeout, since=since)  # type: ignore[arg-type]
        except TimeoutError as error:
            raise ControlError(408, str(error)) from None
        return _ok(records)

    async def callbacks(request: web.Request) -> web.Response:
        query = dict(request.query)
        if query.get("unanswered"):
            return _ok(standin.unanswered_callbacks())
        return _ok(standin.callback_answers(_int(query, "user_id")))

    async def counts(request: web.Request) -> web.Response:
        query = dict(request.query)
        chat_id = _int(query, "chat_id", required=True)
        return _ok({"attempts": standin.attempts(chat_id), "successes": standin.successes(chat_id)})  # type: ignore[arg-type]

    async def status(request: web.Request) -> web.Response:
        return _ok(
            {
                "bot": standin.bot,
                "base_url": standin.base_url,
                "pending_updates": len(standin.world.queue),
                "webhook": standin.webhook_info(),
                "chats": len(standin.world.chats),
                "records": standin.last_seq,
                "calls": dict(standin.world.call_counts),
            }
        )

    routes: list[tuple[str, str, Handler]] = [
        ("GET", "/control", status),
        ("GET", "/control/", status),
        ("POST", "/control/message", message),
        ("POST", "/control/press", press),
        ("POST", "/control/edit", edit),
        ("POST", "/control/update", update),
        ("GET", "/control/sent", sent),
        ("GET", "/control/message", message_state),
        ("GET", "/control/file", file),
        ("POST", "/control/fail", fail),
        ("POST", "/control/fail/clear", clear_failures),
        ("POST", "/control/fail_method", fail_method),
        ("POST", "/control/hold", hold),
        ("POST", "/control/limits", limits),
        ("POST", "/control/chat", chat),
        ("POST", "/control/bot_status", bot_status),
        ("POST", "/control/member", member),
        ("POST", "/control/topic", topic),
        ("POST", "/control/migrate", migrate),
        ("POST", "/control/block", block),
        ("POST", "/control/reset", reset),
        ("GET", "/control/wait", wait),
        ("GET", "/control/callbacks", callbacks),
        ("GET", "/control/attempts", counts),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, path, _guard(handler))
