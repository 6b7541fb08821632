"""Webhook mode: updates arrive by HTTPS POST, and only with the secret token Telegram was given."""

from __future__ import annotations

import socket

import aiohttp

from bot.config import Config
from bot.demo import sample_inspection
from bot.standin.server import StandIn
from bot.standin.user import SimulatedUser, UpdateTracker
from bot.storage import inspections
from bot.storage.db import Database
from bot.telegram.app import build_application


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_mode_serves_parents_and_rejects_requests_without_the_secret(tmp_path):
    db_path = tmp_path / "pv.db"
    db = await Database.open(db_path)
    await inspections.create(db, sample_inspection())
    await db.close()
    async with StandIn() as standin:
        config = Config(token="1:WEBHOOK", secret="a-long-enough-test-secret", db_path=db_path,
                        api_base_url=standin.base_url, rate_limit=False, flood_burst=1000)
        app = build_application(config)
        tracker = UpdateTracker(app)
        port = free_port()
        url = f"http://127.0.0.1:{port}/telegram"
        async with app:
            await app.start()
            await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path="telegram", webhook_url=url,
                                            secret_token="the-webhook-secret")
            try:
                parent = SimulatedUser(standin, tracker, 2001, "en")
                await parent.send("/start derby26")
                assert "Choose your language" in parent.last_text()

                forged = {"update_id": 999999, "message": {
                    "message_id": 1, "date": 0, "chat": {"id": 2002, "type": "private"},
                    "from": {"id": 2002, "is_bot": False, "first_name": "X"}, "text": "/start"}}
                async with aiohttp.ClientSession() as http:
                    async with http.post(url, json=forged) as r:
                        assert r.status == 403
                    async with http.post(url, json=forged,
                                         headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as r:
                        assert r.status == 403
                assert standin.sent(2002) == []
            finally:
                await app.updater.stop()
                await app.stop()
