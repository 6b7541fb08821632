"""Letter classes and small text helpers shared by the scrubber's detectors.

Python's `re` has no \\p{Lu}; the classes are built once from the Unicode database for the Latin, Greek and
Cyrillic blocks, which are the cased scripts among the survey languages.  `\\w` is avoided for Indic scripts,
where it splits words at vowel signs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple


def _char_class(predicate: object) -> str:
    chars = [chr(c) for c in range(0x41, 0x530) if chr(c).isalpha() and predicate(chr(c))]  # type: ignore[operator]
    return "".join(re.escape(c) for c in chars)


UPPER = f"[{_char_class(str.isupper)}]"
LOWER = f"[{_char_class(str.islower)}]"
# A capitalised word: "Jake", "O'Neill", "McDonald", "Mary-Jane", "Wiśniewska", "Андрій".
NAME_WORD = rf"(?:[OD]['’])?{UPPER}{LOWER}+(?:[-'’]?{UPPER}{LOWER}+)?"
# Not inside a longer word (letters only; digits and apostrophes are fine on either side).
WORD_START = r"(?<![^\W\d_])"
WORD_END = r"(?![^\W\d_])"

# A word in a script without capitals: any run of characters that are not spaces or punctuation.
CASELESS_TOKEN = r"[^\s\d.,;:!?()\[\]{}\"'«»“”„،؛؟۔।|/\\<>@#*+=~`-]+"

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_INDIC = re.compile(r"[\u0980-\u09FF\u0A00-\u0A7F\u0A80-\u0AFF]")
_HAN = re.compile(r"[\u4e00-\u9fff]")

_ARABIC_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ہ": "ه",
        "ۀ": "ه",
        "ھ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "\u200c": "",
        "\u0640": "",
    }
)
_ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u06D6-\u06ED]")


class Span(NamedTuple):
    """A stretch of text to replace; `kind` is one of the scrubber's kind ids."""

    start: int
    end: int
    kind: str


def is_caseless(token: str) -> bool:
    """True for words in Arabic-script, Indic or Han text, where capital letters cannot signal a name."""
    return bool(_ARABIC_SCRIPT.search(token) or _INDIC.search(token) or _HAN.search(token))


def fold_name(token: str) -> str:
    """Normalise spelling variants (Arabic/Persian/Urdu letters, diacritics) so a name list matches them all."""
    if _ARABIC_SCRIPT.search(token):
        return _ARABIC_MARKS.sub("", token).translate(_ARABIC_FOLD)
    return unicodedata.normalize("NFC", token)


def ascii_digits(text: str) -> str:
    """Digits of `text` as ASCII, whatever script they were typed in (Arabic-Indic, Persian, Bengali...)."""
    return "".join(str(unicodedata.digit(c)) for c in text if c.isdigit())


def trie_pattern(words: Iterable[str], fold: bool = False) -> str:
    """An alternation of `words` as a character trie, so `re` does not retry hundreds of branches per position.

    With `fold`, words are case-folded first (use inside a case-insensitive group).
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word.casefold() if fold else word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_to_regex(trie) or "(?!)"


def _trie_to_regex(node: dict[str, dict]) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_to_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
    return body
