"""Measure the personal-data scrubber on the labelled set in tests/data/scrub_set.jsonl.

Run: python -m bench.scrub_eval [--json] [--set PATH] [--misses]
Adversarial sets: --set tests/data/scrub_adversarial_blind.jsonl (or _dev); rows may carry a "tag" (the kind of
attack or carelessness: lowercase, nocue, spelled_phone, ... or "none" for a text with no personal data), and the
table then gives recall per tag and how many texts with no personal data came out unchanged.

Recall: a labelled item counts as caught when its text no longer appears in the output (more exactly: when the
output holds no more copies of it than the input holds outside labelled items, so a name "عمر" inside the
ordinary word "العمر" does not count as a miss).
Lost-word rate: words of the original outside every labelled item that are missing from the output, over all such
words (a word counts as kept if it appears in the output as often as in the non-personal part of the input).
Also: the share of `keep` phrases that survive, and the mean time per sentence.
Words and keep phrases are compared with the input in its normalised form (NFKC, invisible and control
characters removed, as the scrubber does first), so full-width or zero-width text does not count as lost.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.privacy.scrub import scrub

DEFAULT_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "scrub_set.jsonl"
# Chinese is written without spaces: each Han character counts as a word.
_WORD = re.compile(r"[\u4e00-\u9fff]|[^\s.,;:!?()\[\]\"'«»“”،؛؟۔।，。、\u4e00-\u9fff]+")


_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_KEEP_INVISIBLE = {"\n", "\t", "\u200c", "\u200d"}
_CJK_PUNCTUATION = re.compile(r"([\u3000\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]+)")


def normalised(text: str) -> str:
    """The input as the scrubber sees it; independent of the scrubber's code so the figures check it."""
    parts = _CJK_PUNCTUATION.split(_ANSI.sub("", text))  # Chinese punctuation stays full-width
    text = "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))
    return "".join(
        c for c in text if c in _KEEP_INVISIBLE or unicodedata.category(c) not in {"Cc", "Cf"}
    )


@dataclass
class Tally:
    caught: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.caught / self.total if self.total else 1.0


@dataclass
class Report:
    sentences: int = 0
    pii: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_language: dict[str, Tally] = field(default_factory=dict)
    by_split: dict[str, Tally] = field(default_factory=dict)
    by_tag: dict[str, Tally] = field(default_factory=dict)
    clean: Tally = field(default_factory=Tally)  # texts with no personal data left exactly as they were
    words_lost: int = 0
    words_total: int = 0
    keep: Tally = field(default_factory=Tally)
    seconds: float = 0.0
    misses: list[dict[str, str]] = field(default_factory=list)
    lost: list[dict[str, str]] = field(default_factory=list)

    @property
    def lost_rate(self) -> float:
        return self.words_lost / self.words_total if self.words_total else 0.0

    @property
    def ms_per_sentence(self) -> float:
        return 1000 * self.seconds / self.sentences if self.sentences else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "sentences": self.sentences,
            "pii_items": self.pii.total,
            "recall": round(self.pii.rate, 4),
            "recall_by_kind": {k: round(t.rate, 4) for k, t in sorted(self.by_kind.items())},
            "items_by_kind": {k: t.total for k, t in sorted(self.by_kind.items())},
            "recall_by_language": {k: round(t.rate, 4) for k, t in sorted(self.by_language.items())},
            "items_by_language": {k: t.total for k, t in sorted(self.by_language.items())},
            "recall_by_split": {k: round(t.rate, 4) for k, t in sorted(self.by_split.items())},
            "items_by_split": {k: t.total for k, t in sorted(self.by_split.items())},
            "recall_by_tag": {k: round(t.rate, 4) for k, t in sorted(self.by_tag.items())},
            "items_by_tag": {k: t.total for k, t in sorted(self.by_tag.items())},
            "clean_texts": self.clean.total,
            "clean_texts_unchanged": round(self.clean.rate, 4),
            "non_pii_words": self.words_total,
            "non_pii_words_lost": self.words_lost,
            "lost_word_rate": round(self.lost_rate, 4),
            "keep_phrases_kept": round(self.keep.rate, 4),
            "ms_per_sentence": round(self.ms_per_sentence, 4),
        }


def load_set(path: Path = DEFAULT_SET) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _non_pii_words(text: str, pii_texts: Iterable[str]) -> Counter[str]:
    """Words of `text` once labelled items are cut out (whole words only, so "عمر" leaves "العمر" alone)."""
    for item in sorted(set(pii_texts), key=len, reverse=True):
        if re.search(r"[\u4e00-\u9fff]", item):
            text = text.replace(item, " ")  # no word boundaries in Chinese
        else:
            before = r"(?<![^\W\d_\u4e00-\u9fff])" if item[:1].isalpha() else ""
            after = r"(?![^\W\d_\u4e00-\u9fff])" if item[-1:].isalpha() else ""
            text = re.sub(before + re.escape(item) + after, " ", text)
    return Counter(_WORD.findall(text))


def evaluate(rows: list[dict[str, object]], repeats: int = 5) -> Report:
    """Score `scrub` on labelled rows; timing is the best of `repeats` passes over the whole set."""
    report = Report(sentences=len(rows))
    best = float("inf")
    outputs: list[str] = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        outputs = [scrub(str(r["text"]), str(r.get("language") or "") or None).text for r in rows]
        best = min(best, time.perf_counter() - start)
    report.seconds = best
    for row, raw_out in zip(rows, outputs, strict=True):
        out = normalised(raw_out)  # a full-width or zero-width-split name left in the output is still a leak
        lang = str(row.get("language") or "?")
        split = str(row.get("split") or "all")
        tag = row.get("tag")
        source = normalised(str(row["text"]))
        pii = list(row.get("pii") or [])  # type: ignore[call-overload]
        labelled = Counter(item["text"] for item in pii)
        for item in pii:
            kind, text = item["kind"], item["text"]
            allowed = max(0, source.count(text) - labelled[text])
            hit = out.count(text) <= allowed
            for tally in (
                report.pii,
                report.by_kind.setdefault(kind, Tally()),
                report.by_language.setdefault(lang, Tally()),
                report.by_split.setdefault(split, Tally()),
                *((report.by_tag.setdefault(str(tag), Tally()),) if tag else ()),
            ):
                tally.total += 1
                tally.caught += hit
            if not hit:
                report.misses.append({"id": str(row["id"]), "kind": kind, "text": text, "output": out})
        if not pii:
            report.clean.total += 1
            report.clean.caught += raw_out == source
        expected = _non_pii_words(source, [i["text"] for i in pii])
        got = Counter(_WORD.findall(out))
        for word, count in expected.items():
            lost = max(0, count - got.get(word, 0))
            report.words_total += count
            report.words_lost += lost
            if lost:
                report.lost.append({"id": str(row["id"]), "word": word, "output": out})
        for phrase in row.get("keep") or []:  # type: ignore[union-attr]
            report.keep.total += 1
            report.keep.caught += normalised(phrase) in out
    return report


def format_table(report: Report) -> str:
    lines = [
        f"sentences: {report.sentences}   personal-data items: {report.pii.total}",
        f"recall: {report.pii.rate:.3f}   lost-word rate: {report.lost_rate:.4f} "
        f"({report.words_lost}/{report.words_total})   keep phrases kept: {report.keep.rate:.3f}",
        f"mean time: {report.ms_per_sentence:.3f} ms per sentence",
        "",
        f"{'kind':<15}{'items':>7}{'recall':>9}",
    ]
    for kind, tally in sorted(report.by_kind.items()):
        lines.append(f"{kind:<15}{tally.total:>7}{tally.rate:>9.3f}")
    lines += ["", f"{'split':<15}{'items':>7}{'recall':>9}"]
    for split, tally in sorted(report.by_split.items()):
        lines.append(f"{split:<15}{tally.total:>7}{tally.rate:>9.3f}")
    if report.by_tag:
        lines += ["", f"{'tag':<15}{'items':>7}{'recall':>9}"]
        for tag, tally in sorted(report.by_tag.items()):
            lines.append(f"{tag:<15}{tally.total:>7}{tally.rate:>9.3f}")
    if report.clean.total:
        lines += ["", f"texts with no personal data left unchanged: {report.clean.caught}/{report.clean.total}"]
    lines += ["", f"{'language':<15}{'items':>7}{'recall':>9}"]
    for lang, tally in sorted(report.by_language.items()):
        lines.append(f"{lang:<15}{tally.total:>7}{tally.rate:>9.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print machine-readable figures")
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="labelled JSONL set")
    parser.add_argument("--misses", action="store_true", help="also list missed items and lost words")
    args = parser.parse_args(argv)
    report = evaluate(load_set(args.set))
    if args.json:
        payload = report.as_dict()
        if args.misses:
            payload["misses"] = report.misses
            payload["lost"] = report.lost
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(format_table(report))
        if args.misses:
            for miss in report.misses:
                print(f"MISS {miss['id']} {miss['kind']}: {miss['text']!r} -> {miss['output']}")
            for lost in report.lost:
                print(f"LOST {lost['id']} {lost['word']!r} -> {lost['output']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
