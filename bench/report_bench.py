"""Report time and memory at 1,000 / 10,000 / 100,000 responses (DESIGN.md section 12).

    python -m bench.report_bench                 # all sizes
    python -m bench.report_bench --sizes 1000    # one size
    python -m bench.report_bench --reader 300    # disclosure audit on 300 random small tables
    python -m bench.report_bench --whole         # per size, a fresh process: the whole report, time and max RSS
    python -m bench.report_bench --whole --db    # the same, from a SQLite database as the bot reads it

Synthetic responses come from tests/report_factory.py (seeded). Each step is timed on its own (best of
``--repeat`` runs, without tracing), then run once more under tracemalloc for its peak memory. The records
themselves are built before timing; their size is reported separately.

``--whole`` runs each size in its own process (so one size's memory does not hide another's): build the
report and render every format and chart once, timed from the records in memory to the last byte (wall and
CPU seconds: on a shared machine the CPU time moves far less with load), and the process's peak resident memory (``ru_maxrss``: records, libraries and all). Growth is the CPU time per
1,000 responses against the smallest size.

``--whole --db`` writes the same records into a fresh SQLite database first (in another process, as the bot
stores them: migrations applied, one row per answer), then times and measures what the bot does for
``/report``: ``bot.services.report.report_for`` reads the inspection's responses from the database and builds
the report, then every format and chart is rendered.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bot.reports.aggregate import build_report
from bot.reports.audit import pinned_figures
from bot.reports.chart import ratings_chart_svg, theme_chart_png, theme_chart_svg
from bot.reports.disclosure import RawTable
from bot.reports.render import render
from bot.survey.model import load_questionnaire
from tests.report_factory import english, make_info, make_records

SIZES = (1_000, 10_000, 100_000)
BENCH_INSPECTION = "benchreport"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def measure(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(best seconds, peak MiB, result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 2**20, result


def bench_size(n: int, repeat: int) -> None:
    gc.collect()
    tracemalloc.start()
    records = make_records(n, seed=n)
    records_mib = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    questionnaire, info, t = load_questionnaire(), make_info(), english()
    seconds, peak, report = measure(lambda: build_report(info, questionnaire, records), repeat)
    print(f"| {n:,} | build_report | {seconds * 1000:,.0f} | {peak:,.1f} | records held: {records_mib:,.0f} MiB |")
    steps: list[tuple[str, Callable[[], object]]] = [
        (f"render {fmt}", (lambda fmt=fmt: render(report, fmt, t))) for fmt in ("text", "html", "csv", "json")  # type: ignore[misc]
    ]
    steps += [
        ("theme_chart_png", lambda: theme_chart_png(report, t)),  # type: ignore[arg-type]
        ("charts svg (2)", lambda: (theme_chart_svg(report, t), ratings_chart_svg(report, t))),  # type: ignore[arg-type]
    ]
    for name, fn in steps:
        seconds, peak, out = measure(fn, repeat)
        size = len(out.encode("utf-8")) if isinstance(out, str) else len(out) if isinstance(out, bytes) else None
        note = f"output {size / 1024:,.0f} KiB" if size is not None else ""
        print(f"| {n:,} | {name} | {seconds * 1000:,.0f} | {peak:,.1f} | {note} |")


def whole(n: int) -> dict[str, float]:
    """One size in this process: the report end to end (build, four formats, three charts)."""
    records = make_records(n, seed=n)
    after_records = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    questionnaire, info, t = load_questionnaire(), make_info(), english()
    cpu, start = time.process_time(), time.perf_counter()
    report = build_report(info, questionnaire, records)
    built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
    for fmt in ("text", "html", "csv", "json"):
        render(report, fmt, t)
    theme_chart_png(report, t)  # type: ignore[arg-type]
    theme_chart_svg(report, t), ratings_chart_svg(report, t)  # type: ignore[arg-type]
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"responses": n, "build_s": round(built, 2), "total_s": round(total, 2),
            "build_cpu_s": round(built_cpu, 2), "total_cpu_s": round(total_cpu, 2),
            "rss_after_records_mib": round(after_records, 1),
            "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def fill_database(path: Path, n: int) -> None:
    """Store ``make_records(n, seed=n)`` in a new database at ``path`` as the bot stores responses."""
    from bot.storage import inspections as inspections_repo
    from bot.storage.db import Database

    async def schema() -> None:
        db = await Database.open(path)
        try:
            await inspections_repo.create(db, make_info(id=BENCH_INSPECTION))
        finally:
            await db.close()

    asyncio.run(schema())
    now = "2026-10-01T12:00:00+00:00"
    conn = sqlite3.connect(path)
    with conn:
        for i, record in enumerate(make_records(n, seed=n), start=1):
            respondent = f"r{i:07d}"
            conn.execute("INSERT INTO parents (respondent, language, created_at, updated_at) VALUES (?,?,?,?)",
                         (respondent, record.language, now, now))
            conn.execute(
                "INSERT INTO responses (id, respondent, inspection_id, questionnaire_id, questionnaire_version,"
                " language, source, state, status, started_at, updated_at, submitted_at)"
                " VALUES (?,?,?,'area_send',1,?,?,'{}','submitted',?,?,?)",
                (i, respondent, BENCH_INSPECTION, record.language, record.forum, now, now, now))
            conn.executemany(
                "INSERT INTO answers (response_id, question_id, value, questionnaire_version, text_language,"
                " answered_at, scrubber_version) VALUES (?,?,?,1,?,?,?)",
                [(i, q, json.dumps(v, ensure_ascii=False), record.text_languages.get(q), now,
                  record.scrubbed_by.get(q)) for q, v in record.answers.items()])
            conn.executemany("INSERT OR IGNORE INTO answer_themes VALUES (?,?,?,?)",
                             [(i, a.question, a.theme, a.source) for a in record.themes])
            conn.executemany("INSERT INTO answer_flags VALUES (?,?,?)",
                             [(i, "inspectors_should_know", flag) for flag in record.flags])
    conn.close()


def whole_from_database(path: Path, n: int) -> dict[str, float]:
    """What ``/report`` does, from the database at ``path``: read, build, render every format and chart."""
    from bot.services.report import report_for
    from bot.storage.db import Database

    async def build() -> object:
        db = await Database.open(path, migrate=False)
        try:
            return await report_for(db, BENCH_INSPECTION)
        finally:
            await db.close()

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = english()
    cpu, start = time.process_time(), time.perf_counter()
    report = asyncio.run(build())
    built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
    for fmt in ("text", "html", "csv", "json"):
        render(report, fmt, t)  # type: ignore[arg-type]
    theme_chart_png(report, t)  # type: ignore[arg-type]
    theme_chart_svg(report, t), ratings_chart_svg(report, t)  # type: ignore[arg-type]
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert report.total == n, report.total  # type: ignore[attr-defined]
    return {"responses": n, "build_s": round(built, 2), "total_s": round(total, 2),
            "build_cpu_s": round(built_cpu, 2), "total_cpu_s": round(total_cpu, 2),
            "rss_after_records_mib": round(before, 1),
            "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def whole_sizes(sizes: list[int], from_db: bool = False) -> None:
    from bench.machine import run_context

    print(run_context())
    if from_db:
        print("From the database: build_report is reading the responses and building the report (report_for); "
              "the RSS in brackets is before reading.")
    print("| responses | build_report s (CPU) | whole report s (CPU) | CPU s per 1,000 | vs linear | "
          "max RSS MiB (after records) |")
    print("|---:|---:|---:|---:|---:|---:|")
    base: float | None = None
    for n in sizes:
        with tempfile.TemporaryDirectory() as directory:
            extra = []
            if from_db:
                path = Path(directory) / "report.db"
                subprocess.run([sys.executable, "-m", "bench.report_bench", "--fill", str(n), "--path", str(path)],
                               check=True)
                extra = ["--path", str(path)]
            out = subprocess.run([sys.executable, "-m", "bench.report_bench", "--one", str(n), *extra], check=True,
                                 capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        per_k = r["total_cpu_s"] / (n / 1000)
        base = base or per_k
        print(f"| {n:,} | {r['build_s']} ({r['build_cpu_s']}) | {r['total_s']} ({r['total_cpu_s']}) | {per_k:.3f} | "
              f"{per_k / base:.2f}x | "
              f"{r['max_rss_mib']} ({r['rss_after_records_mib']}) |", flush=True)


def reader_audit(tables: int, seed: int) -> None:
    """Share of random small tables where a reader can pin a hidden figure to one value."""
    rng = random.Random(seed)
    values = [0, 1, 2, 3, 5, 8, 9, 10, 11, 12, 15, 20, 25]
    checked = table_pinned = algorithm_pinned = 0
    while checked < tables:
        k = rng.choice([2, 3, 4])
        cells = [rng.choice(values) for _ in range(k)]
        if not 10 <= sum(cells) <= 45:
            continue
        groups = (("g", ("k0", "k1")),) if k == 4 and rng.random() < 0.5 else ()
        table = RawTable("q", "single", sum(cells), tuple((f"k{i}", v) for i, v in enumerate(cells)), groups)
        checked += 1
        table_pinned += bool(pinned_figures(table, 10))
        algorithm_pinned += bool(pinned_figures(table, 10, knows_algorithm=True))
    print(f"random single-answer tables (2-4 cells, totals 10-45, threshold 10, seed {seed}): {checked}")
    print(f"  a hidden figure pinned by a reader of the table: {table_pinned}")
    print(f"  a hidden figure pinned by a reader who re-runs the suppression rules: {algorithm_pinned} "
          f"({100 * algorithm_pinned / checked:.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reader", type=int, default=0, help="run the disclosure audit on this many tables")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--whole", action="store_true", help="each size in its own process: time and max RSS")
    parser.add_argument("--db", action="store_true", help="with --whole: read the responses from SQLite")
    parser.add_argument("--one", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--fill", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        fill_database(args.path, args.fill)
        return
    if args.one:
        print(json.dumps(whole_from_database(args.path, args.one) if args.path else whole(args.one)))
        return
    if args.whole:
        whole_sizes(args.sizes, args.db)
        return
    print(f"machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}")
    if args.reader:
        reader_audit(args.reader, args.seed)
        return
    print(f"| responses | step | time (ms, best of {args.repeat}) | peak traced memory (MiB) | note |")
    print("|---:|---|---:|---:|---|")
    for n in args.sizes:
        bench_size(n, args.repeat)


if __name__ == "__main__":
    main()
