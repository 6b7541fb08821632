"""Readability of English text: the Flesch reading ease and Flesch-Kincaid grade, as tiny pure functions.

Used by the tests to keep what a parent reads first (the consent message) at a reading age of about 9.
Syllables are counted with the usual vowel-group heuristic (silent final "e", "-le", "-ed" handled); it is
within a syllable of a dictionary on most words, which is plenty for a threshold test. Flesch reading ease
= 206.835 - 1.015 * words/sentences - 84.6 * syllables/words; grade = 0.39 * words/sentences
+ 11.8 * syllables/words - 15.59 (Kincaid et al., 1975).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n\s*\n")
_VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Syllables in one English word (at least one)."""
    w = word.lower().split("'")[0]
    if len(w) <= 3:
        return 1
    if not _VOWELS.search(w):
        return 1
    trimmed = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^aeiouy]e)$", lambda m: m.group(0)[0], w)
    count = len(_VOWELS.findall(trimmed))
    if w.endswith("le") and len(w) > 3 and w[-3] not in "aeiouy":
        count += 1
    return max(1, count)


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def reading_ease(self) -> float:
        return 206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words

    @property
    def grade(self) -> float:
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


def measure(text: str) -> Readability:
    """Counts for a plain-text passage (strip any HTML first). Acronyms such as SEND count as one word."""
    words = _WORD.findall(text)
    if not words:
        raise ValueError("no words to measure")
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    return Readability(len(words), sentences, sum(syllables(w) if not w.isupper() else 1 for w in words))
