"""Inspections as plain data: when their survey is open, and the deep link that names them.

One class for every use: storage reads and writes it, reports are built for it, messages name it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes: the id may be read aloud or typed
PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_PAYLOAD_PARTS = re.compile(r"^(?P<inspection>[a-z0-9]{4,16})(?:-(?P<forum>[A-Za-z0-9_]{1,40}))?$")


class SurveyStatus(StrEnum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Inspection:
    id: str
    area_code: str
    survey_opens: date
    survey_closes: date
    visit_starts: date | None = None
    visit_ends: date | None = None
    official_survey_url: str | None = None
    questionnaire_id: str = "area_send"
    report_url: str | None = None
    #: The area's name for people to read: from ``bot.areas`` unless given (a report test's made-up area).
    area_name: str = ""

    def __post_init__(self) -> None:
        if not self.area_name:
            from bot import areas

            area = areas.by_code(self.area_code)
            object.__setattr__(self, "area_name", area.name if area else self.area_code)

    def status(self, today: date | None = None) -> SurveyStatus:
        """Open from the first to the last day inclusive, by the calendar in England."""
        today = today or london_today()
        if today < self.survey_opens:
            return SurveyStatus.NOT_OPEN
        if today > self.survey_closes:
            return SurveyStatus.CLOSED
        return SurveyStatus.OPEN


def london_today() -> date:
    return datetime.now(LONDON).date()


def new_inspection_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


@dataclass(frozen=True)
class StartPayload:
    inspection_id: str
    forum: str | None = None


def make_payload(inspection_id: str, forum: str | None = None) -> str:
    payload = inspection_id if forum is None else f"{inspection_id}-{forum}"
    if not PAYLOAD.match(payload) or not _PAYLOAD_PARTS.match(payload):
        raise ValueError("a deep-link payload is at most 64 characters of A-Z a-z 0-9 _ -")
    return payload


def parse_payload(payload: str | None) -> StartPayload | None:
    """Read `/start PAYLOAD`; anything malformed is ignored rather than trusted."""
    if not payload or not PAYLOAD.match(payload):
        return None
    m = _PAYLOAD_PARTS.match(payload)
    if m is None:
        return None
    return StartPayload(m.group("inspection"), m.group("forum"))


def deep_link(bot_username: str, inspection_id: str, forum: str | None = None) -> str:
    return f"https://t.me/{bot_username}?start={make_payload(inspection_id, forum)}"


def parse_date(value: str) -> date:
    """ISO dates only (2026-10-01): unambiguous for operators in any locale."""
    return date.fromisoformat(value)
