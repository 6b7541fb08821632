"""Putting free text into one canonical form before it is checked, scrubbed or stored.

Why: look-alike and invisible characters defeat every pattern that follows. "Ｐａｔｅｌ" (full-width) is not
"Patel" to a regular expression, "Mrs\u202eKhan\u202c" hides a bidi override inside a title cue, a zero-width
space splits "Fin\u200bley" into two harmless-looking halves, and terminal escape sequences ("\x1b[31m") end up in
the HTML report. So, in this order:

1. ANSI/VT escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL", two-byte "ESC x") are removed whole;
2. NFKC folds compatibility forms: full-width and half-width letters and digits, ligatures, circled digits,
   Arabic presentation forms, the no-break space; full-width punctuation (the Chinese comma "，", "：", "？") and
   the ideographic space are kept, as they are how Chinese is written;
3. every other control (Cc) and format (Cf) character is removed: bidi embeddings, overrides and isolates
   (U+202A-U+202E, U+2066-U+2069), LRM/RLM, zero-width space (U+200B), word joiner, BOM (U+FEFF), soft hyphen,
   NUL, BEL. Newline and tab stay; a carriage return becomes a newline.

ZWNJ (U+200C) and ZWJ (U+200D) are letters' business in Persian, Urdu, Pashto and the Indic scripts ("می‌خواهد"
is spelled with a ZWNJ; Bengali and Gujarati conjuncts use ZWJ/ZWNJ) and ZWJ glues emoji sequences (family
emoji). They are kept only between two characters of those scripts, or two symbols for ZWJ; anywhere else (for
example inside a Latin name) they are removed like any other invisible character.

Pure and idempotent: normalise(normalise(x)) == normalise(x).
"""

from __future__ import annotations

import re
import unicodedata

_ANSI = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|[@-Z\\-_])"  # two-byte sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_KEPT_CONTROLS = frozenset("\n\t")
_CJK_PUNCTUATION = re.compile(r"([\u3000\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]+)")
_JOINERS = frozenset("\u200c\u200d")
# Arabic script (ar, ur, fa, ps) and the Indic scripts of the survey languages (bn, pa, gu), where ZWNJ/ZWJ
# change how letters join and so are part of the spelling.
_JOINING_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF\u0980-\u0AFF]")


def _invisible_class() -> re.Pattern[str]:
    """Every Cc/Cf character except newline and tab (built once; the astral ones are the tag characters)."""
    codes = [c for c in (*range(0x10000), *range(0xE0000, 0xE0080)) if unicodedata.category(chr(c)) in ("Cc", "Cf")]
    chars = "".join(re.escape(chr(c)) for c in codes if chr(c) not in _KEPT_CONTROLS)
    return re.compile(f"[{chars}]")


_INVISIBLE = _invisible_class()


def _joiner_kept(text: str, i: int) -> bool:
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    if not before or not after:
        return False
    if _JOINING_SCRIPT.match(before) and _JOINING_SCRIPT.match(after):
        return True
    # ZWJ between two symbols (or a symbol and a modifier) builds an emoji sequence.
    return text[i] == "\u200d" and unicodedata.category(before)[0] in "SM" and unicodedata.category(after)[0] == "S"


def normalise(text: str) -> str:
    """`text` with escape sequences and invisible characters removed and compatibility forms folded."""
    text = _ANSI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFKC", text):
        text = "".join(
            part if i % 2 else unicodedata.normalize("NFKC", part)
            for i, part in enumerate(_CJK_PUNCTUATION.split(text))
        )
    if not _INVISIBLE.search(text):
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in _KEPT_CONTROLS:
            out.append(ch)
        elif ch in _JOINERS:
            if _joiner_kept(text, i):
                out.append(ch)
        elif unicodedata.category(ch) not in ("Cc", "Cf"):
            out.append(ch)
    return "".join(out)
