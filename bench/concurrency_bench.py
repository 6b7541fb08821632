"""Many parents at once while one chat is in a Telegram flood wait (issue: one slow chat stalled everyone).

    python -m bench.concurrency_bench                   # 200 parents, 6 taps each, one chat held 5 s by a 429
    python -m bench.concurrency_bench --parents 50 --json

Every parent taps concurrently through the full stack (PTB over HTTP, the stand-in, SQLite). Before any tap,
the stand-in answers the first parent's next send with 429 retry_after=5. A step's latency runs from the
update's injection until the application reports it handled. The flooded parent's own steps are reported
apart: they must wait; nobody else should.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from bench.machine import machine
from bench.survey_bench import summary
from bot.demo import running_bot, sample_inspection

TAPS = ["lang:en", "consent:yes", "pick:respondent:parent_carer", "pick:age_band:5_to_10",
        "pick:support:ehc_plan"]


async def run(parents: int, retry_after: int) -> dict[str, object]:
    others: list[float] = []
    flooded: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with running_bot(Path(tmp) / "bench.db", sample_inspection()) as bot:
            from bot.telegram.app import warm_up

            await warm_up()
            users = [bot.user(200_000 + n, "en") for n in range(parents)]

            async def parent(index: int) -> None:
                user = users[index]
                into = flooded if index == 0 else others
                start = time.perf_counter()
                await user.send("/start derby26")
                into.append(time.perf_counter() - start)
                for data in TAPS:
                    start = time.perf_counter()
                    await user.press_callback(data)
                    into.append(time.perf_counter() - start)

            bot.standin.fail(users[0].chat, 429, retry_after=retry_after, times=1)
            began = time.perf_counter()
            await asyncio.gather(*(parent(i) for i in range(parents)))
            seconds = time.perf_counter() - began
    return {"machine": machine(), "parents": parents, "retry_after": retry_after,
            "others": summary(others, seconds), "flooded_parent": summary(flooded, seconds)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parents", type=int, default=200)
    p.add_argument("--retry-after", type=int, default=5)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    result = asyncio.run(run(args.parents, args.retry_after))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']}")
    print(f"{'who':<16} {'steps':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>9}")
    for name in ("others", "flooded_parent"):
        r = result[name]
        assert isinstance(r, dict)
        print(f"{name:<16} {r['steps']:>6} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>9}")


if __name__ == "__main__":
    main()
