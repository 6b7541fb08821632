"""Survey steps through the full stack, against a trivial echo bot on the same stand-in (DESIGN.md section 12).

    python -m bench.survey_bench                  # 20 parents, and 400 echo updates
    python -m bench.survey_bench --parents 50 --json
    python -m bench.survey_bench --concurrent 10 # 10 parents (and 10 echo users) at a time
    python -m bench.survey_bench --no-free-text  # button steps only: the embedding is bench.freetext_bench's

Both bots are real python-telegram-bot Applications polling the same kind of in-process stand-in over
HTTP. A "step" is one update (a button press or a message) from injection until the application reports it
fully handled: the parent's answer stored in SQLite (one transaction) and every reply sent. The echo bot
answers each update with one message and does nothing else, so the difference is what ParentVoice adds:
the engine, the database, rendering, and two or three Bot API calls per step instead of one.

With ``--concurrent N`` that many parents answer at once (each one's steps in order), and the echo bot gets
that many users at once: throughput is then what the process sustains, not one step's latency.

On a shared machine wall-clock figures follow the load; the process's CPU time per step (bot, stand-in and
simulated users together, every thread) moves far less, so both are given, for both bots, in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bench.machine import run_context
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


async def parentvoice_steps(parents: int, concurrent: int = 1, free_text: bool = True) -> dict[str, float]:
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with running_bot(Path(tmp) / "bench.db", sample_inspection()) as run:
            from bot.telegram.app import warm_up

            await warm_up()
            began, cpu = time.perf_counter(), time.process_time()
            for first in range(0, parents, concurrent):
                await asyncio.gather(*(one_parent(run, 100_000 + n, latencies, free_text)
                                       for n in range(first, min(parents, first + concurrent))))
            seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    result = summary(latencies, seconds, cpu)
    others = list(latencies)
    for t in TEXT_STEPS:
        others.remove(t)
    result["other_steps_p50_ms"] = round(statistics.median(others) * 1000, 2)
    result["other_steps_p95_ms"] = round(sorted(others)[int(len(others) * 0.95) - 1] * 1000, 2)
    result["free_text_steps_p50_ms"] = round(statistics.median(TEXT_STEPS) * 1000, 2) if TEXT_STEPS else 0.0
    return result


async def echo_steps(updates: int, concurrent: int = 1) -> dict[str, float]:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query:
            await update.callback_query.answer()
        elif update.effective_chat and update.effective_message:
            await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "?")

    latencies: list[float] = []
    async with StandIn() as standin:
        app = ApplicationBuilder().token("1:ECHO").base_url(standin.base_url).build()
        app.observers = []  # type: ignore[attr-defined]
        app.add_handler(MessageHandler(filters.ALL, echo))
        app.add_handler(CallbackQueryHandler(echo))
        original = app.process_update

        async def process(update: object) -> None:
            await original(update)
            if isinstance(update, Update):
                for observer in app.observers:  # type: ignore[attr-defined]
                    observer(update.update_id)

        app.process_update = process  # type: ignore[method-assign]
        tracker = UpdateTracker(app)  # type: ignore[arg-type]
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1)  # type: ignore[union-attr]
            users = [SimulatedUser(standin, tracker, 42 + k, "en") for k in range(concurrent)]

            async def chat(user: SimulatedUser, count: int) -> None:
                for n in range(count):
                    await timed(latencies, user.send(f"hello {n}"))

            began, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(chat(u, updates // concurrent) for u in users))
            seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()
    return summary(latencies, seconds, cpu)


async def main_async(parents: int, echo_updates: int, concurrent: int = 1, free_text: bool = True
                     ) -> dict[str, object]:
    pv = await parentvoice_steps(parents, concurrent, free_text)
    echo = await echo_steps(echo_updates, concurrent)
    return {
        "context": run_context(),
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
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    result = asyncio.run(main_async(args.parents, args.echo_updates, args.concurrent, not args.no_free_text))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['context']}; {result['concurrent']} at a time")
    print(f"{'bot':<12} {'steps':>6} {'steps/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name in ("parentvoice", "echo"):
        r = result[name]
        assert isinstance(r, dict)
        print(f"{name:<12} {r['steps']:>6} {r['steps_per_second']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} "
              f"{r['p99_ms']:>8} {r['max_ms']:>8}")
    print(f"throughput ratio (ParentVoice / echo): {result['throughput_ratio']}; per CPU second (the process's "
          f"CPU time, every thread; moves less with the machine's load): {result['cpu_throughput_ratio']}")
    pv = result["parentvoice"]
    assert isinstance(pv, dict)
    print(f"ParentVoice CPU ms per step {pv['cpu_ms_per_step']} (echo {result['echo']['cpu_ms_per_step']}); "  # type: ignore[index]
          f"button steps p50 {pv['other_steps_p50_ms']} ms p95 {pv['other_steps_p95_ms']} ms; "
          f"free-text steps p50 {pv['free_text_steps_p50_ms']} ms")


if __name__ == "__main__":
    main()
