"""Train the per-theme model shipped as bot/themes/model.npz (issue 10: several themes per text).

    python -m bench.themes_train            # cross-validate, fit on all training data, write model.npz
    python -m bench.themes_train --check    # exit 1 if model.npz was not trained on the current data
    python -m bench.themes_train --cv-only  # cross-validated figures only, nothing written

Training data: tests/data/themes_dev.jsonl, themes_holdout.jsonl and themes_train.jsonl (statements in all
20 languages) plus the taxonomy's `examples_multilingual`. Never the blind sets (themes_blind2/3.jsonl):
they measure the result. Two-theme texts are also made by joining two single-theme statements of the same
language (their embedding is the normalised sum of the two, which is close to what mean pooling gives for
the joined text, so nothing more is embedded). Thresholds per theme come from 5-fold cross-validation
(out-of-fold probabilities of the held-out texts and of two-theme texts joined from them; each theme's
best-F1 threshold, shrunk halfway to the best global one, since some themes have few positives). The result is deterministic for the same data and embedder.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.themes.classifier import ThemeClassifier
from bot.themes.embedding import E5Embedder, Embedder
from bot.themes.evaluation import DEV_SET, LabelledText, load_labelled
from bot.themes.model import MODEL_PATH, ThemeModel, data_digest, features, fit_logistic
from bot.themes.taxonomy import DEFAULT_PATH as TAXONOMY_PATH
from bot.themes.taxonomy import load_taxonomy

TRAIN_SETS = (
    DEV_SET,
    DEV_SET.with_name("themes_holdout.jsonl"),
    DEV_SET.with_name("themes_train.jsonl"),
)
RECIPE = {
    "version": 1,
    "l2": 3e-3,
    "steps": 600,
    "lr": 0.05,
    "pairs_per_text": 2,
    "folds": 5,
    "seed": 0,
    "shrink": 0.5,
}


@dataclass
class Rows:
    """Per text: the model inputs and the gold labels (a 0/1 row over the themes)."""

    x: np.ndarray
    y: np.ndarray
    language: list[str]


def training_items() -> list[LabelledText]:
    items: list[LabelledText] = []
    for path in TRAIN_SETS:
        items.extend(load_labelled(path))
    for theme in load_taxonomy().themes:
        for language, texts in theme.multilingual_examples.items():
            for k, text in enumerate(texts):
                label = frozenset({theme.id})
                items.append(LabelledText(f"tax-{theme.id}-{language}-{k}", language, text, label, frozenset()))
    return items


def text_rows(clf: ThemeClassifier, items: Sequence[LabelledText]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(whole-text embeddings, prototype scores best over the text and its sentences, model inputs)."""
    units, owner = clf._units([i.text for i in items])
    vectors = clf.embedder.embed(units, query=True)
    scores = clf.theme_scores(vectors)
    first = np.array([int(np.flatnonzero(owner == k)[0]) for k in range(len(items))])
    combined = clf._combine(scores, owner, len(items))
    return vectors[first], combined, features(vectors[first], combined)


def synthetic_pairs(
    clf: ThemeClassifier, vecs: np.ndarray, scores: np.ndarray, y: np.ndarray, languages: Sequence[str], seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Two-theme texts from two single-theme texts of one language: summed embedding, best of both scores."""
    rng = np.random.default_rng(seed)
    single = [k for k in range(len(y)) if y[k].sum() == 1]
    by_lang: dict[str, list[int]] = {}
    for k in single:
        by_lang.setdefault(languages[k], []).append(k)
    pairs = []
    for k in single:
        pool = by_lang[languages[k]]
        for _ in range(int(RECIPE["pairs_per_text"])):
            j = int(pool[rng.integers(len(pool))])
            if (y[j] * y[k]).sum() == 0:
                pairs.append((k, j))
    if not pairs:
        return np.zeros((0, vecs.shape[1] + y.shape[1]), np.float32), np.zeros((0, y.shape[1]))
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    joined = vecs[a] + vecs[b]
    joined /= np.linalg.norm(joined, axis=1, keepdims=True)
    joined_scores = np.maximum(np.maximum(scores[a], scores[b]), clf.theme_scores(joined))
    return features(joined, joined_scores), np.clip(y[a] + y[b], 0, 1)


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    return mean, scale


def train(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    mean, scale = standardise(x)
    w, b = fit_logistic(
        (x - mean) / scale, y, l2=float(RECIPE["l2"]), steps=int(RECIPE["steps"]), lr=float(RECIPE["lr"])
    )
    return mean, scale, w, b


def _micro(y: np.ndarray, pred: np.ndarray) -> float:
    tp = float((y * pred).sum())
    fp = float(((1 - y) * pred).sum())
    fn = float((y * (1 - pred)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def decide_all(probs: np.ndarray, thresholds: np.ndarray, unsure_below: float) -> np.ndarray:
    """0/1 predictions with the model's rule (best theme always, others over their threshold, at most 3)."""
    pred = np.zeros_like(probs)
    for r, row in enumerate(probs):
        order = np.argsort(-row, kind="stable")
        if row[order[0]] < unsure_below:
            continue
        chosen = [int(i) for i in order if row[i] >= thresholds[i]]
        if int(order[0]) not in chosen:
            chosen.insert(0, int(order[0]))
        pred[r, chosen[:3]] = 1
    return pred


def calibrate(probs: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, dict[str, float]]:
    """Thresholds per theme and the unsure floor from out-of-fold probabilities."""
    k = y.shape[1]
    grid = np.round(np.arange(0.1, 0.981, 0.02), 3)
    best_global = max(grid, key=lambda t: _micro(y, decide_all(probs, np.full(k, t), 0.0)))
    thresholds = np.full(k, best_global)
    for j in range(k):

        def f1_with(t: float, j: int = j) -> float:
            trial = thresholds.copy()
            trial[j] = t
            return _micro(y, decide_all(probs, trial, 0.0))

        best_j = max(grid, key=f1_with)
        thresholds[j] = float(RECIPE["shrink"]) * best_global + (1 - float(RECIPE["shrink"])) * best_j
    unsure_below = max((0.0, 0.05, 0.1, 0.15, 0.2), key=lambda u: _micro(y, decide_all(probs, thresholds, u)))
    figures = {
        "global_threshold": float(best_global),
        "oof_micro_f1_global": round(_micro(y, decide_all(probs, np.full(k, best_global), 0.0)), 4),
        "oof_micro_f1_per_theme": round(_micro(y, decide_all(probs, thresholds, unsure_below)), 4),
        "oof_micro_f1_top1": round(_micro(y, decide_all(probs, np.full(k, 2.0), 0.0)), 4),
    }
    return thresholds.astype(np.float32), float(unsure_below), figures


def build(embedder: Embedder | None = None, *, write: bool = True, out: Path = MODEL_PATH) -> dict[str, object]:
    started = time.perf_counter()
    clf = ThemeClassifier(embedder=embedder or E5Embedder(), disk_cache=False)
    items = training_items()
    ids = clf.taxonomy.theme_ids
    y = np.array([[1.0 if t in i.themes else 0.0 for t in ids] for i in items])
    languages = [i.language for i in items]
    vecs, scores, x = text_rows(clf, items)
    seed = int(RECIPE["seed"])
    folds = np.random.default_rng(seed).permutation(len(items)) % int(RECIPE["folds"])
    oof = np.zeros_like(y, dtype=np.float32)
    pair_probs, pair_y = [], []
    for f in range(int(RECIPE["folds"])):
        tr = np.flatnonzero(folds != f)
        te = np.flatnonzero(folds == f)
        sx, sy = synthetic_pairs(clf, vecs[tr], scores[tr], y[tr], [languages[k] for k in tr], seed + f)
        mean, scale, w, b = train(np.vstack([x[tr], sx]), np.vstack([y[tr], sy]))
        model = ThemeModel(ids, mean, scale, w, b, np.zeros(len(ids)), 0.0, "", "", "{}")
        oof[te] = model.probabilities(x[te])
        # Held-out two-theme texts too, so thresholds are set on a mix like real answers (most name two).
        tx, ty = synthetic_pairs(clf, vecs[te], scores[te], y[te], [languages[k] for k in te], seed + 100 + f)
        pair_probs.append(model.probabilities(tx))
        pair_y.append(ty)
    pooled_probs = np.vstack([oof, *pair_probs])
    pooled_y = np.vstack([y, *pair_y])
    thresholds, unsure_below, figures = calibrate(pooled_probs, pooled_y)
    figures["oof_micro_f1_real_texts"] = round(_micro(y, decide_all(oof, thresholds, unsure_below)), 4)
    figures["oof_micro_f1_real_texts_top1"] = round(_micro(y, decide_all(oof, np.full(len(ids), 2.0), 0.0)), 4)
    by_language = {}
    pred = decide_all(oof, thresholds, unsure_below)
    for lang in sorted(set(languages)):
        rows = np.array([k for k, lg in enumerate(languages) if lg == lang])
        by_language[lang] = round(_micro(y[rows], pred[rows]), 3)
    sx, sy = synthetic_pairs(clf, vecs, scores, y, languages, seed)
    mean, scale, w, b = train(np.vstack([x, sx]), np.vstack([y, sy]))
    recipe = {
        **RECIPE,
        "train_sets": [p.name for p in TRAIN_SETS] + ["taxonomy.yaml examples_multilingual"],
        "n_texts": len(items),
        "n_synthetic_pairs": len(sx),
        "cross_validation": {**figures, "oof_micro_f1_by_language": by_language},
    }
    digest = current_digest()
    model = ThemeModel(ids, mean, scale, w, b, thresholds, unsure_below, clf.embedder.name, digest, json.dumps(recipe))
    if write:
        model.save(out)
    return {**recipe, "thresholds": dict(zip(ids, np.round(thresholds, 3).tolist(), strict=True)),
            "unsure_below": unsure_below, "seconds": round(time.perf_counter() - started, 1)}


def current_digest() -> str:
    """Digest of the training data, the taxonomy and the recipe that `model.npz` must carry."""
    return data_digest([*TRAIN_SETS, TAXONOMY_PATH], json.dumps(RECIPE, sort_keys=True))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.themes_train", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if model.npz is stale")
    parser.add_argument("--cv-only", action="store_true", help="print cross-validated figures, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        stale = ThemeModel.load(MODEL_PATH).digest != current_digest()
        print("stale: run python -m bench.themes_train" if stale else "model.npz is current")
        return 1 if stale else 0
    result = build(write=not args.cv_only)
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
