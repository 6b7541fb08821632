"""Themes implied by closed answers of the default area SEND questionnaire.

A rule fires only where the answer itself reports the problem ("still waiting" for an assessment, "sent
home"), never from who the child is (support level, needs, age) or from a middling score. What is not
inferred, and why, is listed in docs/themes.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["POOR_SCALE_MAX", "themes_from_answers"]

#: Scale points 1..5 (1 = very poor); 1 and 2 count as a poor experience.
POOR_SCALE_MAX = 2

_ASSESSMENT_LATE = {"20_weeks_to_1_year", "1_to_2_years", "over_2_years", "still_waiting", "refused"}
_SERVICE_THEMES = {
    "speech_language": "therapy_waits",
    "occupational_therapy": "therapy_waits",
    "physiotherapy": "therapy_waits",
    "camhs": "mental_health",
    "autism_adhd_assessment": "neurodevelopmental",
    "short_breaks": "social_care_short_breaks",
    "equipment": "equipment_access",
    "transport": "transport",
}
_EXCLUDED = {"sent_home", "suspended", "excluded", "part_time_timetable"}
# "not_in_education" is missing education, which the exclusion theme covers; "home_education" is not
# inferred: many families choose it, and the survey does not ask whether it was forced.
_SETTING_OUT_OF_SCHOOL = {"not_in_education"}
# Scale questions whose poor answer names a theme. `right_help` (E3) is deliberately absent: a poor score
# there says help is late but not which help, so no single theme follows from it.
_SCALES = {
    "identified": "identification",
    "involved": "communication_coproduction",
    "contact_replies": "communication_coproduction",
    "next_steps": "adulthood_transition",
}
#: Questions read by the rules, in questionnaire order (the order of the returned pairs).
_ORDER = (
    "setting",
    "identified",
    "assessment_wait",
    "services_waited",
    "involved",
    "contact_replies",
    "next_steps",
    "excluded",
)


def _choices(value: object) -> list[str]:
    """A choice answer is one id; a multi-choice answer is a list of ids."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        return [v for v in value if isinstance(v, str)]
    return []


def _scale(value: object) -> int | None:
    """1..5, or None for "dont_know", a skip or anything malformed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        point = value
    elif isinstance(value, str) and value.strip().isdigit():
        point = int(value.strip())
    else:
        return None
    return point if 1 <= point <= 5 else None


def themes_from_answers(answers: Mapping[str, object]) -> list[tuple[str, str]]:
    """(theme_id, question_id) pairs, once each, in questionnaire order; unknown questions are ignored."""
    found: list[tuple[str, str]] = []
    for question_id in _ORDER:
        value = answers.get(question_id)
        if question_id in _SCALES:
            point = _scale(value)
            themes = [_SCALES[question_id]] if point is not None and point <= POOR_SCALE_MAX else []
        elif question_id == "setting":
            themes = ["exclusion_attendance" for c in _choices(value) if c in _SETTING_OUT_OF_SCHOOL]
        elif question_id == "assessment_wait":
            themes = ["ehc_assessment_delay" for c in _choices(value) if c in _ASSESSMENT_LATE]
        elif question_id == "services_waited":
            themes = [_SERVICE_THEMES[c] for c in _choices(value) if c in _SERVICE_THEMES]
        else:  # excluded
            themes = ["exclusion_attendance" for c in _choices(value) if c in _EXCLUDED]
        for theme_id in themes:
            if (theme_id, question_id) not in found:
                found.append((theme_id, question_id))
    return found
