"""Start-up to the first answered update, and an idle bot's memory, with 10,000 parents mid-survey (issue 11, point 5).

    python -m bench.startup_bench                    # 10,000 parents; the trivial echo bot as the floor
    python -m bench.startup_bench --parents 1000 --json

The database is built with the bot's own repositories (``bot.storage``): each parent has consented, started a
response and answered the first questions; they are all somewhere in the middle of the survey. Then a real
``python -m bot run`` process starts against the Bot API stand-in (in this process), with one of those parents'
``/start`` already waiting at the stand-in; the time runs from launching the process until the stand-in has
the bot's answer. After 15 idle seconds (``--idle``: by then the work start-up leaves to the background is
done: the command menus, the embedding model, the first housekeeping pass at 10 s) the process's resident
memory is read from /proc (VmRSS, and VmHWM: its peak). The same is measured, in the same run, for a trivial echo bot (``bench.echo_bot``) on the same
stack: the floor of python-telegram-bot itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.machine import run_context
from bench.processes import stop
from bot.demo import DEMO_AREA, sample_inspection
from bot.privacy.pseudonym import pseudonym
from bot.standin.server import StandIn
from bot.storage import inspections as inspections_repo
from bot.storage import parents as parents_repo
from bot.storage.db import Database, now_iso
from bot.storage.keys import data_key
from bot.storage.parents import Parent
from bot.survey.engine import SurveyState
from bot.survey.model import load_questionnaire

ROOT = Path(__file__).resolve().parents[1]
FIRST_USER = 600_000
#: Answers given so far by a parent mid-survey: (question, value), in the order the survey asks them.
ANSWERED: tuple[tuple[str, object], ...] = (("respondent", "parent_carer"), ("age_band", "5_to_10"),
                                            ("support", "ehc_plan"), ("setting", "mainstream"),
                                            ("needs", ["learning"]), ("identified", "2"))
LANGUAGES = ("en", "pl", "ur", "ar", "ro", "bn", "pa", "so")


async def build_database(path: Path, secret: str, parents: int, batch: int = 1000) -> tuple[str, float]:
    """Parents mid-survey, through the repositories; returns (data key, seconds)."""
    started = time.perf_counter()
    questionnaire = load_questionnaire()
    inspection = sample_inspection()
    db = await Database.open(path)
    try:
        key = await data_key(db, secret)
        await inspections_repo.create(db, inspection)
        for first in range(0, parents, batch):
            async with db.transaction():
                for n in range(first, min(parents, first + batch)):
                    respondent = pseudonym(key, FIRST_USER + n)
                    language = LANGUAGES[n % len(LANGUAGES)]
                    parent = Parent(respondent, language=language, consent_at=now_iso(), area_code=DEMO_AREA,
                                    inspection_id=inspection.id, source="bench")
                    await parents_repo.save_parent(db, parent)
                    answered = ANSWERED[: 1 + n % len(ANSWERED)]
                    current = ANSWERED[len(answered)][0] if len(answered) < len(ANSWERED) else "assessment_wait"
                    response_id = await parents_repo.create_response(
                        db, respondent, inspection.id, questionnaire.id, questionnaire.version, language,
                        SurveyState(current), "bench")
                    for question, value in answered:
                        await parents_repo.set_answer(db, response_id, question, value,  # type: ignore[arg-type]
                                                      questionnaire.version)
                    await parents_repo.save_parent(db, parent.with_(response_id=response_id))
    finally:
        await db.close()
    return key, time.perf_counter() - started


def _size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("bench.db*")) / 2**20


def _memory(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = round(int(value.split()[0]) / 1024, 1)
    return fields


async def first_answer(standin: StandIn, argv: list[str], env: dict[str, str], user_id: int, text: str,
                       log: Path, idle: float) -> dict[str, Any]:
    """Launch a bot process with one message waiting for it; time until it answered; then its idle memory."""
    before = standin.successes(user_id)
    await standin.send_message(user_id, text, language_code="en")
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    launched = time.perf_counter()
    try:
        child = await asyncio.create_subprocess_exec(*argv, cwd=str(ROOT), env=env, stdout=fd, stderr=fd)
    finally:
        os.close(fd)
    try:
        async with asyncio.timeout(300):
            while standin.successes(user_id) <= before:
                if child.returncode is not None:
                    raise RuntimeError(f"{argv} exited ({child.returncode}); see {log}")
                await asyncio.sleep(0.005)
        answered = time.perf_counter() - launched
        await asyncio.sleep(idle)  # idle: polling, nothing to do (background start-up work finishes meanwhile)
        memory = _memory(child.pid)
    finally:
        await stop(child)
    return {"first_answer_seconds": round(answered, 2), "idle_rss_mib": memory.get("VmRSS"),
            "peak_rss_mib": memory.get("VmHWM")}


async def run(parents: int, idle: float = 15.0) -> dict[str, Any]:
    secret = secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="parentvoice-bench-") as tmp:
        db_path = Path(tmp) / "bench.db"
        _key, build_seconds = await build_database(db_path, secret, parents)
        size_mib = _size_mib(Path(tmp))
        async with StandIn() as standin:
            base = {**os.environ, "PYTHONPATH": str(ROOT), "TELEGRAM_API_BASE_URL": standin.base_url}
            echo = await first_answer(standin, [sys.executable, "-m", "bench.echo_bot"],
                                      {**base, "TELEGRAM_BOT_TOKEN": "1:ECHO"}, 42, "hello", Path(tmp) / "echo.log",
                                      idle)
            env = {**base, "TELEGRAM_BOT_TOKEN": "123456:BENCH", "PARENTVOICE_SECRET": secret,
                   "PARENTVOICE_DB": str(db_path)}
            parent = FIRST_USER + parents // 2  # one of the 10,000, in the middle of the survey
            bot = await first_answer(standin, [sys.executable, "-m", "bot", "run"], env, parent, "/start derby26",
                                     Path(tmp) / "bot.log", idle)
            replies = [r.get("text", "")[:60] for r in standin.sent(parent)]
    return {
        "context": run_context(),
        "parents_mid_survey": parents,
        "idle_seconds_before_memory": idle,
        "database_build_seconds": round(build_seconds, 1),
        "database_mib": round(size_mib, 1),
        "parentvoice": bot,
        "echo": echo,
        "first_answer_ratio": round(bot["first_answer_seconds"] / echo["first_answer_seconds"], 2),
        "idle_rss_ratio": round(bot["idle_rss_mib"] / echo["idle_rss_mib"], 2),
        "first_reply_starts": replies[:1],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parents", type=int, default=10_000)
    p.add_argument("--idle", type=float, default=15.0, help="seconds idle after the first answer before memory is read")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = asyncio.run(run(args.parents, args.idle))
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    for key, value in result.items():
        print(f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
