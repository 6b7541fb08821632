"""Shared set-up for the broadcast and forum tests.

The forum and subscription handlers are registered by ``bot.telegram.app.register_handlers``; the
``features`` fixture sets the fast sending settings, and the sender is started by ``forum_bot``
with ``start_background`` (idempotent, so it also works once the application starts it itself). Sending
settings come from PARENTVOICE_SEND_* variables so both paths use the same fast rates.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path

import pytest

from bot.broadcast.service import BroadcastService, start_background, stop_background
from bot.broadcast.settings import SendSettings
from bot.demo import Running, running_bot
from bot.inspection import Inspection
from bot.privacy.pseudonym import pseudonym
from bot.standin.user import SimulatedUser
from bot.storage import contacts, roles
from bot.storage import parents as parents_repo
from bot.storage.db import Database, now_iso
from bot.storage.parents import Parent

#: Fast enough for tests, slow enough that the pacer is what keeps sending under the stand-in's limits.
FAST = {
    "messages_per_second": 300.0,
    "per_chat_interval": 0.05,
    "group_posts_per_minute": 600.0,
    "retry_base": 0.05,
    "retry_cap": 0.5,
    "idle_poll": 0.1,
    "scheduler_poll": 0.5,
    "drain_timeout": 5.0,
}


def send_env(monkeypatch: pytest.MonkeyPatch, **overrides: object) -> SendSettings:
    for name, value in {**FAST, **overrides}.items():
        monkeypatch.setenv(f"PARENTVOICE_SEND_{name.upper()}", str(value))
    return SendSettings.from_env()


@pytest.fixture
def features(monkeypatch: pytest.MonkeyPatch) -> SendSettings:
    return send_env(monkeypatch)


@contextlib.asynccontextmanager
async def forum_bot(db_path: Path, secret: str, inspection: Inspection | None = None
                    ) -> AsyncIterator[tuple[Running, BroadcastService]]:
    async with running_bot(db_path, inspection, secret=secret) as run:
        service = await start_background(run.app)
        try:
            yield run, service
        finally:
            await stop_background(run.app)


def db_of(run: Running) -> Database:
    return run.app.bot_data["deps"].db


async def make_forum(run: Running, secret: str, user_id: int, label: str = "Derby Parent Carer Forum") -> str:
    """Give a user the forum role the way /redeem does; returns their forum code."""
    db = db_of(run)
    code = await roles.create_invite(db, secret, "forum", label=label)
    grant = await roles.redeem(db, secret, code, user_id)
    assert grant is not None and grant.forum_code
    return grant.forum_code


async def link_channel(run: Running, forum: SimulatedUser, chat_id: int, title: str) -> None:
    run.standin.add_chat(chat_id, "channel", title=title, bot_member=False)
    update = run.standin.set_bot_status(chat_id, "administrator", by_user_id=forum.user_id)
    await run.tracker.wait(update["update_id"])
    await forum.press("Yes, link it")
    assert "Linked" in forum.last_text()


async def seed_subscribers(run: Running, secret: str, people: Iterable[tuple[int, str]], area_code: str) -> None:
    """Parents who chose a language, agreed, chose the area and subscribed (what /subscribe stores)."""
    db = db_of(run)
    async with db.transaction():
        for user_id, language in people:
            respondent = pseudonym(secret, user_id)
            await parents_repo.save_parent(db, Parent(respondent, language=language, consent_at=now_iso(),
                                                      area_code=area_code))
            await contacts.subscribe(db, secret, respondent, user_id)
            run.standin.add_chat(user_id, "private")


async def announce(forum: SimulatedUser, area_label: str, languages: Iterable[str] = ()) -> None:
    """A forum's whole /announce: inspection, languages, preview, send."""
    await forum.send("/announce")
    await forum.press(area_label)
    for language in languages:
        await forum.press(language)
    await forum.press("Preview")
    await forum.press("Yes, send it")
    assert "Sending now" in forum.last_text(), forum.last_text()


def start_payload(url: str) -> str:
    assert "?start=" in url
    return url.split("?start=", 1)[1]


async def until(condition: Callable[[], object], timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait for a condition (a value or an awaitable) to become true; TimeoutError if it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.01)
