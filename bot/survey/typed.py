"""Typed words taken as a button answer, only where the match is clear.

Parents who type instead of pressing should not lose what they wrote: when the words clearly name one of
the offered choices, that choice is taken; anything less clear is kept as a note instead (the shell's job).
Pure: labels come in already translated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_NOT_WORD = re.compile(r"[^\w]+")


def _norm(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def match_typed(typed: str, choices: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The id of the one choice ``typed`` clearly names, else None.

    ``choices`` are ``(id, names)``, names being the button's words in any language shown and its number.
    Clear means: the words equal a name (case, spacing and punctuation aside), or, for 3 letters or more,
    they appear as whole words in the names of exactly one choice ("mainstream" alone is not clear when two
    choices mention a mainstream school).
    """
    words = _norm(typed)
    if not words:
        return None
    exact = {cid for cid, names in choices if any(words == _norm(n) for n in names)}
    if len(exact) == 1:
        return exact.pop()
    if exact or len(words) < 3:
        return None
    pattern = re.compile(rf"(?:^| ){re.escape(words)}(?: |$)")
    within = {cid for cid, names in choices if any(pattern.search(_norm(n)) for n in names)}
    return within.pop() if len(within) == 1 else None
