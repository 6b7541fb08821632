"""Whether every shipped catalog translates a set of texts, so a questionnaire is refused before use if not."""

from __future__ import annotations

from collections.abc import Iterable

from bot.i18n.catalog import translator
from bot.i18n.languages import LANGUAGES
from bot.survey.model import Questionnaire, QuestionnaireError


def missing_translations(texts: Iterable[str]) -> dict[str, list[str]]:
    wanted = list(dict.fromkeys(texts))
    missing: dict[str, list[str]] = {}
    for language in LANGUAGES[1:]:
        t = translator(language.code)
        gaps = [text for text in wanted if not t.has(text)]
        if gaps:
            missing[language.code] = gaps
    return missing


def require_translations(questionnaire: Questionnaire) -> None:
    """Refuse a questionnaire that some parents would meet half in English."""
    missing = missing_translations(questionnaire.texts())
    if missing:
        detail = "; ".join(f"{code}: {len(gaps)} (e.g. {gaps[0]!r})" for code, gaps in missing.items())
        raise QuestionnaireError(
            f"Questionnaire {questionnaire.id} v{questionnaire.version} is not translated in every shipped "
            f"language ({detail}). Run `parentvoice translations` and complete the catalogs.")
