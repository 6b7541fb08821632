"""Text normalisation shared by the flag lexicons and their patterns.

Parents type on whatever keyboard they have: Polish without ogonki, Urdu with an Arabic keyboard, Persian
with or without the zero-width non-joiner. Lexicon patterns and texts go through the same function, so a
pattern written once matches all those spellings.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["is_cjk", "normalise", "split_words", "tokens_text"]

# Arabic-script letter variants -> one canonical letter (Arabic, Urdu, Persian, Pashto keyboards differ).
_ARABIC_MAP = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ئ": "ی",  # yeh with hamza
        "ے": "ی",  # Urdu yeh barree
        "ۓ": "ی",
        "ې": "ی",  # Pashto yeh variants, often typed as plain yeh
        "ۍ": "ی",
        "ێ": "ی",
        "ك": "ک",  # Arabic kaf -> keheh
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",
        "ہ": "ه",  # Urdu heh goal
        "ۃ": "ه",
        "ە": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ؤ": "و",
        "ء": "",  # lone hamza
        "ـ": "",  # tatweel
        "\u200c": "",  # zero-width non-joiner (Persian, Urdu)
        "\u200d": "",  # zero-width joiner
        "\u200f": "",  # right-to-left mark
        "\u200e": "",  # left-to-right mark
        "\ufeff": "",
    }
)
# Harakat, Quranic marks and the superscript alef; also the Indic nukta, which writers often leave out
# (ਖ਼/ਖ, ড়/ড) - NFKC splits those letters, so dropping the nukta unifies both spellings.
_DROPPED_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u093c\u09bc\u0a3c\u0abc]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"'})
# Everything that separates words in the shipped languages; apostrophes and hyphens stay inside words.
_SEPARATORS = re.compile(r"[\s\.,;:!?¿¡‹›·•\"()\[\]{}<>/\\|*+=~_…–—«»،؛؟۔।॥。，、；：！？「」『』（）《》]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _is_latin_base(char: str) -> bool:
    return "LATIN" in unicodedata.name(char, "")


def _strip_latin_diacritics(text: str) -> str:
    """Drop combining marks only after Latin letters: Indic vowel signs and Cyrillic й must survive."""
    decomposed = unicodedata.normalize("NFD", text)
    out: list[str] = []
    latin_run = False
    for char in decomposed:
        if unicodedata.combining(char):
            if latin_run:
                continue
        else:
            latin_run = _is_latin_base(char)
        out.append(char)
    text = unicodedata.normalize("NFC", "".join(out))
    # Letters with a stroke do not decompose.
    return text.translate(str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ı": "i", "ħ": "h"}))


def normalise(text: str) -> str:
    """Casefold, unify script variants and strip Latin diacritics; keep word order and spacing simple."""
    text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    text = text.translate(_APOSTROPHES)
    text = _DROPPED_MARKS.sub("", text)
    text = text.translate(_ARABIC_MAP)
    text = _strip_latin_diacritics(text)
    # Any script's decimal digits become ASCII digits ("۱۸" -> "18").
    text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    return re.sub(r"\s+", " ", text).strip()


def tokens_text(text: str) -> str:
    """Normalised words joined by single spaces, padded with a space at each end.

    Matching whole words against this string needs no `\\b`, which Python's `re` gets wrong for Indic
    scripts (vowel signs are not word characters).
    """
    return " " + " ".join(split_words(normalise(text))) + " "


def split_words(normalised: str) -> list[str]:
    """Words of already-normalised text; apostrophes and hyphens stay inside words, not at their edges."""
    return [w.strip("'-") for w in _SEPARATORS.split(normalised) if w.strip("'-")]


def is_cjk(text: str) -> bool:
    """True if the text contains Han characters, which are written without spaces between words."""
    return _CJK.search(text) is not None
