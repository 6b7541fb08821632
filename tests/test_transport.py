"""The aiohttp Bot API client (bot/telegram/transport.py): what PTB sees must be what it sees with httpx.

Real HTTP against the stand-in (and a socket that never answers, and a closed port): uploads arrive intact,
Telegram's refusals become PTB's own errors, a timeout is ``TimedOut``, a refused connection
``NetworkError``. The parent journeys in the end-to-end tests run over this client too.
"""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import HTTPXRequest

from bot.config import Config, ConfigError
from bot.privacy.sealed import unseal_bytes
from bot.standin.server import StandIn
from bot.storage import inbox
from bot.storage.db import Database
from bot.telegram.app import build_application
from bot.telegram.transport import AiohttpRequest, env_proxy
from bot.telegram.updates import INBOX_LABEL, DurableUpdateQueue

TOKEN = "123456:TEST"


async def test_messages_buttons_and_uploads_arrive_as_sent() -> None:
    async with StandIn() as standin:
        await standin.send_message(501, "hello")
        async with Bot(TOKEN, base_url=standin.base_url, request=AiohttpRequest()) as bot:
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes « ok »", callback_data="pick:q:yes")]])
            sent = await bot.send_message(501, "<b>Question</b> 1 of 15 — é", parse_mode="HTML",
                                          reply_markup=keyboard)
            payload = bytes(range(256)) * 40
            document = await bot.send_document(501, payload, filename="report.csv", caption="Report")
        stored = standin.message(501, sent.message_id)
        assert stored is not None and stored["text"] == "Question 1 of 15 — é"
        assert stored["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "pick:q:yes"
        assert standin.file_bytes(501, document.message_id) == payload


async def test_telegram_refusals_are_ptbs_own_errors() -> None:
    async with StandIn() as standin:
        await standin.send_message(502, "hello")
        async with Bot(TOKEN, base_url=standin.base_url, request=AiohttpRequest()) as bot:
            with pytest.raises(BadRequest, match="Message text is empty"):
                await bot.send_message(502, " ")


async def test_a_server_that_never_answers_is_a_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(10)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(read_timeout=0.2, write_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
        server.close()


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the request: nobody listens there
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
        assert not isinstance(raised.value, TimedOut)
    finally:
        await request.shutdown()


def test_the_bot_uses_aiohttp_unless_told_httpx(tmp_path: Path) -> None:
    config = Config(token=TOKEN, secret="s" * 43, db_path=tmp_path / "x.db")
    assert isinstance(build_application(config).bot.request, AiohttpRequest)
    httpx_config = Config(token=TOKEN, secret="s" * 43, db_path=tmp_path / "x.db", http_client="httpx")
    assert isinstance(build_application(httpx_config).bot.request, HTTPXRequest)
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "PARENTVOICE_SECRET": "s" * 43}
    assert Config.from_env(env).http_client == "aiohttp"
    assert Config.from_env({**env, "PARENTVOICE_HTTP_CLIENT": "HTTPX"}).http_client == "httpx"
    with pytest.raises(ConfigError, match="PARENTVOICE_HTTP_CLIENT"):
        Config.from_env({**env, "PARENTVOICE_HTTP_CLIENT": "requests"})


def test_the_environments_proxy_is_used_as_httpx_would(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                 "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert env_proxy("https://api.telegram.org/bot1:A/getMe") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    assert env_proxy("https://api.telegram.org/bot1:A/getMe") == "http://proxy.example:3128"
    assert env_proxy("http://127.0.0.1:8081/bot1:A/getMe") is None


async def test_polled_updates_reach_the_inbox_as_telegram_sent_them(tmp_path: Path) -> None:
    """The inbox keeps each polled update from the getUpdates body itself (no re-serialising of PTB's
    objects); a restart reads it back to the same update. A webhook's update (no body seen) is still kept."""
    bodies: list[bytes] = []
    async with StandIn() as standin:
        await standin.send_message(503, "/start derby26", language_code="pl")
        polling = AiohttpRequest(on_updates=bodies.append)
        async with Bot(TOKEN, base_url=standin.base_url, get_updates_request=polling) as bot:
            updates = await bot.get_updates(timeout=0)
    assert len(bodies) == 1 and len(updates) == 1
    raw = json.loads(bodies[0])["result"][0]
    db = await Database.open(tmp_path / "inbox.db")
    try:
        queue = DurableUpdateQueue()
        queue.attach(db, "s" * 43)
        queue.remember_raw(bodies[0])
        await queue.put(updates[0])
        webhook_update = Update.de_json({**raw, "update_id": raw["update_id"] + 1}, bot)
        await queue.put(webhook_update)
        kept = {update_id: unseal_bytes("s" * 43, INBOX_LABEL, sealed) for update_id, sealed in await inbox.pending(db)}
        assert kept[raw["update_id"]] == json.dumps(raw).encode()
        assert json.loads(kept[raw["update_id"] + 1]) == webhook_update.to_dict()
        again = DurableUpdateQueue()
        again.attach(db, "s" * 43)
        assert await again.requeue_pending(bot) == 2
        first = again.get_nowait()
        assert isinstance(first, Update) and first.update_id == raw["update_id"]
        assert first.effective_message is not None and first.effective_message.text == "/start derby26"
        assert first.effective_user is not None and first.effective_user.language_code == "pl"
    finally:
        await db.close()
