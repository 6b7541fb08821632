"""The shipped questionnaire as raw YAML data, for tests that break it on purpose; questions found by id."""

from __future__ import annotations

import yaml

from bot.survey.model import QUESTIONNAIRE_DIR


def raw_questionnaire(name: str = "area_send") -> dict:
    """A fresh, mutable copy of a shipped questionnaire's YAML."""
    return yaml.safe_load((QUESTIONNAIRE_DIR / f"{name}.yaml").read_text())


def question_by_id(raw: dict, question_id: str) -> dict:
    """The raw question with this id (a KeyError names it if the questionnaire has none)."""
    for question in raw["questions"]:
        if question.get("id") == question_id:
            return question
    raise KeyError(question_id)
