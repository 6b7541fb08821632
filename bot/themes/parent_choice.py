"""What a parent is offered when coding their own free-text answer: suggestions, best first, in plain words.

The classifier's top themes by score are only *offered*; nothing is ticked for the parent (issue 10: the
bot's guess must never be recorded as the parent's word). Taxonomy names are written for inspectors
("Exclusion, part-time timetables and missing education"); parents see the short labels below instead, each
a gettext msgid that fits one button in every language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.i18n.markers import N_

#: How many suggestions the theme step offers before "Something else".
SUGGESTIONS = 3

#: Stored as the parent's theme (source "parent") when the parent taps "None of these": the answer is coded
#: by its author, so the classifier's themes for it are kept for audit but not counted as evidence.
PARENT_SAID_NONE = "none"

#: Theme id -> short plain label (a msgid). Every taxonomy theme has one (tests/test_theme_step.py).
PARENT_LABELS: Mapping[str, str] = {
    "identification": N_("Needs noticed, help in school"),
    "ehc_assessment_delay": N_("Getting an EHC assessment"),
    "ehc_plan_quality": N_("The EHC plan and its help"),
    "annual_review": N_("Yearly review of the plan"),
    "therapy_waits": N_("Therapies and health services"),
    "neurodevelopmental": N_("Autism or ADHD assessment"),
    "mental_health": N_("Mental health support"),
    "social_care_short_breaks": N_("Short breaks and family help"),
    "school_places": N_("Finding the right school"),
    "exclusion_attendance": N_("Sent home or missing school"),
    "transport": N_("Transport to school"),
    "personal_budgets": N_("Personal budgets"),
    "adulthood_transition": N_("Getting ready for adult life"),
    "communication_coproduction": N_("Being listened to"),
    "disputes_redress": N_("Complaints and appeals"),
    "information_local_offer": N_("Finding information"),
    "equipment_access": N_("Equipment and access"),
}


def top_themes(scores: Mapping[str, float], order: Sequence[str], n: int = SUGGESTIONS) -> tuple[str, ...]:
    """The ``n`` best-scoring themes of ``order`` (the taxonomy's ids), best first; ties keep taxonomy order.

    Ranked here from the classifier's per-theme scores, not from its decision, so the suggestions stay
    useful whatever rule the classifier uses to pick its own themes (its top three hold the right theme far
    more often than its single best: docs/themes.md).
    """
    known = [theme for theme in order if theme in scores]
    ranked = sorted(known, key=lambda theme: (-scores[theme], order.index(theme)))
    return tuple(ranked[:n])
