"""Survey steps through the full stack, against a trivial echo bot on the same stand-in (DESIGN.md section 12).

    python -m bench.survey_bench                  # 20 parents, and 400 echo updates
    python -m bench.survey_bench --parents 50 --json
    python -m bench.survey_bench --concurrent 10 # 10 parents (and 10 echo users) at a time
    python -m bench.survey_bench --no-free-text  # button steps only: the embedding is bench.freetext_bench's

Both bots are real python-telegram-bot Applications polling a stand-in over HTTP. A "step" is one update
(a button press or a message) from injection until the bot reports it fully handled: the parent's answer
stored in SQLite (one transaction) and every reply sent. The echo bot answers each update with one message
and does nothing else, so the difference is what ParentVoice adds: the engine, the database, rendering, and
two or three Bot API calls per step instead of one.

By default (``--standin process``) each bot runs alone in its own process (``bench.survey_bot``) and the
stand-in with the simulated parents in this one, as Telegram would be: the bot's CPU per step is then its
own cost, with Telegram's side of every call (the stand-in serving it) charged to neither bot.
``--standin inline`` is the older measure: the stand-in, the simulated parents and the bot in one process,
so Telegram's side of each call is charged to the bot making it (three calls a press against the echo
bot's one).

With ``--concurrent N`` that many parents answer at once (each one's steps in order), and the echo bot gets
that many users at once: throughput is then what the process sustains, not one step's latency.

On a shared machine wall-clock figures follow the load; CPU time per step moves far less, so both are given,
for both bots, in the same run: the bot's process alone with ``--standin process``, the whole process (bot,
stand-in and simulated users, every thread) with ``--standin inline``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.machine import run_context
from bench.processes import stop
from bench.survey_bot import echo_application
from bot.demo import running_bot, sample_inspection
from bot.standin.server import StandIn
from bot.standin.user import SimulatedUser, UpdateTracker

PLAN = [("pick", "respondent", "parent_carer"), ("pick", "age_band", "5_to_10"), ("pick", "support", "ehc_plan"),
        ("pick", "setting", "mainstream"), ("tog", "needs", "learning"), ("done", "needs", None),
        ("pick", "identified", "2"), ("pick", "assessment_wait", "over_2_years"), ("pick", "right_help", "1"),
        ("tog", "services_waited", "camhs"), ("done", "services_waited", None), ("pick", "involved", "2"),
        ("pick", "contact_replies", "1"), ("tog", "excluded", "none"), ("done", "excluded", None),
        ("skip", "worked_well", None)]


def summary(latencies: list[float], seconds: float, cpu_seconds: float | None = None) -> dict[str, float]:
    ordered = sorted(latencies)
    cpu = {} if cpu_seconds is None else {
        "cpu_ms_per_step": round(cpu_seconds / len(ordered) * 1000, 2),
        "steps_per_cpu_second": round(len(ordered) / cpu_seconds, 1),
    }
    return {
        **cpu,
        "steps": len(ordered),
        "steps_per_second": round(len(ordered) / seconds, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


TEXT_STEPS: list[float] = []  # the free-text answers' latencies (embedding included), also in the totals


async def timed(latencies: list[float], action, text: bool = False) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    await action
    latencies.append(time.perf_counter() - start)
    if text:
        TEXT_STEPS.append(latencies[-1])


async def one_parent(run, user_id: int, latencies: list[float],  # type: ignore[no-untyped-def]
                     free_text: bool = True) -> None:
    parent = run.user(user_id, "en")
    await timed(latencies, parent.send("/start derby26"))
    await timed(latencies, parent.press_callback("lang:en"))
    await timed(latencies, parent.press_callback("consent:yes"))
    for kind, question, choice in PLAN:
        await timed(latencies, parent.press_callback(":".join(x for x in (kind, question, choice) if x)))
    if not free_text:  # the embedding measured on its own (bench.freetext_bench): skip the typed answer
        await timed(latencies, parent.press_callback("skip:inspectors_should_know"))
    else:
        await timed(latencies, parent.send("We waited two years for speech therapy and nobody called back."),
                    text=True)
        if any(b.get("callback_data", "").startswith("thok") for b in parent.buttons()):
            await timed(latencies, parent.press_callback("thok:inspectors_should_know"))
    await timed(latencies, parent.press_callback("pick:quote_ok:yes"))
    await timed(latencies, parent.press_callback("submit"))


#: Where the bot processes write their cProfile (``--profile-bots DIR``); None: no profiling.
PROFILE_DIR: Path | None = None


def _cpu_seconds(stat: Path) -> float:
    """User + system CPU from a /proc stat file."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _process_cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU of a process (every thread) and of its main thread (the event loop), from /proc."""
    return _cpu_seconds(Path(f"/proc/{pid}/stat")), _cpu_seconds(Path(f"/proc/{pid}/task/{pid}/stat"))


class ChildBot:
    """A bot alone in its own process (``bench.survey_bot``); its handled update ids feed a tracker here."""

    def __init__(self, standin: StandIn, kind: str, db_path: Path | None = None, http_client: str | None = None
                 ) -> None:
        self.standin, self.kind, self.db_path, self.http_client = standin, kind, db_path, http_client
        self.observers: list[Callable[[int], None]] = []
        self.tracker = UpdateTracker(self)
        self.child: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    def user(self, user_id: int, language_code: str | None = "en") -> SimulatedUser:
        return SimulatedUser(self.standin, self.tracker, user_id, language_code)

    def cpu_seconds(self) -> tuple[float, float]:
        assert self.child is not None
        return _process_cpu_seconds(self.child.pid)

    async def __aenter__(self) -> ChildBot:
        db = ["--db", str(self.db_path)] if self.db_path else []
        if PROFILE_DIR is not None:
            db += ["--profile", str(PROFILE_DIR / f"{self.kind}.pstats")]
        if self.http_client:
            db += ["--http-client", self.http_client]
        self.child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.survey_bot", self.kind, "--base-url", self.standin.base_url, *db,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        assert self.child.stdout is not None
        line = await asyncio.wait_for(self.child.stdout.readline(), 120)
        if line.strip() != b"ready":
            await stop(self.child, 5)
            raise RuntimeError(f"the {self.kind} bot did not start: {line!r}")
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.child is not None and self.child.stdout is not None
        async for line in self.child.stdout:
            for observer in self.observers:
                observer(int(line))

    async def __aexit__(self, *exc: object) -> None:
        assert self.child is not None
        await stop(self.child)
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


def _with_cpu(result: dict[str, float], bot_cpu: tuple[float, float] | None, side_cpu: float, steps: int
              ) -> dict[str, float]:
    """Add the bot process's own CPU per step (own-process runs), its event loop thread's, and the stand-in
    side's."""
    if bot_cpu is not None:
        result["bot_process_cpu_ms_per_step"] = round(bot_cpu[0] / steps * 1000, 2)
        result["bot_loop_thread_cpu_ms_per_step"] = round(bot_cpu[1] / steps * 1000, 2)
        result["standin_side_cpu_ms_per_step"] = round(side_cpu / steps * 1000, 2)
    return result


async def _parents(run, parents: int, concurrent: int, free_text: bool,  # type: ignore[no-untyped-def]
                   latencies: list[float]) -> None:
    for first in range(0, parents, concurrent):
        await asyncio.gather(*(one_parent(run, 100_000 + n, latencies, free_text)
                               for n in range(first, min(parents, first + concurrent))))


async def parentvoice_steps(parents: int, concurrent: int = 1, free_text: bool = True,
                            own_process: bool = True, http_client: str | None = None) -> dict[str, float]:
    latencies: list[float] = []
    bot_cpu: tuple[float, float] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        if own_process:
            async with StandIn() as standin, ChildBot(standin, "parentvoice", Path(tmp) / "bench.db",
                                                      http_client) as child:
                began, cpu, bot_before = time.perf_counter(), time.process_time(), child.cpu_seconds()
                await _parents(child, parents, concurrent, free_text, latencies)
                seconds, cpu, bot_after = time.perf_counter() - began, time.process_time() - cpu, child.cpu_seconds()
                bot_cpu = (bot_after[0] - bot_before[0], bot_after[1] - bot_before[1])
        else:
            chosen = {"http_client": http_client} if http_client else {}  # else the shipped default
            async with running_bot(Path(tmp) / "bench.db", sample_inspection(), **chosen) as run:
                from bot.telegram.app import warm_up

                await warm_up()
                began, cpu = time.perf_counter(), time.process_time()
                await _parents(run, parents, concurrent, free_text, latencies)
                seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    result = summary(latencies, seconds, cpu if bot_cpu is None else bot_cpu[0])
    _with_cpu(result, bot_cpu, cpu, len(latencies))
    others = list(latencies)
    for t in TEXT_STEPS:
        others.remove(t)
    result["other_steps_p50_ms"] = round(statistics.median(others) * 1000, 2)
    result["other_steps_p95_ms"] = round(sorted(others)[int(len(others) * 0.95) - 1] * 1000, 2)
    result["free_text_steps_p50_ms"] = round(statistics.median(TEXT_STEPS) * 1000, 2) if TEXT_STEPS else 0.0
    return result


async def echo_steps(updates: int, concurrent: int = 1, own_process: bool = True, http_client: str | None = None
                     ) -> dict[str, float]:
    latencies: list[float] = []

    async def chat(user: SimulatedUser, count: int) -> None:
        for n in range(count):
            await timed(latencies, user.send(f"hello {n}"))

    async with StandIn() as standin:
        if own_process:
            async with ChildBot(standin, "echo", None, http_client) as child:
                users = [child.user(42 + k, "en") for k in range(concurrent)]
                began, cpu, bot_before = time.perf_counter(), time.process_time(), child.cpu_seconds()
                await asyncio.gather(*(chat(u, updates // concurrent) for u in users))
                seconds, cpu, bot_after = time.perf_counter() - began, time.process_time() - cpu, child.cpu_seconds()
                bot_cpu = (bot_after[0] - bot_before[0], bot_after[1] - bot_before[1])
            return _with_cpu(summary(latencies, seconds, bot_cpu[0]), bot_cpu, cpu, len(latencies))
        app = echo_application(standin.base_url, http_client or "httpx")
        tracker = UpdateTracker(app)  # type: ignore[arg-type]
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1)  # type: ignore[union-attr]
            users = [SimulatedUser(standin, tracker, 42 + k, "en") for k in range(concurrent)]
            began, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(chat(u, updates // concurrent) for u in users))
            seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()
    return summary(latencies, seconds, cpu)


async def main_async(parents: int, echo_updates: int, concurrent: int = 1, free_text: bool = True,
                     own_process: bool = True, http_client: str | None = None, echo_http_client: str | None = None
                     ) -> dict[str, object]:
    pv = await parentvoice_steps(parents, concurrent, free_text, own_process, http_client)
    echo = await echo_steps(echo_updates, concurrent, own_process, echo_http_client)
    return {
        "context": run_context(),
        "standin": "process" if own_process else "inline",
        "http_client": http_client or "default",
        "echo_http_client": echo_http_client or "httpx",
        "concurrent": concurrent,
        "free_text": free_text,
        "parentvoice": pv,
        "echo": echo,
        "throughput_ratio": round(pv["steps_per_second"] / echo["steps_per_second"], 3),
        "cpu_throughput_ratio": round(pv["steps_per_cpu_second"] / echo["steps_per_cpu_second"], 3),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parents", type=int, default=20)
    p.add_argument("--echo-updates", type=int, default=400)
    p.add_argument("--concurrent", type=int, default=1, help="parents (and echo users) answering at once")
    p.add_argument("--no-free-text", action="store_true",
                   help="skip the typed answer (its embedding is measured by bench.freetext_bench)")
    p.add_argument("--standin", choices=("process", "inline"), default="process",
                   help="process (default): each bot alone in its own process, the stand-in in this one, CPU "
                        "per step of the bot process alone; inline: stand-in, users and bot in one process")
    p.add_argument("--http-client", choices=("aiohttp", "httpx"),
                   help="ParentVoice's Bot API client (default aiohttp, as shipped; httpx: PTB's own, as before)")
    p.add_argument("--echo-http-client", choices=("aiohttp", "httpx"),
                   help="the echo bot's (default httpx: PTB's defaults, the floor; aiohttp: ParentVoice's client)")
    p.add_argument("--profile-bots", type=Path, metavar="DIR",
                   help="with --standin process: each bot process writes a cProfile to DIR/<bot>.pstats "
                        "(read with python -m pstats; profiling slows the bots, so figures are not comparable)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    global PROFILE_DIR
    PROFILE_DIR = args.profile_bots
    result = asyncio.run(main_async(args.parents, args.echo_updates, args.concurrent, not args.no_free_text,
                                    args.standin == "process", args.http_client, args.echo_http_client))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['context']}; {result['concurrent']} at a time; stand-in: {result['standin']}; Bot API client: "
          f"ParentVoice {result['http_client']}, echo {result['echo_http_client']}")
    print(f"{'bot':<12} {'steps':>6} {'steps/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name in ("parentvoice", "echo"):
        r = result[name]
        assert isinstance(r, dict)
        print(f"{name:<12} {r['steps']:>6} {r['steps_per_second']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} "
              f"{r['p99_ms']:>8} {r['max_ms']:>8}")
    whose = ("the bot process's own CPU time" if result["standin"] == "process"
             else "the whole process's CPU time, every thread")
    print(f"throughput ratio (ParentVoice / echo): {result['throughput_ratio']}; per CPU second ({whose}; moves "
          f"less with the machine's load): {result['cpu_throughput_ratio']}")
    pv = result["parentvoice"]
    assert isinstance(pv, dict)
    echo = result["echo"]
    assert isinstance(echo, dict)
    if "bot_process_cpu_ms_per_step" in pv:
        print(f"bot process alone, CPU ms per step: ParentVoice {pv['bot_process_cpu_ms_per_step']}, echo "
              f"{echo['bot_process_cpu_ms_per_step']} (of which the event loop thread: "
              f"{pv['bot_loop_thread_cpu_ms_per_step']} and {echo['bot_loop_thread_cpu_ms_per_step']}); "
              "stand-in + simulated users (this process): "
              f"{pv['standin_side_cpu_ms_per_step']} and {echo['standin_side_cpu_ms_per_step']}")
    print(f"ParentVoice CPU ms per step {pv['cpu_ms_per_step']} (echo {echo['cpu_ms_per_step']}); "
          f"button steps p50 {pv['other_steps_p50_ms']} ms p95 {pv['other_steps_p95_ms']} ms; "
          f"free-text steps p50 {pv['free_text_steps_p50_ms']} ms")


if __name__ == "__main__":
    main()
