"""A parent's free text, made safe to keep and ready to count.

Order matters: the language is detected and risk is checked on what the parent wrote; only the scrubbed
text is classified and stored. Nothing here keeps or logs the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.i18n.detect import detect_language
from bot.i18n.languages import by_code
from bot.privacy.normalise import normalise
from bot.privacy.scrub import scrub
from bot.privacy.scrub_version import scrubber_version
from bot.themes.classifier import classify, default_classifier
from bot.themes.flags import safeguarding_tier
from bot.themes.parent_choice import top_themes
from bot.themes.risk_model import RiskTier
from bot.themes.taxonomy import load_taxonomy


@dataclass(frozen=True)
class FreeText:
    text: str                      # scrubbed: this is what is stored
    removed: tuple[str, ...]       # kinds of personal data removed
    language: str | None           # detected ISO 639-1 code
    themes: tuple[str, ...]        # the classifier's own decision: stored with source "classifier"
    flags: tuple[str, ...]
    safeguarding: bool             # CONFIDENT risk: the crisis message at once, and the flag is counted
    suggestions: tuple[str, ...] = ()  # offered to the parent, unticked, best first (top three by score)
    scrubber_version: str | None = None  # the scrubber that cleaned ``text``: stored beside it
    possible_risk: bool = False    # POSSIBLE risk: a calm line with "Get help now", nothing counted


def analyse_free_text(raw: str, interface_language: str) -> FreeText:
    raw = normalise(raw)  # detection, the safeguarding check and the scrubber all see the same canonical text
    language = by_code(interface_language)
    prior = language.iso if language else None
    detected = detect_language(raw, prior=prior)
    scrubbed = scrub(raw, detected or prior)
    result = classify(scrubbed.text, detected or prior)
    tier = safeguarding_tier(raw, detected or prior)
    risk = tier is RiskTier.CONFIDENT
    flags = tuple(dict.fromkeys((*result.flags, *(("safeguarding",) if risk else ()))))
    # A text too short to carry a theme ("ok", a phone number once scrubbed) gets no guesses to choose from;
    # the parent can still open every theme with "Something else".
    short = default_classifier().too_short(scrubbed.text)
    suggestions = () if short else top_themes(result.scores, load_taxonomy().theme_ids)
    return FreeText(scrubbed.text, scrubbed.removed, detected, tuple(result.themes), flags, risk, suggestions,
                    scrubber_version(), possible_risk=tier is RiskTier.POSSIBLE)


@lru_cache(maxsize=1)
def theme_names() -> dict[str, str]:
    """Theme id -> English name (a msgid), in the taxonomy's order."""
    return {theme.id: theme.name for theme in load_taxonomy().themes}
