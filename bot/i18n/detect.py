"""Which shipped language a parent's free-text answer is written in.

Answers are tagged with their language so that reports can quote them "in Polish" and so that
per-language counts are right; a parent may answer in any language whatever the interface language.

Method (measured with `python -m bench.langdetect_eval`, see docs/languages.md):
1. The writing system decides whenever it can: Gurmukhi is Panjabi, Gujarati script is Gujarati,
   Bengali script is Bengali, Han is Chinese, Cyrillic is Ukrainian (unless it is clearly Russian or
   another Cyrillic language, which we do not ship: None). Detectors confuse these far more often than
   the script ever does.
2. Arabic script is split by letters each language's keyboard produces: Pashto's own letters
   (ټ ډ ړ ږ ښ ګ ڼ ې ۍ ځ څ) mean Pashto; Urdu's (ٹ ڈ ڑ ں ہ ھ ے) mean Urdu, or Panjabi in Shahmukhi when
   Panjabi function words outnumber Urdu ones; Arabic-keyboard letters (ك ة, or ي without any
   Persian-keyboard letter) mean Arabic. Otherwise a detector chooses among Farsi, Urdu and Pashto.
3. Latin script goes to py3langid restricted to the eleven shipped Latin-script languages.
4. For short texts (a few words) the interface language the parent chose is a prior: its probability is
   multiplied by a weight before choosing. An English prior is ignored, because almost every parent
   sees English first and boosting it made every detector worse.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from bot.i18n.languages import LANGUAGES

SHIPPED_ISO: tuple[str, ...] = tuple(lang.iso for lang in LANGUAGES)

# Writing system (first word of the Unicode character name) -> shipped languages written in it.
_SCRIPT_LANGUAGES: dict[str, tuple[str, ...]] = {
    "CYRILLIC": ("uk",),
    "ARABIC": ("ar", "ur", "fa", "ps"),
    "GURMUKHI": ("pa",),
    "GUJARATI": ("gu",),
    "BENGALI": ("bn",),
    "CJK": ("zh",),
}
LATIN_LANGUAGES: tuple[str, ...] = tuple(
    iso for iso in SHIPPED_ISO if not any(iso in langs for langs in _SCRIPT_LANGUAGES.values())
)
_SCRIPT_LANGUAGES["LATIN"] = LATIN_LANGUAGES

# Parents embed English words ("EHCP", "school", names) in other languages far more than the reverse,
# and Arabic script writes no short vowels, a Han character about a word: Latin letters count least.
_SCRIPT_WEIGHT = {"LATIN": 1, "CJK": 3}
_OTHER_SCRIPT_WEIGHT = 2

_PASHTO_LETTERS = frozenset("ټډړږښګڼېۍځڅ")
_URDU_LETTERS = frozenset("ٹڈڑںہۂۃھےۓ")
_ARABIC_KEYBOARD = frozenset("كة")  # Arabic kaf and teh marbuta: Farsi/Urdu keyboards do not type them
_ARABIC_YEH = "ي"  # Arabic yeh: also Pashto, never typed on Farsi or Urdu keyboards
_PERSIAN_KEYBOARD = frozenset("یکپچژگ")  # Farsi yeh and keheh, and letters Arabic lacks
_UKRAINIAN_LETTERS = frozenset("іїєґ")
_OTHER_CYRILLIC_LETTERS = frozenset("ыэъёўђјљњћџ")  # Russian, Belarusian, Bulgarian, Serbian

# Function words that tell Panjabi in Shahmukhi from Urdu (both use the Urdu letters). Only words that
# are common in one and rare in the other; "دا/دی/دے" are left out because Urdu uses them for "give".
_SHAHMUKHI_WORDS = frozenset(
    "نوں وچ نئیں ساڈا ساڈے ساڈی تہاڈا تہاڈے تہاڈی توں آں کیتا کیتی کیتے سانوں تینوں مینوں "
    "پتر ہن ایہہ ہیگا ہیگی جاندا جاندی کردا کردی کردے ملدا ملدی ملدے دیندا دیندی دیندے "
    "چکدا چکدی چکدے".split()
)
_URDU_WORDS = frozenset(
    "کا کی کے کو ہے ہیں تھا تھی تھے نہیں ہمیں ہمارا ہمارے ہماری ساتھ اب بیٹا بیٹے بیٹی "
    "ملتا ملتی ملتے کرتا کرتی کرتے دیتا دیتی دیتے".split()
)

SHORT_TEXT_WORDS = 5  # texts of at most this many words use the interface language as a prior
PRIOR_WEIGHT = 3.0  # the prior wins when its probability is at least a third of the best

_WORD = re.compile(r"\w+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class Backend(Protocol):
    """A statistical detector: probabilities over some of the shipped ISO codes."""

    name: str

    def scores(self, text: str, candidates: Sequence[str]) -> dict[str, float]: ...


class Py3LangidBackend:
    """py3langid 0.4.0, restricted to the shipped languages (restricting is what makes it accurate)."""

    name = "py3langid"

    def __init__(self) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        # Our own instance, so restricting it does not change py3langid's module-level identifier.
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._identifier.set_languages(list(SHIPPED_ISO))

    def scores(self, text: str, candidates: Sequence[str]) -> dict[str, float]:
        ranked = self._identifier.rank(text)
        values = [score for _, score in ranked]
        if not values or max(values) - min(values) < 1e-9:
            return {}  # no known character n-gram at all: the model abstains
        wanted = set(candidates)
        return {lang: score for lang, score in ranked if lang in wanted}


class LangdetectBackend:
    """langdetect 1.0.9 (a port of Google's language-detection), seeded so results repeat."""

    name = "langdetect"

    def __init__(self) -> None:
        from langdetect import DetectorFactory
        from langdetect.detector_factory import init_factory

        DetectorFactory.seed = 0
        init_factory()

    def scores(self, text: str, candidates: Sequence[str]) -> dict[str, float]:
        from langdetect import detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        try:
            found = detect_langs(text)
        except LangDetectException:
            return {}
        wanted = set(candidates)
        result: dict[str, float] = {}
        for item in found:
            lang = "zh" if item.lang.startswith("zh") else item.lang
            if lang in wanted:
                result[lang] = result.get(lang, 0.0) + item.prob
        return result


@cache
def backend(name: str = "py3langid") -> Backend:
    """Load a detector's model once, on first use (py3langid takes about a second)."""
    if name == "py3langid":
        return Py3LangidBackend()
    if name == "langdetect":
        return LangdetectBackend()
    raise ValueError(f"unknown language detector: {name}")


@dataclass(frozen=True)
class DetectorSettings:
    """How to detect; the defaults are the measured best. Other values exist for the benchmark."""

    backend: str = "py3langid"
    script_rules: bool = True
    use_prior: bool = True
    boost_english: bool = False
    short_words: int = SHORT_TEXT_WORDS
    prior_weight: float = PRIOR_WEIGHT


DEFAULT_SETTINGS = DetectorSettings()


def detect_language(text: str, prior: str | None = None) -> str | None:
    """ISO 639-1 code of the shipped language `text` is written in, or None when it cannot be told.

    `prior` is the interface language the parent chose (catalog or ISO code); it only tips short texts.
    """
    return detect_with(text, prior, DEFAULT_SETTINGS)


def detect_with(text: str, prior: str | None, settings: DetectorSettings) -> str | None:
    """`detect_language` with explicit settings, so the benchmark can compare methods."""
    text = unicodedata.normalize("NFC", text or "").strip()
    counts = script_counts(text)
    if not counts:
        return None  # empty, emoji, digits or punctuation only
    prior_iso = _prior_iso(prior)
    if not settings.script_rules:
        return _choose(text, SHIPPED_ISO, prior_iso, settings)
    script = max(counts, key=lambda s: counts[s] * _SCRIPT_WEIGHT.get(s, _OTHER_SCRIPT_WEIGHT))
    candidates = _SCRIPT_LANGUAGES.get(script)
    if candidates is None:
        return None  # a writing system none of the shipped languages uses (Devanagari, Greek...)
    if script == "CJK" and ("HIRAGANA" in counts or "KATAKANA" in counts):
        return None  # Japanese
    if script == "CYRILLIC":
        return _cyrillic(text)
    if script == "ARABIC":
        decided = _arabic_by_letters(text)
        if decided:
            return decided
        candidates = _arabic_candidates(text)
    if len(candidates) == 1:
        return candidates[0]
    return _choose(text, candidates, prior_iso, settings)


def script_counts(text: str) -> Counter[str]:
    """Letters per writing system, named by the first word of their Unicode name."""
    counts: Counter[str] = Counter()
    for char in text:
        if unicodedata.category(char).startswith("L"):
            counts[unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]] += 1
    return counts


def word_count(text: str) -> int:
    """Words in `text`, split at spaces (Indic vowel signs are not `\\w`, so no regex word split);
    Chinese has no spaces, so two Han characters count as one word."""
    han = len(_HAN.findall(text))
    words = sum(any(c.isalnum() for c in token) for token in _HAN.sub(" ", text).split())
    return words + (han + 1) // 2


def _prior_iso(prior: str | None) -> str | None:
    if not prior:
        return None
    iso = prior.replace("-", "_").split("_")[0].lower()
    return iso if iso in SHIPPED_ISO else None


def _choose(
    text: str, candidates: Sequence[str], prior: str | None, settings: DetectorSettings
) -> str | None:
    """The detector's best candidate, with the prior's probability multiplied up for short texts."""
    scores = backend(settings.backend).scores(text, candidates)
    usable_prior = (
        settings.use_prior
        and prior in candidates
        and (prior != "en" or settings.boost_english)
        and word_count(text) <= settings.short_words
    )
    if not scores:
        return prior if usable_prior else None
    if usable_prior and prior is not None:
        scores = dict(scores)
        scores[prior] = scores.get(prior, 0.0) * settings.prior_weight
    return max(scores, key=lambda lang: scores[lang])


def _cyrillic(text: str) -> str | None:
    letters = set(text.lower())
    if letters & _OTHER_CYRILLIC_LETTERS and not letters & _UKRAINIAN_LETTERS:
        return None  # Russian or another Cyrillic language we do not ship; better untagged than mislabelled
    return "uk"


def _arabic_by_letters(text: str) -> str | None:
    letters = set(text)
    if letters & _PASHTO_LETTERS:
        return "ps"
    if letters & _URDU_LETTERS:
        words = _WORD.findall(text)
        panjabi = sum(word in _SHAHMUKHI_WORDS for word in words)
        urdu = sum(word in _URDU_WORDS for word in words)
        return "pa" if panjabi > urdu else "ur"
    if not letters & _PERSIAN_KEYBOARD and (letters & _ARABIC_KEYBOARD or _ARABIC_YEH in letters):
        return "ar"
    return None


def _arabic_candidates(text: str) -> tuple[str, ...]:
    letters = set(text)
    if letters & _PERSIAN_KEYBOARD and not letters & _ARABIC_KEYBOARD:
        return ("fa", "ur", "ps")  # typed on a Farsi, Urdu or Pashto keyboard
    return _SCRIPT_LANGUAGES["ARABIC"]
