"""Scoring a labelled set: micro precision/recall/F1 for themes and flags, overall and per language, and
top-3 recall of the themes ranked by score (the suggestions a parent is shown).

Kept in the package (not only in bench/) so the quality-gate test and `python -m bench.themes_eval` compute
the same numbers from the same code.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.themes.classifier import Classification, ThemeClassifier, default_classifier

__all__ = ["DEV_SET", "Counts", "EvalReport", "LabelledText", "TopK", "evaluate", "load_labelled", "ranked_themes"]

DEV_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "themes_dev.jsonl"


@dataclass(frozen=True)
class LabelledText:
    id: str
    language: str
    text: str
    themes: frozenset[str]
    flags: frozenset[str]


def load_labelled(path: Path | str = DEV_SET) -> list[LabelledText]:
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        items.append(
            LabelledText(
                id=str(row["id"]),
                language=str(row["language"]),
                text=str(row["text"]),
                themes=frozenset(row.get("themes", [])),
                flags=frozenset(row.get("flags", [])),
            )
        )
    return items


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: Iterable[str], predicted: Iterable[str]) -> None:
        g, p = set(gold), set(predicted)
        self.tp += len(g & p)
        self.fp += len(p - g)
        self.fn += len(g - p)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class TopK:
    """How often the gold themes are among the k best-scored themes (what a parent is shown as suggestions)."""

    found: int = 0  # gold themes ranked in the top k
    gold: int = 0  # gold themes
    all_found: int = 0  # texts with every gold theme in the top k
    texts: int = 0  # texts with at least one gold theme

    def add(self, gold: Iterable[str], ranked: Sequence[str], k: int = 3) -> None:
        g = set(gold)
        if not g:
            return
        hits = len(g & set(ranked[:k]))
        self.found += hits
        self.gold += len(g)
        self.all_found += hits == len(g)
        self.texts += 1

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def all_rate(self) -> float:
        return self.all_found / self.texts if self.texts else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "recall": round(self.recall, 4),
            "all_gold_in_top": round(self.all_rate, 4),
            "found": self.found,
            "gold": self.gold,
        }


def ranked_themes(result: Classification) -> list[str]:
    """Theme ids by score, best first (ties keep taxonomy order): the order suggestions are shown in."""
    return sorted(result.scores, key=lambda tid: -result.scores[tid])


@dataclass
class EvalReport:
    n: int
    themes: Counts = field(default_factory=Counts)
    flags: Counts = field(default_factory=Counts)
    themes_by_language: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    flags_by_language: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_flag: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_theme: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    top3: TopK = field(default_factory=TopK)
    top3_by_language: dict[str, TopK] = field(default_factory=lambda: defaultdict(TopK))
    unsure: int = 0
    seconds: float = 0.0
    errors: list[dict[str, object]] = field(default_factory=list)

    def worst_language_f1(self) -> tuple[str, float]:
        lang, counts = min(self.themes_by_language.items(), key=lambda kv: kv[1].f1)
        return lang, counts.f1

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "themes": self.themes.as_dict(),
            "flags": self.flags.as_dict(),
            "top3": self.top3.as_dict(),
            "top3_by_language": {k: v.as_dict() for k, v in sorted(self.top3_by_language.items())},
            "unsure": self.unsure,
            "themes_by_language": {k: v.as_dict() for k, v in sorted(self.themes_by_language.items())},
            "flags_by_language": {k: v.as_dict() for k, v in sorted(self.flags_by_language.items())},
            "by_theme": {k: v.as_dict() for k, v in sorted(self.by_theme.items())},
            "by_flag": {k: v.as_dict() for k, v in sorted(self.by_flag.items())},
            "classify_seconds": round(self.seconds, 3),
        }


def evaluate(
    items: Sequence[LabelledText],
    classifier: ThemeClassifier | None = None,
    *,
    predict: Callable[[Sequence[LabelledText]], list[Classification]] | None = None,
) -> EvalReport:
    """Classify every item in one batch and count against its labels (languages given, as in the bot)."""
    clf = classifier or default_classifier()
    started = time.perf_counter()
    if predict is not None:
        results = predict(items)
    else:
        results = clf.classify_many([i.text for i in items], [i.language for i in items])
    report = EvalReport(n=len(items), seconds=time.perf_counter() - started)
    theme_ids = clf.taxonomy.theme_ids
    flag_ids = clf.taxonomy.flag_ids
    for item, res in zip(items, results, strict=True):
        report.themes.add(item.themes, res.themes)
        report.themes_by_language[item.language].add(item.themes, res.themes)
        ranked = ranked_themes(res)
        report.top3.add(item.themes, ranked)
        report.top3_by_language[item.language].add(item.themes, ranked)
        report.flags.add(item.flags, res.flags)
        report.flags_by_language[item.language].add(item.flags, res.flags)
        report.unsure += res.unsure
        for tid in theme_ids:
            report.by_theme[tid].add({tid} & item.themes, {tid} & set(res.themes))
        for fid in flag_ids:
            report.by_flag[fid].add({fid} & item.flags, {fid} & set(res.flags))
        if set(res.themes) != item.themes or set(res.flags) != item.flags:
            report.errors.append(
                {
                    "id": item.id,
                    "gold_themes": sorted(item.themes),
                    "themes": list(res.themes),
                    "gold_flags": sorted(item.flags),
                    "flags": list(res.flags),
                }
            )
    return report
