"""A per-theme decision learnt on the frozen multilingual embedding: one logistic regression per theme.

The prototype similarities alone rank themes well (the right theme is usually in the top three) but cannot
say how many themes a text is about. A small supervised model, trained on labelled statements in all 20
languages (`python -m bench.themes_train`), turns each text into one probability per theme; a theme is
returned when its probability clears its own threshold, calibrated by cross-validation. Its inputs are the
text's embedding and the text's prototype scores (centred per text, since their level differs by
language), so it keeps what the English prototypes know and learns what they miss.

A second, optional part reads the text itself: hashed character n-grams (2-4 characters of the normalised
text, plus whole words) through their own logistic regressions, whose logits are mixed with the embedding
model's. It learns the words of each language that the small embedding model places poorly (measured by
cross-validation in docs/themes.md).

The weights ship in the package (`model.npz`, about 1 MB); nothing is downloaded. The file records the
embedder and taxonomy it was trained for and a digest of its training data, so a stale file is refused
at load (embedder or themes differ) or caught by a test (training data changed without retraining).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "MODEL_PATH",
    "ModelError",
    "ThemeModel",
    "data_digest",
    "features",
    "fit_hidden_layer",
    "fit_logistic",
    "ngram_vectors",
]

MODEL_PATH = Path(__file__).with_name("model.npz")
FORMAT = 2
NGRAM_DIM = 1 << 14  # hashed buckets: collisions are rare enough at this size, and the weights stay ~1 MB


class ModelError(ValueError):
    """The shipped model does not fit this embedder or taxonomy (retrain with `python -m bench.themes_train`)."""


def features(vectors: np.ndarray, proto_scores: np.ndarray) -> np.ndarray:
    """Model inputs: the embedding, then each theme's prototype score minus the text's mean over themes."""
    centred = proto_scores - proto_scores.mean(axis=1, keepdims=True)
    return np.hstack([vectors, centred]).astype(np.float32)


def ngram_vectors(texts: Sequence[str], dim: int = NGRAM_DIM) -> np.ndarray:
    """(n, dim) L2-normalised signed hashed counts of character 2-4-grams and words of each normalised text.

    crc32 is stable across processes and platforms (Python's `hash` is salted), so training and the bot
    hash alike. Counts are log-damped so a repeated word does not dominate.
    """
    from bot.themes.normalise import normalise  # local: normalise is light, but keep model.py import-cheap

    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        padded = " " + " ".join(normalise(text).split()) + " "
        if not padded.strip():
            continue  # nothing to read: a zero row, the embedding part alone decides
        grams = [padded[k : k + n] for n in (2, 3, 4) for k in range(len(padded) - n + 1)]
        grams += ["W" + w for w in padded.split()]
        counts: dict[int, float] = {}
        for gram in grams:
            h = zlib.crc32(gram.encode("utf-8"))
            idx = h % dim
            counts[idx] = counts.get(idx, 0.0) + (1.0 if h & 0x80000000 else -1.0)
        for idx, c in counts.items():
            out[row, idx] = np.sign(c) * np.log1p(abs(c))
        norm = float(np.linalg.norm(out[row]))
        if norm:
            out[row] /= norm
    return out


def mix_sentences(whole: np.ndarray, unit_probs: np.ndarray, owner: np.ndarray, mix: float) -> np.ndarray:
    """Each text's probabilities moved `mix` of the way up to its best sentence's, where a sentence is higher.

    A long answer often names one theme a sentence, and the whole text's embedding blurs the second one; the
    sentences alone are noisier, so they only lift a theme part of the way (docs/themes.md, round 6).
    `unit_probs` has a row per unit (`owner`: its text), each text's whole-text row first.
    """
    if not mix:
        return whole
    best = np.full_like(whole, -np.inf)
    sentence = np.ones(len(owner), dtype=bool)
    sentence[np.searchsorted(owner, np.arange(len(whole)))] = False  # each text's first unit is the text itself
    np.maximum.at(best, owner[sentence], unit_probs[sentence])
    lifted = np.maximum(whole, best)
    return ((1.0 - mix) * whole + mix * lifted).astype(np.float32)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


class Adam:
    """Full-batch Adam moments of one parameter (an array or a number); both models are trained with it."""

    beta1, beta2, eps = 0.9, 0.999, 1e-8

    def __init__(self, lr: float) -> None:
        self.lr = lr
        self.m: Any = 0.0
        self.v: Any = 0.0

    def step(self, grad: Any, t: int) -> Any:
        """The amount to subtract from the parameter at step `t` (from 1)."""
        self.m = self.beta1 * self.m + (1 - self.beta1) * grad
        self.v = self.beta2 * self.v + (1 - self.beta2) * grad * grad
        corr1, corr2 = 1 - self.beta1**t, 1 - self.beta2**t
        return self.lr * (self.m / corr1) / (np.sqrt(self.v / corr2) + self.eps)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1e-3, steps: int = 600, lr: float = 0.05, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest logistic regressions (all themes at once) by full-batch Adam; deterministic.

    `x` must already be standardised. Returns (weights, bias).
    """
    rng = np.random.default_rng(seed)
    n, d = x.shape
    k = y.shape[1]
    w = rng.normal(0.0, 0.01, size=(d, k))
    b = np.zeros(k)
    adam_w, adam_b = Adam(lr), Adam(lr)
    x64 = x.astype(np.float64)
    for t in range(1, steps + 1):
        p = sigmoid(x64 @ w + b)
        g = (p - y) / n
        w -= adam_w.step(x64.T @ g + 2 * l2 * w, t)
        b -= adam_b.step(g.sum(axis=0), t)
    return w.astype(np.float32), b.astype(np.float32)


def fit_hidden_layer(
    x: np.ndarray,
    y: np.ndarray,
    *,
    hidden: int = 128,
    l2: float = 3e-3,
    steps: int = 400,
    lr: float = 0.01,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One tanh hidden layer shared by all themes, then one sigmoid output per theme (full-batch Adam).

    The themes share what the hidden units learn (e.g. "a wait" or "the school"), which a separate logistic
    regression per theme cannot. `x` must already be standardised. Returns (w1, b1, w2, b2); deterministic.
    """
    rng = np.random.default_rng(seed)
    n, d = x.shape
    k = y.shape[1]
    w1 = rng.normal(0.0, 1.0 / np.sqrt(d), size=(d, hidden))
    b1 = np.zeros(hidden)
    w2 = rng.normal(0.0, 1.0 / np.sqrt(hidden), size=(hidden, k))
    b2 = np.zeros(k)
    adams = [Adam(lr) for _ in range(4)]
    x64 = x.astype(np.float64)
    for t in range(1, steps + 1):
        a = np.tanh(x64 @ w1 + b1)
        g = (sigmoid(a @ w2 + b2) - y) / n
        g_a = (g @ w2.T) * (1.0 - a * a)
        w2 -= adams[2].step(a.T @ g + 2 * l2 * w2, t)
        b2 -= adams[3].step(g.sum(axis=0), t)
        w1 -= adams[0].step(x64.T @ g_a + 2 * l2 * w1, t)
        b1 -= adams[1].step(g_a.sum(axis=0), t)
    return w1.astype(np.float32), b1.astype(np.float32), w2.astype(np.float32), b2.astype(np.float32)


def data_digest(paths: Iterable[Path], extra: str = "") -> str:
    """sha256 over the training files' bytes (and the recipe): a changed file means a stale model."""
    h = hashlib.sha256(extra.encode("utf-8"))
    for path in paths:
        h.update(Path(path).name.encode("utf-8") + b"\0")
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def write_model_file(path: Path, meta: dict[str, object], arrays: dict[str, np.ndarray]) -> None:
    """One file layout for every shipped model: JSON meta beside float32 arrays, no pickle."""
    encoded = json.dumps(meta, sort_keys=True, ensure_ascii=False).encode("utf-8")
    with open(path, "wb") as fh:
        np.savez_compressed(fh, meta=np.frombuffer(encoded, dtype=np.uint8),
                            **{name: array.astype(np.float32) for name, array in arrays.items()})


def read_model_file(path: Path, fmt: int, error: type[ValueError], what: str) -> tuple[dict, dict[str, np.ndarray]]:
    """Meta and arrays of a file `write_model_file` wrote; a file of another format asks to be retrained."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
        if meta.get("format") != fmt:
            raise error(f"{what} format {meta.get('format')} is not {fmt}: retrain it")
        return meta, {name: data[name] for name in data.files if name != "meta"}


@dataclass(frozen=True)
class ThemeModel:
    theme_ids: tuple[str, ...]
    mean: np.ndarray  # feature standardisation
    scale: np.ndarray
    weights: np.ndarray  # (n_features, n_themes)
    bias: np.ndarray  # (n_themes,)
    thresholds: np.ndarray  # (n_themes,): a theme is returned when its probability is at least this
    unsure_below: float  # best probability below this: no theme, the parent is asked
    embedder: str
    digest: str  # data_digest of the training data and recipe
    recipe: str  # JSON: what was trained on, how, and the cross-validated figures
    # Optional n-gram part: (NGRAM_DIM, n_themes) weights and bias; its logits weigh `ngram_mix` (0: unused).
    ngram_weights: np.ndarray | None = None
    ngram_bias: np.ndarray | None = None
    ngram_mix: float = 0.0
    # Optional hidden layer (since round 5): standardised features -> tanh(x @ hidden_weights + hidden_bias),
    # and `weights` then maps the hidden units to the themes. None: `weights` reads the features directly.
    hidden_weights: np.ndarray | None = None
    hidden_bias: np.ndarray | None = None
    # Since round 6: how far each sentence of a longer text lifts its themes (`mix_sentences`; 0: whole text only).
    sentence_mix: float = 0.0

    def logits(self, feats: np.ndarray, ngrams: np.ndarray | None = None) -> np.ndarray:
        """(n, n_themes) logits: the embedding model's, mixed with the n-gram model's when there is one."""
        inputs = (feats - self.mean) / self.scale
        if self.hidden_weights is not None and self.hidden_bias is not None:
            inputs = np.tanh(inputs @ self.hidden_weights + self.hidden_bias)
        z = inputs @ self.weights + self.bias
        if self.ngram_mix and self.ngram_weights is not None and self.ngram_bias is not None:
            if ngrams is None:
                raise ValueError("this model also reads n-grams: pass ngram_vectors(texts)")
            z = (1.0 - self.ngram_mix) * z + self.ngram_mix * (ngrams @ self.ngram_weights + self.ngram_bias)
        return z

    def probabilities(self, feats: np.ndarray, ngrams: np.ndarray | None = None) -> np.ndarray:
        """(n, n_themes) probabilities for rows built with `features` (and `ngram_vectors` of the same texts)."""
        return sigmoid(self.logits(feats, ngrams)).astype(np.float32)

    def decide(self, probs: np.ndarray, max_themes: int = 3) -> tuple[tuple[int, ...], bool]:
        """Theme indices (best first) whose probability clears their threshold; (), True when unsure.

        The best theme is always returned unless the text is unsure, so a confident text is never left
        without a theme just because no probability cleared its bar.
        """
        order = np.argsort(-probs, kind="stable")
        best = int(order[0])
        if float(probs[best]) < self.unsure_below:
            return (), True
        chosen = [int(i) for i in order if probs[i] >= self.thresholds[i]]
        if best not in chosen:
            chosen.insert(0, best)
        return tuple(chosen[:max_themes]), False

    def check(self, theme_ids: Sequence[str], embedder: str) -> None:
        if tuple(theme_ids) != self.theme_ids:
            raise ModelError("the model was trained for other themes: run python -m bench.themes_train")
        if embedder != self.embedder:
            raise ModelError(f"the model was trained on {self.embedder}, not {embedder}: retrain it")

    def save(self, path: Path = MODEL_PATH) -> None:
        meta = {
            "format": FORMAT,
            "theme_ids": list(self.theme_ids),
            "unsure_below": self.unsure_below,
            "embedder": self.embedder,
            "digest": self.digest,
            "recipe": json.loads(self.recipe),
            "ngram_mix": self.ngram_mix,
            "sentence_mix": self.sentence_mix,
        }
        arrays = {"mean": self.mean, "scale": self.scale, "weights": self.weights, "bias": self.bias,
                  "thresholds": self.thresholds}
        if self.ngram_weights is not None and self.ngram_bias is not None:
            arrays |= {"ngram_weights": self.ngram_weights, "ngram_bias": self.ngram_bias}
        if self.hidden_weights is not None and self.hidden_bias is not None:
            arrays |= {"hidden_weights": self.hidden_weights, "hidden_bias": self.hidden_bias}
        write_model_file(path, meta, arrays)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ThemeModel:
        meta, data = read_model_file(path, FORMAT, ModelError, "model")
        return cls(
            theme_ids=tuple(meta["theme_ids"]),
            mean=data["mean"],
            scale=data["scale"],
            weights=data["weights"],
            bias=data["bias"],
            thresholds=data["thresholds"],
            unsure_below=float(meta["unsure_below"]),
            embedder=str(meta["embedder"]),
            digest=str(meta["digest"]),
            recipe=json.dumps(meta["recipe"], sort_keys=True),
            ngram_weights=data.get("ngram_weights"),
            ngram_bias=data.get("ngram_bias"),
            ngram_mix=float(meta.get("ngram_mix", 0.0)),
            hidden_weights=data.get("hidden_weights"),
            hidden_bias=data.get("hidden_bias"),
            sentence_mix=float(meta.get("sentence_mix", 0.0)),
        )
