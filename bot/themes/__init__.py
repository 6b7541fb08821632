"""Themes and flags for parents' free-text answers, and themes implied by closed answers.

Offline and multilingual: a bundled sentence-embedding model compares answers with theme prototypes
(classifier), per-language phrase lexicons raise flags (flags), and rules read closed answers (rules).
See docs/themes.md for the method and the measured quality.
"""

from bot.themes.classifier import Classification, classify, classify_many
from bot.themes.flags import detect_flags, is_safeguarding
from bot.themes.rules import themes_from_answers
from bot.themes.taxonomy import load_taxonomy

__all__ = [
    "Classification",
    "classify",
    "classify_many",
    "detect_flags",
    "is_safeguarding",
    "load_taxonomy",
    "themes_from_answers",
]
