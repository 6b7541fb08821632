"""Flags from precise per-language phrase lexicons (flag_lexicon.yaml).

(The classifier adds embedding-raised `positive` on top. For `safeguarding`, `is_safeguarding` and the
classifier both add the small risk model (bot/themes/risk_model.py), which needs a risk cue word or words of
despair (`has_risk_cue`) below its higher threshold.)

Flags must be precise and, for safeguarding, found at once and in every language, so they come from
phrases rather than from the embedding. Every language's lexicon is tried on every text: parents mix
languages, and detection is unreliable on short or romanised text, so a missed safeguarding phrase because
the text was placed in the wrong language would be the worse error.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import yaml

from bot.themes.normalise import is_cjk, normalise, split_words, tokens_text
from bot.themes.risk_model import RiskTier
from bot.themes.taxonomy import load_taxonomy

__all__ = [
    "CUES",
    "DEFAULT_LEXICON_PATH",
    "DESPAIR",
    "FlagLexicon",
    "LexiconError",
    "compile_pattern",
    "detect_flags",
    "has_risk_cue",
    "is_safeguarding",
    "load_lexicon",
    "parse_lexicon",
    "risk_units",
    "safeguarding_from_vectors",
    "safeguarding_tier",
    "tier_from_vectors",
]

DEFAULT_LEXICON_PATH = Path(__file__).with_name("flag_lexicon.yaml")
SAFEGUARDING = "safeguarding"
_GAP = re.compile(r"^\.\.(\d*)$")


class LexiconError(ValueError):
    """A lexicon pattern cannot be compiled; raised at load, never while a parent is waiting."""


def compile_pattern(pattern: str) -> str:
    """Turn one lexicon pattern into a regex over `tokens_text` output (see the YAML header for syntax)."""
    raw = pattern.strip()
    if not raw:
        raise LexiconError("empty pattern")
    if is_cjk(raw):
        pieces = []
        for part in re.split(r"(\.\.\d*)", raw):
            gap = _GAP.match(part)
            if gap:
                pieces.append(f"[^ ]{{0,{int(gap.group(1) or 8)}}}")
            elif part.strip():
                pieces.append(re.escape(normalise(part).replace(" ", "")))
        return "".join(pieces)
    out = [" "]
    pending_gap = 0
    words = 0
    for item in raw.split():
        gap = _GAP.match(item)
        if gap:
            if words == 0:
                raise LexiconError(f"{pattern!r}: a pattern cannot start with a gap")
            pending_gap = int(gap.group(1) or 3)
            continue
        any_start, any_end = item.startswith("*"), item.endswith("*")
        core = normalise(item.strip("*"))
        parts = split_words(core)
        if not parts:
            raise LexiconError(f"{pattern!r}: empty word {item!r}")
        if pending_gap:
            out.append(rf"(?:\S+ ){{0,{pending_gap}}}")
            pending_gap = 0
        for k, part in enumerate(parts):
            prefix = r"\S*" if any_start and k == 0 else ""
            suffix = r"\S*" if any_end and k == len(parts) - 1 else ""
            out.append(f"{prefix}{re.escape(part)}{suffix} ")
            words += 1
    if pending_gap:
        raise LexiconError(f"{pattern!r}: a pattern cannot end with a gap")
    # The last word's trailing space is only looked at, so the next match may start on it.
    return "".join(out)[:-1] + "(?= )"


#: How many (section, text) results a lexicon keeps (`FlagLexicon.spans`): a few answers' worth.
RECENT_SPANS = 64


@dataclass(frozen=True)
class FlagLexicon:
    """Compiled lexicon: per flag one regex of all languages' patterns, plus the raw per-language lists."""

    patterns: Mapping[str, Mapping[str, tuple[str, ...]]]  # flag -> language -> patterns
    unless_patterns: Mapping[str, Mapping[str, tuple[str, ...]]]
    _match: Mapping[str, re.Pattern[str]]
    _unless: Mapping[str, re.Pattern[str] | None]

    def languages(self, flag_id: str) -> tuple[str, ...]:
        return tuple(self.patterns.get(flag_id, {}))

    _recent: OrderedDict[tuple[str, bytes], tuple[tuple[int, int], ...]] = field(
        default_factory=OrderedDict, compare=False, repr=False)
    _recent_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def spans(self, flag_id: str, text: str) -> list[tuple[int, int]]:
        """Matched spans in `tokens_text(text)` after `unless` cancellations.

        One answer is matched against the same section three or four times (the crisis check, the classifier's
        flags, the counted flag), and the safeguarding section is thousands of phrases (~7 ms a text since
        issue 9 round four), so the last few results are kept, keyed by a digest of the text, never the text.
        """
        key = (flag_id, hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest())
        with self._recent_lock:
            cached = self._recent.get(key)
            if cached is not None:
                self._recent.move_to_end(key)
                return list(cached)
        found = self._spans(flag_id, text)
        with self._recent_lock:
            self._recent[key] = tuple(found)
            while len(self._recent) > RECENT_SPANS:
                self._recent.popitem(last=False)
        return found

    def _spans(self, flag_id: str, text: str) -> list[tuple[int, int]]:
        prepared = tokens_text(text)
        regex = self._match.get(flag_id)
        if regex is None:
            return []
        hits = [m.span(1) for m in regex.finditer(prepared)]
        unless = self._unless.get(flag_id)
        if hits and unless is not None:
            vetoes = [m.span(1) for m in unless.finditer(prepared)]
            hits = [h for h in hits if not any(v[0] < h[1] and h[0] < v[1] for v in vetoes)]
        return hits

    def matches(self, flag_id: str, text: str) -> bool:
        return bool(self.spans(flag_id, text))


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    # A zero-width lookahead with a group finds overlapping matches (needed for the `unless` check);
    # the span of group 1 is the matched phrase.
    return re.compile("(?=(" + "|".join(f"(?:{p})" for p in patterns) + "))")


def _section(data: object, where: str) -> dict[str, tuple[str, ...]]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: expected language -> list of patterns")
    out: dict[str, tuple[str, ...]] = {}
    for lang, items in data.items():
        if not isinstance(items, list) or not all(isinstance(p, str) for p in items):
            raise LexiconError(f"{where}.{lang}: expected a list of strings")
        out[str(lang)] = tuple(items)
    return out


def parse_lexicon(source: str) -> FlagLexicon:
    data = yaml.safe_load(source)
    if not isinstance(data, dict):
        raise LexiconError("lexicon: expected a mapping of flag ids")
    patterns: dict[str, Mapping[str, tuple[str, ...]]] = {}
    unless_patterns: dict[str, Mapping[str, tuple[str, ...]]] = {}
    compiled: dict[str, re.Pattern[str]] = {}
    vetoes: dict[str, re.Pattern[str] | None] = {}
    for flag_id, body in data.items():
        if not isinstance(body, dict) or "match" not in body:
            raise LexiconError(f"{flag_id}: needs a 'match' section")
        match = _section(body["match"], f"{flag_id}.match")
        unless = _section(body.get("unless"), f"{flag_id}.unless")
        try:
            match_rx = [compile_pattern(p) for items in match.values() for p in items]
            unless_rx = [compile_pattern(p) for items in unless.values() for p in items]
            regex = _alternation(match_rx)
            veto = _alternation(unless_rx)
        except (LexiconError, re.error) as exc:
            raise LexiconError(f"{flag_id}: {exc}") from exc
        if regex is None:
            raise LexiconError(f"{flag_id}: no patterns")
        patterns[flag_id] = MappingProxyType(match)
        unless_patterns[flag_id] = MappingProxyType(unless)
        compiled[flag_id] = regex
        vetoes[flag_id] = veto
    return FlagLexicon(
        patterns=MappingProxyType(patterns),
        unless_patterns=MappingProxyType(unless_patterns),
        _match=MappingProxyType(compiled),
        _unless=MappingProxyType(vetoes),
    )


@lru_cache(maxsize=4)
def load_lexicon(path: Path | str = DEFAULT_LEXICON_PATH) -> FlagLexicon:
    """Load and compile a lexicon once per process."""
    return parse_lexicon(Path(path).read_text(encoding="utf-8"))


def detect_flags(text: str, language: str | None = None) -> tuple[str, ...]:
    """Flag ids found in `text`, in taxonomy order.

    `language` is accepted for symmetry with `classify` but does not narrow the search: every language's
    phrases are tried (see the module docstring).
    """
    del language
    lexicon = load_lexicon()
    return tuple(fid for fid in load_taxonomy().flag_ids if lexicon.matches(fid, text))


#: Lexicon section of risk cue words: without a `safeguarding` phrase, the risk model may raise the alarm
#: at its lower (cue) threshold only where the text has one of these or a word of despair.
CUES = "safeguarding_cues"
#: Lexicon section of exhaustion and despair ("I can't take any more"): also words of ordinary answers about
#: paperwork, so they too need the model to agree (issue 9).
DESPAIR = "safeguarding_despair"


def has_risk_cue(text: str) -> bool:
    """True if the text has a risk cue word (death, blood, knives, food and weight, police, ...) or words of despair.

    The embedding on its own cannot tell risk from ordinary answers across languages: praise of a speech
    therapist in Slovak or Urdu scored closer to risk than a child found by the police (docs/themes.md).
    Requiring a cue keeps the model as a second key for risk told in other words, except far above its
    cue threshold (`RiskModel.alone_threshold`).
    """
    lexicon = load_lexicon()
    return lexicon.matches(CUES, text) or lexicon.matches(DESPAIR, text)


def risk_units(text: str) -> list[str]:
    """What the risk model scores: the whole text, then each sentence of a longer one (as the classifier does)."""
    from bot.themes.classifier import split_sentences

    sentences = split_sentences(text)
    return [text, *sentences] if len(sentences) > 1 else [text]


def tier_from_vectors(text: str, unit_vectors: np.ndarray, embedder: str) -> RiskTier:
    """How sure the safeguarding check is, for a text whose `risk_units` are already embedded (by `embedder`).

    A `safeguarding` phrase is CONFIDENT alone; otherwise the risk model (bot/themes/risk_model.py) decides:
    POSSIBLE at its thresholds (cue word, despair, or neither at its highest), else NONE. (It could make
    CONFIDENT far above them; the shipped model's crisis thresholds are above 1 since issue 9 round six.)
    Without a usable model (missing file, another embedder) the phrases' answer stands.
    """
    if load_lexicon().matches(SAFEGUARDING, text):
        return RiskTier.CONFIDENT
    from bot.themes.risk_model import RiskModelError, load_risk_model

    try:
        model = load_risk_model()
        model.check(embedder)
        lexicon = load_lexicon()
        return model.tier(
            model.text_probability(unit_vectors),
            cued=lexicon.matches(CUES, text),
            despair=lexicon.matches(DESPAIR, text),
        )
    except (OSError, RiskModelError, ValueError, KeyError):
        return RiskTier.NONE


def safeguarding_from_vectors(text: str, unit_vectors: np.ndarray, embedder: str) -> bool:
    """The counted flag: only a CONFIDENT decision (`tier_from_vectors`), the one that shows the crisis message."""
    return tier_from_vectors(text, unit_vectors, embedder) is RiskTier.CONFIDENT


def safeguarding_tier(text: str, language: str | None = None, *, semantic: bool = True) -> RiskTier:
    """What the conversation shows: CONFIDENT the crisis message at once, POSSIBLE a calm line with a button.

    The phrase lexicons answer first and need no model. With `semantic` on, the risk model can also raise
    it: risk told in other words ("everyone would be better off without her"). If the model cannot be
    loaded the lexicon answer stands, so this never fails a conversation.
    """
    del language
    if load_lexicon().matches(SAFEGUARDING, text):
        return RiskTier.CONFIDENT
    if not semantic or not text.strip():
        return RiskTier.NONE
    try:
        from bot.themes.classifier import default_classifier

        embedder = default_classifier().embedder
        vectors = embedder.embed(risk_units(text), query=True)
    except (ImportError, OSError, RuntimeError):
        return RiskTier.NONE
    return tier_from_vectors(text, vectors, getattr(embedder, "name", type(embedder).__name__))


def is_safeguarding(text: str, language: str | None = None, *, semantic: bool = True) -> bool:
    """True if the crisis message is shown at once (`safeguarding_tier` is CONFIDENT).

    A POSSIBLE risk is not this: it gets a calm line and a "Get help now" button, and is not counted.
    """
    return safeguarding_tier(text, language, semantic=semantic) is RiskTier.CONFIDENT
