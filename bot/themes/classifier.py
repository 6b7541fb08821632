"""Multi-label theme classification: prototype similarity for ranking, a learnt per-theme decision.

Each theme's prototypes are its name with its definition plus a handful of English example statements
from taxonomy.yaml (English only: a prototype in the parent's own language would pull every text in that
language towards its theme; measured in docs/themes.md). A text's prototype score for a theme aggregates
its cosine similarities to that theme's prototypes. With `decision="model"` (the default) the text's
embedding and these scores go through a small per-theme logistic model (bot/themes/model.py, trained in
all 20 languages by `python -m bench.themes_train`): every theme whose probability clears its calibrated
threshold is returned, so a text about two themes gets two, and `scores` are the probabilities. With
`decision="prototypes"` (the earlier classifier) every theme within `delta` of the best prototype score is
returned and a text whose best score does not stand out from its average is "unsure". Either way a text
too short to place is unsure (no themes), so the parent is asked rather than told.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from bot.themes.embedding import Embedder, default_embedder
from bot.themes.flags import detect_flags, has_risk_cue, safeguarding_from_vectors
from bot.themes.model import MODEL_PATH, ThemeModel, features, mix_sentences, ngram_vectors
from bot.themes.normalise import is_cjk, normalise, split_words
from bot.themes.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "Classification",
    "ClassifierConfig",
    "ThemeClassifier",
    "classify",
    "classify_many",
    "default_classifier",
    "split_sentences",
]

AGGREGATIONS = ("max", "mean", "top2", "top3", "centroid", "softmax")
DECISIONS = ("model", "prototypes")


@dataclass(frozen=True)
class ClassifierConfig:
    """Global knobs, tuned on the whole dev set with `python -m bench.themes_eval --sweep` (docs/themes.md)."""

    # "model": the learnt per-theme decision (model.npz); "prototypes": themes within `delta` of the best.
    decision: str = "model"
    aggregation: str = "softmax"  # how a theme's prototype similarities become one score
    temperature: float = 0.04  # for "softmax": t * log(mean(exp(sim / t))), between mean and max
    # Themes within this of the best score are returned too. 0 since the prototypes were widened: 0.0025
    # added more wrong second themes than right ones on dev and holdout (docs/themes.md).
    delta: float = 0.0
    margin: float = 0.015  # best minus the mean over all themes below this -> unsure
    threshold: float = 0.0  # best raw similarity below this -> unsure (0: off; raw levels vary by language)
    max_themes: int = 3
    min_words: int = 3  # shorter answers ("ok", "No.", "Thank you") are unsure: too little to place
    split_sentences: bool = True  # also score each sentence of a longer text; a theme keeps its best
    sentence_labels: bool = False  # with split_sentences: each confident sentence adds its best theme
    use_definition: bool = True  # the name + definition is one more prototype
    # Also use `examples_multilingual` as prototypes. Off: measured worse (docs/themes.md), because a text
    # is pulled towards whichever theme happens to have an example in its own language.
    multilingual_prototypes: bool = False
    prototype_prefix_query: bool = True  # embed prototypes with the e5 "query: " prefix (symmetric task)
    # Flags also raised from the embedding: (flag id, margin) - the flag is added when the text is closer
    # to the flag's prototypes (name, definition, examples) than to all theme prototypes by `margin`.
    # The phrase lexicons stay the precise first line; this catches risk or praise described in other
    # words. An empty tuple leaves flags to the lexicons alone.
    flag_margins: tuple[tuple[str, float], ...] = (("positive", 0.015), ("safeguarding", 0.02))

    def __post_init__(self) -> None:
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}")
        if self.decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}")


@dataclass(frozen=True)
class Classification:
    themes: tuple[str, ...]  # theme ids, best first
    flags: tuple[str, ...]  # flag ids
    scores: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    unsure: bool = False


_SENTENCE_END = re.compile(r"(?<=[.!?。！？।۔؟])\s*|\n+")


def split_sentences(text: str) -> list[str]:
    """Sentences long enough to carry a theme on their own; long answers often raise several."""
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    return [p for p in parts if len(p.split()) >= 4 or (len(p) >= 8 and " " not in p)]


def _cache_dir() -> Path | None:
    configured = os.environ.get("PARENTVOICE_CACHE_DIR")
    if configured == "":
        return None
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "parentvoice"


class ThemeClassifier:
    """Prototype embeddings are computed once per (taxonomy, embedder, recipe) and kept in memory.

    With a writable cache directory they are also saved as .npy keyed by a hash of the taxonomy text,
    the embedder and the recipe, so a restart skips 2-3 s of embedding. The file is never committed.
    """

    def __init__(
        self,
        taxonomy: Taxonomy | None = None,
        embedder: Embedder | None = None,
        config: ClassifierConfig | None = None,
        *,
        disk_cache: bool = True,
        model: ThemeModel | None = None,
    ) -> None:
        self.taxonomy = taxonomy or load_taxonomy()
        self.embedder: Embedder = embedder or default_embedder()
        self.config = config or ClassifierConfig()
        self._model = model
        self._disk_cache = disk_cache
        self._lock = threading.Lock()
        self._protos: np.ndarray | None = None
        self._owner: np.ndarray | None = None  # theme index of each prototype row

    # -- prototypes -------------------------------------------------------------------------------
    def _prototype_texts(self) -> tuple[list[str], list[int]]:
        """Theme prototypes (owner = theme index), then embedding flags' (owner = -1 - index in flag_margins)."""
        texts: list[str] = []
        owner: list[int] = []
        for i, theme in enumerate(self.taxonomy.themes):
            items = list(theme.examples)
            if self.config.multilingual_prototypes:
                items += [e for group in theme.multilingual_examples.values() for e in group]
            if self.config.use_definition or not items:
                items.insert(0, f"{theme.name}: {theme.definition}")
            texts.extend(items)
            owner.extend([i] * len(items))
        for k, (flag_id, _) in enumerate(self.config.flag_margins):
            flag = self.taxonomy.flag(flag_id)
            items = [f"{flag.name}: {flag.definition}", *flag.examples]
            texts.extend(items)
            owner.extend([-1 - k] * len(items))
        return texts, owner

    def _cache_path(self, texts: Sequence[str]) -> Path | None:
        base = _cache_dir() if self._disk_cache else None
        if base is None:
            return None
        key = hashlib.sha256()
        key.update(getattr(self.embedder, "name", type(self.embedder).__name__).encode())
        key.update(b"q" if self.config.prototype_prefix_query else b"p")
        for t in texts:
            key.update(t.encode("utf-8") + b"\0")
        return base / f"theme-prototypes-{key.hexdigest()[:24]}.npy"

    def prototypes(self) -> tuple[np.ndarray, np.ndarray]:
        """(prototype embeddings, owning theme index per row); built on first use."""
        if self._protos is None:
            with self._lock:
                if self._protos is None:
                    texts, owner = self._prototype_texts()
                    path = self._cache_path(texts)
                    protos = None
                    if path is not None and path.is_file():
                        try:
                            loaded = np.load(path)
                            if loaded.shape[0] == len(texts):
                                protos = loaded
                        except (OSError, ValueError):
                            protos = None
                    if protos is None:
                        protos = self.embedder.embed(texts, query=self.config.prototype_prefix_query)
                        if path is not None:
                            try:
                                path.parent.mkdir(parents=True, exist_ok=True)
                                tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
                                np.save(tmp, protos)
                                os.replace(tmp, path)
                            except OSError:
                                pass  # a read-only home is fine: the cache is an optimisation
                    self._owner = np.asarray(owner, dtype=np.int64)
                    self._protos = protos
        assert self._owner is not None
        return self._protos, self._owner

    def model(self) -> ThemeModel:
        """The per-theme model (the shipped model.npz unless one was given); checked against themes and embedder."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = ThemeModel.load(MODEL_PATH)
        name = getattr(self.embedder, "name", type(self.embedder).__name__)
        self._model.check(self.taxonomy.theme_ids, name)
        return self._model

    # -- scoring ----------------------------------------------------------------------------------
    def _softmax(self, cols: np.ndarray) -> np.ndarray:
        t = self.config.temperature
        peak = cols.max(axis=1, keepdims=True)
        return (peak + t * np.log(np.exp((cols - peak) / t).mean(axis=1, keepdims=True)))[:, 0]

    def flag_scores(self, vectors: np.ndarray) -> np.ndarray:
        """(n_texts, n_embedding_flags): closeness to each flag's prototypes minus closeness to the themes'."""
        protos, owner = self.prototypes()
        out = np.zeros((vectors.shape[0], len(self.config.flag_margins)), dtype=np.float32)
        if not self.config.flag_margins:
            return out
        sims = vectors @ protos.T
        themes = self._softmax(sims[:, owner >= 0])
        for k in range(len(self.config.flag_margins)):
            out[:, k] = self._softmax(sims[:, owner == -1 - k]) - themes
        return out

    def theme_scores(self, vectors: np.ndarray) -> np.ndarray:
        """(n_texts, n_themes) scores for already-embedded texts."""
        protos, owner = self.prototypes()
        sims = vectors @ protos.T
        n_themes = len(self.taxonomy.themes)
        out = np.empty((vectors.shape[0], n_themes), dtype=np.float32)
        agg = self.config.aggregation
        for j in range(n_themes):
            cols = sims[:, owner == j]
            if agg == "max":
                out[:, j] = cols.max(axis=1)
            elif agg == "mean":
                out[:, j] = cols.mean(axis=1)
            elif agg in ("top2", "top3"):
                k = min(int(agg[-1]), cols.shape[1])
                out[:, j] = np.sort(cols, axis=1)[:, -k:].mean(axis=1)
            elif agg == "softmax":
                out[:, j] = self._softmax(cols)
            else:  # centroid
                centroid = protos[owner == j].mean(axis=0)
                centroid /= np.linalg.norm(centroid) or 1.0
                out[:, j] = vectors @ centroid
        return out

    def _decide(self, row: np.ndarray) -> tuple[tuple[str, ...], bool]:
        cfg = self.config
        ids = self.taxonomy.theme_ids
        best = float(row.max())
        if best < cfg.threshold or best - float(row.mean()) < cfg.margin:
            return (), True
        order = np.argsort(-row, kind="stable")
        chosen = [ids[i] for i in order if row[i] >= best - cfg.delta][: cfg.max_themes]
        return tuple(chosen), False

    def _units(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        units: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            units.append(text)
            owner.append(i)
            if self.config.split_sentences:
                sentences = split_sentences(text)
                if len(sentences) > 1:
                    units.extend(sentences)
                    owner.extend([i] * len(sentences))
        return units, np.asarray(owner, dtype=np.int64)

    def _unit_scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        scores, _, owner = self._embed_units(texts)
        return scores, owner

    def _embed_units(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        scores, flag_scores, owner, _, _ = self._embed_units_with_vectors(texts)
        return scores, flag_scores, owner

    def _embed_units_with_vectors(
        self, texts: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
        units, owner = self._units(texts)
        vectors = self.embedder.embed(units, query=True)
        return self.theme_scores(vectors), self.flag_scores(vectors), owner, vectors, units

    def model_probabilities(
        self, whole_vectors: np.ndarray, combined_scores: np.ndarray, texts: Sequence[str] | None = None
    ) -> np.ndarray:
        """(n_texts, n_themes) probabilities from each text's own embedding, its combined prototype scores and,
        when the model has an n-gram part, the texts' own characters."""
        model = self.model()
        grams = ngram_vectors(texts) if texts is not None and model.ngram_mix else None
        return model.probabilities(features(whole_vectors, combined_scores), grams)

    def text_probabilities(
        self, texts: Sequence[str], units: Sequence[str], vectors: np.ndarray, unit_scores: np.ndarray,
        owner: np.ndarray,
    ) -> np.ndarray:
        """The model's probabilities for whole texts, lifted by their sentences' (`mix_sentences`) when it says so."""
        first = np.searchsorted(owner, np.arange(len(texts)))  # row of each whole text (units are in order)
        probs = self.model_probabilities(vectors[first], self._combine(unit_scores, owner, len(texts)), texts)
        model = self.model()
        if not model.sentence_mix or len(owner) == len(texts):
            return probs
        unit_probs = self.model_probabilities(vectors, unit_scores, units)
        return mix_sentences(probs, unit_probs, owner, model.sentence_mix)

    def _decide_model(self, probs: np.ndarray) -> tuple[tuple[str, ...], bool]:
        ids = self.taxonomy.theme_ids
        chosen, unsure = self.model().decide(probs, self.config.max_themes)
        return tuple(ids[i] for i in chosen), unsure

    def flag_margin_scores(self, text: str) -> dict[str, float]:
        """Each embedding flag's score for one text (best over its sentences), for callers with own margins."""
        _, flag_scores, _ = self._embed_units([text])
        best = flag_scores.max(axis=0)
        return {fid: float(best[k]) for k, (fid, _) in enumerate(self.config.flag_margins)}

    def _raised(self, unit_flag_scores: np.ndarray, text: str = "") -> tuple[str, ...]:
        best = unit_flag_scores.max(axis=0) if unit_flag_scores.size else np.zeros(0)
        raised = {fid for k, (fid, margin) in enumerate(self.config.flag_margins) if best[k] > margin}
        if "safeguarding" in raised and not has_risk_cue(text):
            raised.discard("safeguarding")  # the embedding is never the only key for risk (flags.has_risk_cue)
        return tuple(f for f in self.taxonomy.flag_ids if f in raised)

    @staticmethod
    def _combine(unit_scores: np.ndarray, owner: np.ndarray, n_texts: int) -> np.ndarray:
        out = np.full((n_texts, unit_scores.shape[1]), -np.inf, dtype=np.float32)
        np.maximum.at(out, owner, unit_scores)
        return out

    def decide_units(self, unit_rows: np.ndarray) -> tuple[tuple[str, ...], bool, np.ndarray]:
        """Themes for one text from its units' score rows (row 0 is the whole text)."""
        combined = unit_rows.max(axis=0)
        themes, unsure = self._decide(combined)
        if unsure or not self.config.sentence_labels or unit_rows.shape[0] < 2:
            return themes, unsure, combined
        # A long answer often raises one theme per sentence: add each confident sentence's best theme.
        chosen = set(themes)
        for row in unit_rows[1:]:
            extra, row_unsure = self._decide(row)
            if not row_unsure:
                chosen.update(extra[:1])
        ids = self.taxonomy.theme_ids
        ranked = [ids[i] for i in np.argsort(-combined, kind="stable") if ids[i] in chosen]
        return tuple(ranked[: self.config.max_themes]), False, combined

    def too_short(self, text: str) -> bool:
        """Fewer than `min_words` words (Han text: about two characters a word)."""
        words = len(split_words(normalise(text)))
        if is_cjk(text):
            words = max(words, len("".join(split_words(normalise(text)))) // 2)
        return words < self.config.min_words

    def classify_many(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[Classification]:
        if languages is not None and len(languages) != len(texts):
            raise ValueError("languages must be as long as texts")
        if not texts:
            return []
        unit_scores, flag_scores, owner, vectors, units = self._embed_units_with_vectors(texts)
        ids = self.taxonomy.theme_ids
        probs = None
        if self.config.decision == "model":
            probs = self.text_probabilities(texts, units, vectors, unit_scores, owner)
        results = []
        for i, text in enumerate(texts):
            language = languages[i] if languages is not None else None
            if probs is None:
                themes, unsure, combined = self.decide_units(unit_scores[owner == i])
            else:
                combined = probs[i]
                themes, unsure = self._decide_model(combined)
            flags = detect_flags(text, language)
            if self.too_short(text):
                themes, unsure = (), True
            elif self.config.flag_margins:
                raised = {*flags, *self._raised(flag_scores[owner == i], text)}
                # Safeguarding is the help trigger's decision (phrases, then the risk model; issue 9).
                raised.discard("safeguarding")
                if safeguarding_from_vectors(text, vectors[owner == i], getattr(self.embedder, "name", "")):
                    raised.add("safeguarding")
                flags = tuple(f for f in self.taxonomy.flag_ids if f in raised)
            results.append(
                Classification(
                    themes=themes,
                    flags=flags,
                    scores=MappingProxyType({tid: round(float(s), 4) for tid, s in zip(ids, combined, strict=True)}),
                    unsure=unsure,
                )
            )
        return results

    def classify(self, text: str, language: str | None = None) -> Classification:
        return self.classify_many([text], [language])[0]


_default: ThemeClassifier | None = None
_default_lock = threading.Lock()


def default_classifier() -> ThemeClassifier:
    """The process-wide classifier with the package taxonomy and the tuned configuration."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = ThemeClassifier()
    return _default


def classify(text: str, language: str | None = None) -> Classification:
    """Themes (best first), flags and per-theme scores for one parent statement."""
    return default_classifier().classify(text, language)


def classify_many(texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[Classification]:
    """Like `classify` for many texts, embedding them in batches."""
    return default_classifier().classify_many(texts, languages)
