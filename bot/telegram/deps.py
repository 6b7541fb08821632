"""What a conversation step needs from the outside world: the database, the secret, the clock, the notice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.inspection import london_today
from bot.privacy.notice import NoticeSettings
from bot.storage.db import Database
from bot.survey.model import Questionnaire, load_questionnaire


@dataclass
class Deps:
    """What a conversation step needs from the outside world."""

    db: Database
    secret: str
    bot_username: str = "ParentVoiceBot"
    today: Callable[[], date] = london_today
    notice: NoticeSettings = field(default_factory=NoticeSettings.from_env)
    _questionnaires: dict[str, Questionnaire] = field(default_factory=dict)

    def questionnaire(self, questionnaire_id: str) -> Questionnaire:
        if questionnaire_id not in self._questionnaires:
            self._questionnaires[questionnaire_id] = load_questionnaire(questionnaire_id)
        return self._questionnaires[questionnaire_id]
