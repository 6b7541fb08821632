"""Train the per-theme model shipped as bot/themes/model.npz (issue 10: several themes per text).

    python -m bench.themes_train            # cross-validate, fit on all training data, write model.npz
    python -m bench.themes_train --check    # exit 1 if model.npz was not trained on the current data
    python -m bench.themes_train --cv-only  # cross-validated figures only, nothing written

Training data: every labelled theme set that has been seen (TRAIN_SETS: dev, holdout, train, train2, train3,
and blind2 to blind5 after their blind runs) plus the taxonomy's `examples_multilingual`, one copy of each
text (same normalised text: first label kept). Blind6 (themes_blind6.jsonl, measured blind in round 6) is
never read here. Since round 6 each sentence of a longer text also lifts its themes (`sentence_mix`,
bot/themes/model.mix_sentences), in cross-validation as in the bot. Two parts, whose logits are mixed (`ngram_mix`):

1. the embedding model on the e5 embedding and the centred prototype scores: since round 5 one tanh hidden
   layer (`hidden` units) shared by the themes, then one sigmoid per theme (`hidden` 0: one logistic
   regression per theme, as in round 4; cross-validated weighted F1 0.845 against 0.833, docs/themes.md).
   `pairs_per_text` > 0 also makes two-theme texts by joining two single-theme statements of one
   language (normalised sum of the embeddings); off since 568 real multi-theme texts exist (cross-validated
   weighted F1 0.869 without, 0.854 with two pairs a text: docs/themes.md);
2. the n-gram model: one logistic regression per theme on hashed character n-grams (`ngram_vectors`),
   solved in the span of the training texts (an eigendecomposition of their Gram matrix: exact for L2,
   and ~1,500 dimensions instead of 16,384), then written back as one weight per bucket.

Folds are grouped by text (a hash of the normalised text), so a statement never sits on both sides.
Thresholds per theme come from the out-of-fold probabilities of the real texts, weighted so that texts
with two or more themes count for `multi_share` of them (most real statements name two: issue 10); each
theme's best-F1 threshold is shrunk halfway to the best global one, since some themes have few positives.
Deterministic for the same data and embedder (seeded; numpy only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.themes.classifier import ThemeClassifier
from bot.themes.embedding import E5Embedder, Embedder
from bot.themes.evaluation import DEV_SET, LabelledText, load_labelled
from bot.themes.model import (
    MODEL_PATH,
    NGRAM_DIM,
    ThemeModel,
    data_digest,
    features,
    fit_hidden_layer,
    fit_logistic,
    mix_sentences,
    ngram_vectors,
    sigmoid,
)
from bot.themes.normalise import normalise
from bot.themes.taxonomy import DEFAULT_PATH as TAXONOMY_PATH
from bot.themes.taxonomy import load_taxonomy

TRAIN_SETS = tuple(
    DEV_SET.with_name(name)
    for name in (
        "themes_dev.jsonl",
        "themes_holdout.jsonl",
        "themes_train.jsonl",
        "themes_train2.jsonl",
        "themes_train3.jsonl",
        "themes_blind2.jsonl",
        "themes_blind3.jsonl",
        "themes_blind4.jsonl",
        "themes_blind5.jsonl",
    )
)
RECIPE = {
    "version": 4,
    "l2": 3e-3,
    "steps": 600,
    "lr": 0.05,
    "pairs_per_text": 0,
    "folds": 5,
    "seed": 0,
    "shrink": 0.5,
    "multi_share": 0.67,
    "ngram_mix": 0.2,
    "ngram_scale": 10.0,
    "ngram_l2": 1e-3,
    # Round 5: the embedding part has one tanh hidden layer shared by the themes (0: a logistic regression).
    "hidden": 128,
    "hidden_l2": 3e-3,
    "hidden_steps": 400,
    "hidden_lr": 0.01,
    # Round 6: each sentence of a longer text lifts its themes half way to the sentence's own probability
    # (bot/themes/model.mix_sentences; 0: the whole text alone, as in round 5).
    "sentence_mix": 0.5,
}


def training_items() -> list[LabelledText]:
    """Every seen labelled statement once (the first label of a repeated normalised text wins)."""
    items: list[LabelledText] = []
    for path in TRAIN_SETS:
        items.extend(load_labelled(path))
    for theme in load_taxonomy().themes:
        for language, texts in theme.multilingual_examples.items():
            for k, text in enumerate(texts):
                label = frozenset({theme.id})
                items.append(LabelledText(f"tax-{theme.id}-{language}-{k}", language, text, label, frozenset()))
    seen: set[str] = set()
    unique = []
    for item in items:
        key = normalise(item.text)
        if item.themes and key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


@dataclass(frozen=True)
class Units:
    """Every text's units (the whole text, then its sentences when it has several), as the classifier sees them."""

    x: np.ndarray  # model inputs of each unit (its own embedding and prototype scores)
    grams: np.ndarray  # n-gram vectors of each unit (one zero column without an n-gram part)
    owner: np.ndarray  # the text of each unit


def text_rows(
    clf: ThemeClassifier, items: Sequence[LabelledText]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Units]:
    """(whole-text embeddings, prototype scores best over the text and its sentences, model inputs, units)."""
    units, owner = clf._units([i.text for i in items])
    vectors = clf.embedder.embed(units, query=True)
    scores = clf.theme_scores(vectors)
    first = np.searchsorted(owner, np.arange(len(items)))
    combined = clf._combine(scores, owner, len(items))
    grams = ngram_vectors(units) if float(RECIPE["ngram_mix"]) else np.zeros((len(units), 1), np.float32)
    unit_info = Units(features(vectors, scores), grams, np.asarray(owner))
    return vectors[first], combined, features(vectors[first], combined), unit_info


_PARALLEL_ID = re.compile(r"^(t[23])-[a-z_]+-(\d+)$")


def fold_key(item: LabelledText) -> str:
    """What must stay in one fold: the normalised text; for themes_train2.jsonl and themes_train3.jsonl, the
    statement's number, since the same numbers in different languages are translations of one statement
    (train2: sk ro so ps gu, and uk fa lt zh fr it; train3: each statement in three to four languages) and a
    translation on the other side of a fold would flatter the figures."""
    match = _PARALLEL_ID.match(item.id)
    return f"{match.group(1)}-{int(match.group(2))}" if match else normalise(item.text)


def folds_by_text(items: Sequence[LabelledText], k: int) -> np.ndarray:
    """Fold of each item from a hash of its `fold_key`: stable, and one statement never in two folds."""
    return np.array([int(hashlib.sha256(fold_key(i).encode()).hexdigest(), 16) % k for i in items])


def pair_index(y: np.ndarray, languages: Sequence[str], rows: np.ndarray, seed: int) -> list[tuple[int, int]]:
    """Pairs of single-theme texts (indices into all items) of one language with different themes."""
    rng = np.random.default_rng(seed)
    single = [int(k) for k in rows if y[k].sum() == 1]
    by_lang: dict[str, list[int]] = {}
    for k in single:
        by_lang.setdefault(languages[k], []).append(k)
    pairs = []
    for k in single:
        pool = by_lang[languages[k]]
        for _ in range(int(RECIPE["pairs_per_text"])):
            j = pool[int(rng.integers(len(pool)))]
            if (y[j] * y[k]).sum() == 0:
                pairs.append((k, j))
    return pairs


def pair_rows(
    clf: ThemeClassifier, vecs: np.ndarray, scores: np.ndarray, y: np.ndarray, pairs: list[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Model inputs and labels of joined texts: summed embedding, best of both prototype scores."""
    if not pairs:
        return np.zeros((0, vecs.shape[1] + y.shape[1]), np.float32), np.zeros((0, y.shape[1]))
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    joined = vecs[a] + vecs[b]
    joined /= np.linalg.norm(joined, axis=1, keepdims=True)
    joined_scores = np.maximum(np.maximum(scores[a], scores[b]), clf.theme_scores(joined))
    return features(joined, joined_scores), np.clip(y[a] + y[b], 0, 1)


@dataclass(frozen=True)
class EmbeddingPart:
    """The embedding part's fitted arrays (the hidden layer's are None when `RECIPE["hidden"]` is 0)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: np.ndarray
    hidden_weights: np.ndarray | None = None
    hidden_bias: np.ndarray | None = None

    def logits(self, x: np.ndarray) -> np.ndarray:
        inputs = (x - self.mean) / self.scale
        if self.hidden_weights is not None and self.hidden_bias is not None:
            inputs = np.tanh(inputs @ self.hidden_weights + self.hidden_bias)
        return inputs @ self.weights + self.bias


def fit_embedding_part(x: np.ndarray, y: np.ndarray) -> EmbeddingPart:
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    if int(RECIPE["hidden"]):
        w1, b1, w2, b2 = fit_hidden_layer(
            (x - mean) / scale,
            y,
            hidden=int(RECIPE["hidden"]),
            l2=float(RECIPE["hidden_l2"]),
            steps=int(RECIPE["hidden_steps"]),
            lr=float(RECIPE["hidden_lr"]),
        )
        return EmbeddingPart(mean, scale, w2, b2, w1, b1)
    w, b = fit_logistic(
        (x - mean) / scale, y, l2=float(RECIPE["l2"]), steps=int(RECIPE["steps"]), lr=float(RECIPE["lr"])
    )
    return EmbeddingPart(mean, scale, w, b)


def fit_ngram_part(
    grams: np.ndarray, gram_gram: np.ndarray, rows: np.ndarray, pairs: list[tuple[int, int]], y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(NGRAM_DIM, n_themes) weights and bias of the n-gram logistic regressions.

    The rows are the texts `rows` and the joined `pairs` (normalised sums). The L2 solution lies in the span
    of the training rows, so it is fitted on their coordinates in an orthonormal basis of that span (from
    the Gram matrix `gram_gram` = grams @ grams.T, computed once) and mapped back to one weight per bucket.
    """
    c = float(RECIPE["ngram_scale"])
    base = gram_gram[np.ix_(rows, rows)]
    lam, q = np.linalg.eigh(base.astype(np.float64))
    keep = lam > 1e-6 * lam.max()
    lam, q = lam[keep], q[:, keep]
    basis = q / np.sqrt(lam)  # coordinates of a row r: (K[r, rows] @ basis)
    coords = [gram_gram[np.ix_(rows, rows)] @ basis]
    labels = [y[rows]]
    if pairs:
        a = np.array([p[0] for p in pairs])
        b = np.array([p[1] for p in pairs])
        norms = np.sqrt(gram_gram[a, a] + gram_gram[b, b] + 2 * gram_gram[a, b])
        coords.append(((gram_gram[np.ix_(a, rows)] + gram_gram[np.ix_(b, rows)]) / norms[:, None]) @ basis)
        labels.append(np.clip(y[a] + y[b], 0, 1))
    w, bias = fit_logistic(
        np.vstack(coords) * c,
        np.vstack(labels),
        l2=float(RECIPE["ngram_l2"]),
        steps=int(RECIPE["steps"]),
        lr=float(RECIPE["lr"]),
    )
    weights = grams[rows].T.astype(np.float64) @ (basis @ w.astype(np.float64)) * c
    return weights.astype(np.float32), bias


def _micro(y: np.ndarray, pred: np.ndarray, weight: np.ndarray | None = None) -> float:
    w = np.ones(len(y)) if weight is None else weight
    tp = float((w[:, None] * y * pred).sum())
    fp = float((w[:, None] * (1 - y) * pred).sum())
    fn = float((w[:, None] * y * (1 - pred)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def top3_recall(y: np.ndarray, probs: np.ndarray) -> float:
    best = np.argsort(-probs, axis=1, kind="stable")[:, :3]
    return float(sum(y[r, best[r]].sum() for r in range(len(y))) / y.sum())


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


def multi_weights(y: np.ndarray) -> np.ndarray:
    """Per-text weights so that texts with two or more themes make `multi_share` of the total."""
    multi = y.sum(axis=1) >= 2
    share = float(RECIPE["multi_share"])
    if not multi.any() or multi.all():
        return np.ones(len(y))
    w_multi = share * (~multi).sum() / ((1 - share) * multi.sum())
    return np.where(multi, w_multi, 1.0)


def calibrate(probs: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, dict[str, float]]:
    """Thresholds per theme and the unsure floor from out-of-fold probabilities (weighted F1)."""
    k = y.shape[1]
    weight = multi_weights(y)
    grid = np.round(np.arange(0.1, 0.981, 0.02), 3)

    def f1(thresholds: np.ndarray, unsure: float = 0.0) -> float:
        return _micro(y, decide_all(probs, thresholds, unsure), weight)

    best_global = max(grid, key=lambda t: f1(np.full(k, t)))
    thresholds = np.full(k, best_global)
    for j in range(k):

        def f1_with(t: float, j: int = j) -> float:
            trial = thresholds.copy()
            trial[j] = t
            return f1(trial)

        best_j = max(grid, key=f1_with)
        thresholds[j] = float(RECIPE["shrink"]) * best_global + (1 - float(RECIPE["shrink"])) * best_j
    unsure_below = max((0.0, 0.05, 0.1, 0.15, 0.2), key=lambda u: f1(thresholds, u))
    figures = {
        "global_threshold": float(best_global),
        "oof_weighted_micro_f1_global": round(f1(np.full(k, best_global)), 4),
        "oof_weighted_micro_f1_per_theme": round(f1(thresholds, unsure_below), 4),
    }
    return thresholds.astype(np.float32), float(unsure_below), figures


def cross_validate(
    clf: ThemeClassifier,
    items: Sequence[LabelledText],
    vecs: np.ndarray,
    scores: np.ndarray,
    x: np.ndarray,
    grams: np.ndarray,
    gram_gram: np.ndarray,
    y: np.ndarray,
    units: Units,
) -> np.ndarray:
    """Out-of-fold probabilities of every item (both parts mixed, sentences lifting, as in the shipped model)."""
    languages = [i.language for i in items]
    seed = int(RECIPE["seed"])
    folds = folds_by_text(items, int(RECIPE["folds"]))
    mix = float(RECIPE["ngram_mix"])
    oof = np.zeros_like(y, dtype=np.float32)
    for f in range(int(RECIPE["folds"])):
        tr = np.flatnonzero(folds != f)
        te = np.flatnonzero(folds == f)
        pairs = pair_index(y, languages, tr, seed + f)
        sx, sy = pair_rows(clf, vecs, scores, y, pairs)
        part = fit_embedding_part(np.vstack([x[tr], sx]), np.vstack([y[tr], sy]))
        z = part.logits(x[te])
        in_fold = np.isin(units.owner, te)
        zu = part.logits(units.x[in_fold])
        if mix:
            gw, gb = fit_ngram_part(grams, gram_gram, tr, pairs, y)
            z = (1 - mix) * z + mix * (grams[te] @ gw + gb)
            zu = (1 - mix) * zu + mix * (units.grams[in_fold] @ gw + gb)
        # Units are in text order, so the fold's units keep it; renumber their owners 0..len(te)-1.
        owner = np.searchsorted(te, units.owner[in_fold])
        oof[te] = mix_sentences(sigmoid(z), sigmoid(zu), owner, float(RECIPE["sentence_mix"]))
    return oof


def figures_of(oof: np.ndarray, y: np.ndarray, languages: Sequence[str], thresholds: np.ndarray, unsure: float) -> dict:
    pred = decide_all(oof, thresholds, unsure)
    multi = y.sum(axis=1) >= 2
    by_language = {}
    for lang in sorted(set(languages)):
        rows = np.array([k for k, lg in enumerate(languages) if lg == lang])
        by_language[lang] = {
            "n": len(rows),
            "f1": round(_micro(y[rows], pred[rows]), 3),
            "f1_weighted": round(_micro(y[rows], pred[rows], multi_weights(y[rows])), 3),
            "top3": round(top3_recall(y[rows], oof[rows]), 3),
        }
    return {
        "oof_micro_f1": round(_micro(y, pred), 4),
        "oof_micro_f1_weighted": round(_micro(y, pred, multi_weights(y)), 4),
        "oof_micro_f1_multi_theme_texts": round(_micro(y[multi], pred[multi]), 4),
        "oof_micro_f1_single_theme_texts": round(_micro(y[~multi], pred[~multi]), 4),
        "oof_top3_recall": round(top3_recall(y, oof), 4),
        "oof_top3_recall_multi_theme_texts": round(top3_recall(y[multi], oof[multi]), 4),
        "by_language": by_language,
    }


def build(embedder: Embedder | None = None, *, write: bool = True, out: Path = MODEL_PATH) -> dict[str, object]:
    started = time.perf_counter()
    clf = ThemeClassifier(embedder=embedder or E5Embedder(), disk_cache=False)
    items = training_items()
    ids = clf.taxonomy.theme_ids
    y = np.array([[1.0 if t in i.themes else 0.0 for t in ids] for i in items])
    languages = [i.language for i in items]
    vecs, scores, x, units = text_rows(clf, items)
    mix = float(RECIPE["ngram_mix"])
    grams = ngram_vectors([i.text for i in items]) if mix else np.zeros((len(items), 1), np.float32)
    gram_gram = (grams @ grams.T).astype(np.float64)
    oof = cross_validate(clf, items, vecs, scores, x, grams, gram_gram, y, units)
    thresholds, unsure_below, figures = calibrate(oof, y)
    figures.update(figures_of(oof, y, languages, thresholds, unsure_below))
    everything = np.arange(len(items))
    pairs = pair_index(y, languages, everything, int(RECIPE["seed"]))
    sx, sy = pair_rows(clf, vecs, scores, y, pairs)
    part = fit_embedding_part(np.vstack([x, sx]), np.vstack([y, sy]))
    gw, gb = fit_ngram_part(grams, gram_gram, everything, pairs, y) if mix else (None, None)
    recipe = {
        **RECIPE,
        "train_sets": [p.name for p in TRAIN_SETS] + ["taxonomy.yaml examples_multilingual"],
        "n_texts": len(items),
        "n_multi_theme_texts": int((y.sum(axis=1) >= 2).sum()),
        "n_synthetic_pairs": len(sx),
        "cross_validation": figures,
    }
    model = ThemeModel(
        ids, part.mean, part.scale, part.weights, part.bias, thresholds, unsure_below, clf.embedder.name,
        current_digest(), json.dumps(recipe), ngram_weights=gw, ngram_bias=gb, ngram_mix=mix,
        hidden_weights=part.hidden_weights, hidden_bias=part.hidden_bias,
        sentence_mix=float(RECIPE["sentence_mix"]),
    )
    if write:
        model.save(out)
    return {**recipe, "thresholds": dict(zip(ids, np.round(thresholds, 3).tolist(), strict=True)),
            "unsure_below": unsure_below, "ngram_dim": NGRAM_DIM, "seconds": round(time.perf_counter() - started, 1)}


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
