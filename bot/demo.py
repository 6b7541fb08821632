"""`parentvoice demo`: the stand-in, the bot and a sample inspection, with you as a parent in the terminal."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import sys
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.inspection import Inspection, london_today, make_payload
from bot.standin.server import StandIn
from bot.standin.user import SimulatedUser, UpdateTracker, plain
from bot.storage import inspections as inspections_repo
from bot.storage import parents as parents_repo
from bot.storage.db import Database, DatabaseOpenError
from bot.storage.keys import SecretMismatch, data_key
from bot.telegram.app import ParentVoiceApplication, build_application

DEMO_AREA = "E06000015"  # Derby: where parents never got the survey in 2021
DEMO_USER = 424242


@dataclass
class Running:
    standin: StandIn
    app: ParentVoiceApplication
    tracker: UpdateTracker
    inspection: Inspection
    db_path: Path
    #: Added to the demo's simulated user ids, so a second demo on the same database meets new parents.
    user_offset: int = 0

    def user(self, user_id: int, language_code: str | None = "en") -> SimulatedUser:
        return SimulatedUser(self.standin, self.tracker, user_id, language_code)


def sample_inspection() -> Inspection:
    today = london_today()
    return Inspection(
        id="derby26",
        area_code=DEMO_AREA,
        survey_opens=today - timedelta(days=1),
        survey_closes=today + timedelta(days=6),
        visit_starts=today + timedelta(days=14),
        visit_ends=today + timedelta(days=16),
        official_survey_url="https://example.org/official-area-send-survey",
    )


@contextlib.asynccontextmanager
async def running_bot(db_path: Path, inspection: Inspection | None = None, *, secret: str | None = None,
                      **config: object) -> AsyncIterator[Running]:
    """Stand-in + bot + (optionally) a sample inspection, torn down cleanly, never touching Telegram."""
    db = await Database.open(db_path)
    try:
        # A database started with another secret is refused (SecretMismatch) before anything runs.
        key = await data_key(db, secret or secrets.token_urlsafe(32))
        if inspection is not None and await inspections_repo.get(db, inspection.id) is None:
            await inspections_repo.create(db, inspection)
        last_update = await parents_repo.last_processed_update(db)
        user_offset = await parents_repo.count_parents(db)
    finally:
        await db.close()
    async with StandIn() as standin:
        # A new stand-in numbers updates from 1, and the bot drops ids it has handled as redeliveries:
        # on a database used before (a second demo), start above the highest one, as Telegram would.
        standin.world.next_update_id = last_update + 1
        # A script presses faster than any person; the flood gate is tested on its own.
        config.setdefault("flood_burst", 10_000)
        settings = Config(token="123456:DEMO", secret=key, db_path=db_path,
                          api_base_url=standin.base_url, rate_limit=False, **config)  # type: ignore[arg-type]
        app = build_application(settings)
        tracker = UpdateTracker(app)
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                yield Running(standin, app, tracker, inspection or sample_inspection(), db_path, user_offset)
            finally:
                await app.updater.stop()
                await app.stop()


SCRIPT: list[tuple[str, Any]] = [
    ("send", "/start {payload}"),
    ("press", "English"),
    ("press", "Yes, I agree"),
    ("press", "A parent or carer"),
    ("press", "5 to 10"),
    ("press", "We asked for an EHC needs assessment"),
    ("press", "A mainstream school"),
    ("press", "Speech, language or communication"),
    ("press", "Learning"),
    ("press", "Done"),
    ("press", "Poor"),
    ("press", "We are still waiting"),
    ("press", "Very poor"),
    ("press", "Speech and language therapy"),
    ("press", "Done"),
    ("press", "Back"),
    ("press", "Occupational therapy"),
    ("press", "Done"),
    ("press", "Poor"),
    ("press", "Very poor"),
    ("press", "Put on a part-time timetable"),
    ("press", "Done"),
    ("send", "His teaching assistant Mrs Patel is brilliant and the speech therapist helped a lot."),
    ("press", "Done"),
    ("send", "We asked for an assessment 14 months ago and are still waiting. Nobody answers my emails. "
             "Call me on 07700 900123 if you need to."),
    ("press", "Done"),
    ("press", "Yes"),
    ("press", "Change: Support now"),
    ("press", "An EHC plan"),
    ("press", "1 to 2 years"),  # "still waiting" no longer fits an EHC plan: the bot asks again
    ("press", "Send my answers"),
    ("send", "/mydata"),
]


def progress(text: str) -> None:
    """A short line on stderr, so someone watching `demo --script` sees it working (stdout: the transcript)."""
    print(f"demo: {text}", file=sys.stderr, flush=True)


async def play_script(run: Running, out: Any = sys.stdout) -> list[str]:
    parent = run.user(DEMO_USER + run.user_offset, "en")
    payload = make_payload(run.inspection.id)
    progress(f"a parent answers the survey ({len(SCRIPT)} steps)...")
    for step, (action, arg) in enumerate(SCRIPT, start=1):
        if action == "send":
            await parent.send(arg.format(payload=payload))
        else:
            await parent.press(arg)
        if step % 10 == 0:
            progress(f"step {step} of {len(SCRIPT)}")
    for line in parent.transcript:
        print(line, file=out)
        print(file=out)
    return parent.transcript


def _show(records: list[dict[str, Any]], run: Running, chat_id: int) -> list[dict[str, Any]]:
    """Print new bot messages, with the buttons of the newest one numbered."""
    for r in records:
        if r.get("method") in ("editMessageReplyMarkup", "answerCallbackQuery"):
            continue  # buttons taken off an answered question: nothing new to read
        text = plain(r.get("text") or r.get("caption") or "")
        if text:
            print(f"\n{text}")
    buttons: list[dict[str, Any]] = []
    for r in reversed(run.standin.sent(chat_id)):
        message = run.standin.message(chat_id, r["message_id"]) if r.get("message_id") else None
        keyboard = (message or {}).get("reply_markup") or {}
        if keyboard.get("inline_keyboard"):
            buttons = [b for row in keyboard["inline_keyboard"] for b in row]
            break
    for n, b in enumerate(buttons, start=1):
        print(f"  [{n}] {plain(b['text'])}")
    return buttons


async def interactive(run: Running) -> None:
    parent = run.user(DEMO_USER, "en")  # the same parent every time: a second demo carries on
    print("ParentVoice demo. You are a parent in a private chat with the bot.")
    print("Type a number to press a button, anything else to send it as a message, /quit to leave.\n")
    buttons = _show(await parent.send(f"/start {make_payload(run.inspection.id)}"), run, parent.chat)
    while True:
        try:
            line = await asyncio.to_thread(input, "\n> ")
        except (EOFError, KeyboardInterrupt):
            break
        line = line.strip()
        if line in ("/quit", "/exit"):
            break
        if not line:
            continue
        if line.isdigit() and 1 <= int(line) <= len(buttons):
            button = buttons[int(line) - 1]
            if button.get("url"):
                print(f"(a link: {button['url']})")
                continue
            records = await parent.press(int(line) - 1)
        else:
            records = await parent.send(line)
        buttons = _show(records, run, parent.chat)


#: The demo's secret when PARENTVOICE_SECRET is not set: fixed, so a second demo on the same --db works.
DEMO_SECRET = "parentvoice-demo-only-secret-never-for-real-parents"


def log_file(db_path: Path | None) -> Path:
    """Beside the database when one is given, else in the temporary directory; kept after the demo."""
    return Path(f"{db_path}.log") if db_path else Path(tempfile.gettempdir()) / "parentvoice-demo.log"


async def run_demo(script: bool = False, db_path: Path | None = None, verbose: bool = False) -> int:
    import logging

    from bot.logging_setup import setup_logging

    secret = os.environ.get("PARENTVOICE_SECRET") or DEMO_SECRET
    logs = log_file(db_path)
    # JSON log lines on the terminal would land in the middle of the chat: they go to a file.
    setup_logging(logging.DEBUG if verbose else logging.INFO, path=logs)
    print(f"(The bot's logs go to {logs})", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="parentvoice-demo-") as tmp:
        path = db_path or Path(tmp) / "demo.db"
        try:
            if script:
                progress("starting the Bot API stand-in and the bot...")
            async with running_bot(path, sample_inspection(), secret=secret) as run:
                if script:
                    await play_script(run)
                    from bot.demo_summary import FAMILIES, print_summary

                    progress(f"{FAMILIES} more simulated families answer, so the summary has enough to show "
                             "(about 20 seconds)...")
                    await print_summary(run)
                    progress("done.")
                else:
                    await interactive(run)
        except (DatabaseOpenError, SecretMismatch) as exc:
            print(f"parentvoice: {exc}", file=sys.stderr)
            return 2
    return 0
