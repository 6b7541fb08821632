"""A small supervised risk model on the frozen multilingual embedding: is this answer about risk to a child or parent?

Issue 9: the earlier check compared a text's closeness to a few English safeguarding examples with its closeness
to the themes (a margin), which placed praise of a speech therapist in Slovak nearer to risk than a child found
by the police. This model is one logistic regression over the e5 embedding, trained on risk statements and
ordinary answers in all 20 languages (`python -m bench.safeguarding_train`), so it learns what risk looks like
in each language rather than measuring distance to English sentences. A text's probability is the highest over
the whole text and its sentences, so one sentence about self-harm in a long answer about waiting still counts.

It is never the only key below `alone_threshold`: `bot.themes.flags.is_safeguarding` asks it only where the
text has a risk cue word (`cue_threshold`) or words of exhaustion and despair (`despair_threshold`; both lists
in flag_lexicon.yaml). The three thresholds were chosen by cross-validation (recorded in the file's recipe
and in docs/themes.md). Two higher thresholds could make what it raises CONFIDENT (the crisis message); since
round six they are above 1, so whatever the model raises is POSSIBLE (a calm line with a button to the crisis
message, not counted): on blind set 8 its surest scores (0.93-1.0) were also those of ordinary answers (a
child who ran off in a supermarket and was found at once), and a crisis message needs the parent's own words.

The weights ship in the package (`risk_model.npz`, a few kB); nothing is downloaded. The file records the
embedder it was trained for and a digest of its training data and of the safeguarding lexicon sections, so a
stale file is refused at load (other embedder) or caught by a test (data or lexicon changed without
retraining: `python -m bench.safeguarding_train --check`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.themes.model import Adam, data_digest, read_model_file, write_model_file
from bot.themes.model import sigmoid as _sigmoid

__all__ = [
    "RISK_MODEL_PATH",
    "RiskModel",
    "RiskModelError",
    "RiskTier",
    "fit_weighted_logistic",
    "load_risk_model",
    "risk_digest",
]

RISK_MODEL_PATH = Path(__file__).with_name("risk_model.npz")
FORMAT = 2


class RiskTier(IntEnum):
    """How sure the safeguarding check is (issue 9 point 3: a wrong crisis message alarms a parent).

    CONFIDENT shows the crisis message at once and counts the flag; POSSIBLE shows one calm line with a
    "Get help now" button and counts nothing; NONE says nothing. Ordered, so `max` combines them.
    """

    NONE = 0
    POSSIBLE = 1
    CONFIDENT = 2


class RiskModelError(ValueError):
    """The shipped risk model does not fit this embedder (retrain with `python -m bench.safeguarding_train`)."""


def fit_weighted_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1e-2, steps: int = 500, lr: float = 0.05
) -> tuple[np.ndarray, float]:
    """One logistic regression by full-batch Adam, the two classes weighted equally; deterministic.

    `x` must already be standardised. Returns (weights, bias).
    """
    n, d = x.shape
    positives = float(y.sum())
    weight = np.where(y == 1, (n - positives) / max(positives, 1.0), 1.0)
    weight /= weight.mean()
    w = np.zeros(d)
    b = 0.0
    adam_w, adam_b = Adam(lr), Adam(lr)
    x64 = x.astype(np.float64)
    for t in range(1, steps + 1):
        g = (_sigmoid(x64 @ w + b) - y) * weight / n
        w -= adam_w.step(x64.T @ g + 2 * l2 * w, t)
        b -= adam_b.step(float(g.sum()), t)
    return w.astype(np.float32), float(b)


#: The same sha256 over training files and recipe as the theme model's (bot/themes/model.py).
risk_digest = data_digest


@dataclass(frozen=True)
class RiskModel:
    mean: np.ndarray  # feature standardisation
    scale: np.ndarray
    weights: np.ndarray  # (dim,)
    bias: float
    cue_threshold: float  # with a risk cue word, risk from this probability
    despair_threshold: float  # with words of exhaustion or despair ("I can't go on"), from this one
    alone_threshold: float  # with neither, only from this probability (> 1: never)
    confident_cue_threshold: float  # the crisis message (CONFIDENT) with a cue word from this probability
    confident_despair_threshold: float  # ... with words of despair from this one
    embedder: str
    digest: str
    recipe: str  # JSON: data, settings and the cross-validated figures

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Probability of risk for each row of already-embedded text."""
        z = ((vectors - self.mean) / self.scale) @ self.weights + self.bias
        return _sigmoid(z).astype(np.float32)

    def text_probability(self, unit_vectors: np.ndarray) -> float:
        """A text's probability: the highest over its units (the whole text, then its sentences)."""
        if unit_vectors.shape[0] == 0:
            return 0.0
        return float(self.probabilities(unit_vectors).max())

    def decide(self, probability: float, *, cued: bool, despair: bool = False) -> bool:
        return (
            probability >= self.alone_threshold
            or (cued and probability >= self.cue_threshold)
            or (despair and probability >= self.despair_threshold)
        )

    def tier(self, probability: float, *, cued: bool, despair: bool = False) -> RiskTier:
        """CONFIDENT far above the thresholds with a cue word or despair; POSSIBLE where `decide` alone says yes."""
        if (cued and probability >= self.confident_cue_threshold) or (
            despair and probability >= self.confident_despair_threshold
        ):
            return RiskTier.CONFIDENT
        return RiskTier.POSSIBLE if self.decide(probability, cued=cued, despair=despair) else RiskTier.NONE

    def check(self, embedder: str) -> None:
        if embedder != self.embedder:
            raise RiskModelError(f"the risk model was trained on {self.embedder}, not {embedder}: retrain it")

    def save(self, path: Path = RISK_MODEL_PATH) -> None:
        meta = {
            "format": FORMAT,
            "bias": self.bias,
            "cue_threshold": self.cue_threshold,
            "despair_threshold": self.despair_threshold,
            "alone_threshold": self.alone_threshold,
            "confident_cue_threshold": self.confident_cue_threshold,
            "confident_despair_threshold": self.confident_despair_threshold,
            "embedder": self.embedder,
            "digest": self.digest,
            "recipe": json.loads(self.recipe),
        }
        write_model_file(path, meta, {"mean": self.mean, "scale": self.scale, "weights": self.weights})

    @classmethod
    def load(cls, path: Path = RISK_MODEL_PATH) -> RiskModel:
        meta, data = read_model_file(path, FORMAT, RiskModelError, "risk model")
        return cls(
            mean=data["mean"],
            scale=data["scale"],
            weights=data["weights"],
            bias=float(meta["bias"]),
            cue_threshold=float(meta["cue_threshold"]),
            despair_threshold=float(meta["despair_threshold"]),
            alone_threshold=float(meta["alone_threshold"]),
            confident_cue_threshold=float(meta["confident_cue_threshold"]),
            confident_despair_threshold=float(meta["confident_despair_threshold"]),
            embedder=str(meta["embedder"]),
            digest=str(meta["digest"]),
            recipe=json.dumps(meta["recipe"], sort_keys=True, ensure_ascii=False),
        )


@lru_cache(maxsize=1)
def load_risk_model(path: Path = RISK_MODEL_PATH) -> RiskModel:
    """The shipped model, loaded once per process."""
    return RiskModel.load(path)
