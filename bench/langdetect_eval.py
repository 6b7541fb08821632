"""Measure language detection of short parent answers: langdetect against py3langid.

Run: `python -m bench.langdetect_eval [--json] [--sweep] [--set PATH]`. Each method is scored on
tests/data/langdetect_set.jsonl overall, on texts of at most four words, and per language, with the
time per call after the models are loaded. Methods:
  raw            the detector alone over the 20 shipped languages (langdetect labels mapped, zh-cn -> zh)
  raw+prior      the same, with the interface language as a prior for short texts
  rules          script and letter rules first, the detector for what they leave open
  rules+prior    rules, then the prior for short texts (the shipped method with py3langid)
  rules+prior+en as rules+prior, but an English prior is boosted too
`--sweep` also scores py3langid rules+prior for other prior weights and short-text lengths.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bot.i18n.detect import DEFAULT_SETTINGS, DetectorSettings, backend, detect_with, word_count
from bot.i18n.languages import LANGUAGES

DEFAULT_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "langdetect_set.jsonl"
SHORT_WORDS = 4

METHODS: dict[str, dict[str, bool]] = {
    "raw": {"script_rules": False, "use_prior": False},
    "raw+prior": {"script_rules": False, "use_prior": True},
    "rules": {"script_rules": True, "use_prior": False},
    "rules+prior": {"script_rules": True, "use_prior": True},
    "rules+prior+en": {"script_rules": True, "use_prior": True, "boost_english": True},
}


@dataclass(frozen=True)
class Sample:
    text: str
    language: str
    prior: str | None


def load_set(path: Path = DEFAULT_SET) -> list[Sample]:
    """The labelled sentences, one JSON object a line."""
    samples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            samples.append(Sample(row["text"], row["language"], row.get("prior")))
    return samples


def evaluate(samples: list[Sample], settings: DetectorSettings) -> dict[str, object]:
    """Accuracy overall, on short texts and per language, and the mean time per call."""
    backend(settings.backend)  # load the model outside the timing
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    short_right = short_total = 0
    errors: list[tuple[str, str | None]] = []
    start = time.perf_counter()
    predictions = [detect_with(s.text, s.prior, settings) for s in samples]
    elapsed = time.perf_counter() - start
    for sample, predicted in zip(samples, predictions, strict=True):
        ok = predicted == sample.language
        total[sample.language] += 1
        right[sample.language] += ok
        if word_count(sample.text) <= SHORT_WORDS:
            short_total += 1
            short_right += ok
        if not ok:
            errors.append((sample.language, predicted))
    return {
        "accuracy": sum(right.values()) / len(samples),
        "short_accuracy": short_right / short_total if short_total else None,
        "short_count": short_total,
        "ms_per_call": 1000 * elapsed / len(samples),
        "per_language": {lang: right[lang] / total[lang] for lang in total},
        "confusions": sorted(f"{gold}->{pred}" for gold, pred in errors),
    }


def run(path: Path = DEFAULT_SET) -> dict[str, dict[str, object]]:
    samples = load_set(path)
    results = {}
    for backend_name in ("langdetect", "py3langid"):
        for method, flags in METHODS.items():
            settings = DetectorSettings(backend=backend_name, **flags)
            results[f"{backend_name} {method}"] = evaluate(samples, settings)
    return results


SWEEP_WEIGHTS = (1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 200.0)
SWEEP_WORDS = (3, 5, 8)


def sweep(path: Path = DEFAULT_SET) -> dict[str, float]:
    """Accuracy of the default method for other prior weights and short-text limits."""
    samples = load_set(path)
    results = {}
    for words in SWEEP_WORDS:
        for weight in SWEEP_WEIGHTS:
            settings = DetectorSettings(short_words=words, prior_weight=weight)
            results[f"words<={words} weight={weight:g}"] = evaluate(samples, settings)["accuracy"]
    return results


def _print_table(results: dict[str, dict[str, object]], count: int) -> None:
    names = list(results)
    print(f"{count} sentences; short = at most {SHORT_WORDS} words")
    print(f"{'method':28} {'all':>6} {'short':>6} {'ms/call':>8}")
    for name in names:
        r = results[name]
        print(f"{name:28} {r['accuracy']:6.1%} {r['short_accuracy']:6.1%} {r['ms_per_call']:8.3f}")
    default = f"{DEFAULT_SETTINGS.backend} rules+prior"
    columns = ["langdetect raw", "langdetect rules+prior", "py3langid raw", "py3langid rules", default]
    print()
    print("per language: " + " | ".join(columns))
    for lang in (lang.iso for lang in LANGUAGES):
        cells = " ".join(f"{results[c]['per_language'].get(lang, 0.0):7.0%}" for c in columns)
        print(f"{lang:4} {cells}")
    print()
    for name in (default,):
        print(f"{name} errors: {', '.join(results[name]['confusions']) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--sweep", action="store_true", help="also vary the prior weight and short length")
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="JSON lines: text, language, prior")
    args = parser.parse_args()
    results = run(args.set)
    swept = sweep(args.set) if args.sweep else {}
    if args.json:
        print(json.dumps({"methods": results, "sweep": swept}, indent=2, ensure_ascii=False))
        return
    _print_table(results, len(load_set(args.set)))
    if swept:
        print()
        print(
            f"py3langid rules+prior by short-text limit and prior weight (shipped: "
            f"words<={DEFAULT_SETTINGS.short_words} weight={DEFAULT_SETTINGS.prior_weight:g})"
        )
        for name, accuracy in swept.items():
            print(f"  {name:24} {accuracy:6.1%}")


if __name__ == "__main__":
    main()
