"""How answers become evidence: which framework criteria a closed question informs, which subtotals are
published, and the neutral counted sentences that state them.

Kept as data in one place so that an inspector's question "why is this under E1?" has one answer, and a
translator finds every sentence together. Wording counts what parents *reported*; it never says "feel".
Texts are English gettext msgids marked for extraction: ``N_`` (bot.i18n.markers) and, for plural pairs,
``NP_`` (babel keyword spec ``NP_: (1, 2)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.i18n.markers import N_


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural msgid pair for extraction (babel keyword ``NP_: (1, 2)``); used with ngettext."""
    return singular, plural


#: The one table: closed question id -> the framework criteria its answers are evidence for.
QUESTION_CRITERIA: dict[str, tuple[str, ...]] = {
    "identified": ("E1",),
    "assessment_wait": ("E1",),
    "right_help": ("E3",),
    "services_waited": ("E3",),
    "involved": ("E2",),
    "contact_replies": ("E2", "L2"),
    "next_steps": ("E4",),
    "excluded": ("E3", "E5", "AP"),
}

#: Closed questions that describe who answered; shown first, as the profile of respondents.
PROFILE_QUESTIONS: tuple[str, ...] = ("support", "age_band", "setting")

#: Consent, not evidence: its counts are never published (they would also bound the number of quotes).
CONSENT_QUESTION = "quote_ok"
#: Free-text questions whose quotes are strengths.
STRENGTH_TEXT_QUESTIONS: tuple[str, ...] = ("worked_well",)


@dataclass(frozen=True)
class GroupSpec:
    """A published subtotal of some cells of a single-answer question, e.g. "good or very good"."""

    key: str
    label: str
    members: tuple[str, ...]


SCALE_GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec("poor", N_("Poor or very poor"), ("1", "2")),
    GroupSpec("good", N_("Good or very good"), ("4", "5")),
)

QUESTION_GROUPS: dict[str, tuple[GroupSpec, ...]] = {
    "assessment_wait": (GroupSpec("over_1_year", N_("More than a year"), ("1_to_2_years", "over_2_years")),),
}

Kind = Literal["concern", "strength"]


@dataclass(frozen=True)
class FindingSpec:
    """One counted sentence about one published figure (a cell or a subtotal)."""

    table: str  # a question id, "themes" or "flags"
    key: str  # a choice id, a group key, a theme id or a flag id
    kind: Kind
    singular: str
    plural: str

    @property
    def id(self) -> str:
        return f"{self.table}.{self.key}"


def _f(table: str, key: str, kind: Kind, texts: tuple[str, str]) -> FindingSpec:
    return FindingSpec(table, key, kind, *texts)


FINDINGS: tuple[FindingSpec, ...] = (
    # E1: identification and assessment
    _f("identified", "poor", "concern", NP_(
       "%(count)s parent (%(percent)s) rated how well their child's needs were noticed and understood as poor or very poor",
       "%(count)s parents (%(percent)s) rated how well their child's needs were noticed and understood as poor or very poor")),
    _f("identified", "good", "strength", NP_(
       "%(count)s parent (%(percent)s) rated how well their child's needs were noticed and understood as good or very good",
       "%(count)s parents (%(percent)s) rated how well their child's needs were noticed and understood as good or very good")),
    _f("assessment_wait", "over_1_year", "concern", NP_(
       "%(count)s parent (%(percent)s) reported waiting more than a year for an answer to a request for an EHC needs assessment",
       "%(count)s parents (%(percent)s) reported waiting more than a year for an answer to a request for an EHC needs assessment")),
    _f("assessment_wait", "still_waiting", "concern", NP_(
       "%(count)s parent (%(percent)s) reported still waiting for an answer to a request for an EHC needs assessment",
       "%(count)s parents (%(percent)s) reported still waiting for an answer to a request for an EHC needs assessment")),
    _f("assessment_wait", "refused", "concern", NP_(
       "%(count)s parent (%(percent)s) reported that the council refused an EHC needs assessment",
       "%(count)s parents (%(percent)s) reported that the council refused an EHC needs assessment")),
    _f("assessment_wait", "under_20_weeks", "strength", NP_(
       "%(count)s parent (%(percent)s) reported an answer to a request for an EHC needs assessment within 20 weeks",
       "%(count)s parents (%(percent)s) reported an answer to a request for an EHC needs assessment within 20 weeks")),
    # E3: the right help at the right time
    _f("right_help", "poor", "concern", NP_(
       "%(count)s parent (%(percent)s) rated getting the right help at the right time as poor or very poor",
       "%(count)s parents (%(percent)s) rated getting the right help at the right time as poor or very poor")),
    _f("right_help", "good", "strength", NP_(
       "%(count)s parent (%(percent)s) rated getting the right help at the right time as good or very good",
       "%(count)s parents (%(percent)s) rated getting the right help at the right time as good or very good")),
    _f("services_waited", "speech_language", "concern", NP_(
       "%(count)s parent (%(percent)s) reported a long wait for speech and language therapy",
       "%(count)s parents (%(percent)s) reported a long wait for speech and language therapy")),
    _f("services_waited", "occupational_therapy", "concern", NP_(
       "%(count)s parent (%(percent)s) reported a long wait for occupational therapy",
       "%(count)s parents (%(percent)s) reported a long wait for occupational therapy")),
    _f("services_waited", "physiotherapy", "concern", NP_(
       "%(count)s parent (%(percent)s) reported a long wait for physiotherapy",
       "%(count)s parents (%(percent)s) reported a long wait for physiotherapy")),
    _f("services_waited", "camhs", "concern", NP_(
       "%(count)s parent (%(percent)s) reported a long wait for mental health services (CAMHS)",
       "%(count)s parents (%(percent)s) reported a long wait for mental health services (CAMHS)")),
    _f("services_waited", "autism_adhd_assessment", "concern", NP_(
       "%(count)s parent (%(percent)s) reported a long wait for an autism or ADHD assessment",
       "%(count)s parents (%(percent)s) reported a long wait for an autism or ADHD assessment")),
    _f("services_waited", "short_breaks", "concern", NP_(
       "%(count)s parent (%(percent)s) reported a long wait for short breaks or respite",
       "%(count)s parents (%(percent)s) reported a long wait for short breaks or respite")),
    _f("services_waited", "equipment", "concern", NP_(
       "%(count)s parent (%(percent)s) reported a long wait for equipment",
       "%(count)s parents (%(percent)s) reported a long wait for equipment")),
    _f("services_waited", "transport", "concern", NP_(
       "%(count)s parent (%(percent)s) reported a long wait for transport to school",
       "%(count)s parents (%(percent)s) reported a long wait for transport to school")),
    _f("services_waited", "none", "strength", NP_(
       "%(count)s parent (%(percent)s) reported no long wait for any of the services listed",
       "%(count)s parents (%(percent)s) reported no long wait for any of the services listed")),
    # E2 and L2: participation and communication
    _f("involved", "poor", "concern", NP_(
       "%(count)s parent (%(percent)s) rated their involvement in decisions about their child's support as poor or very poor",
       "%(count)s parents (%(percent)s) rated their involvement in decisions about their child's support as poor or very poor")),
    _f("involved", "good", "strength", NP_(
       "%(count)s parent (%(percent)s) rated their involvement in decisions about their child's support as good or very good",
       "%(count)s parents (%(percent)s) rated their involvement in decisions about their child's support as good or very good")),
    _f("contact_replies", "poor", "concern", NP_(
       "%(count)s parent (%(percent)s) rated replies from the council or health services as poor or very poor",
       "%(count)s parents (%(percent)s) rated replies from the council or health services as poor or very poor")),
    _f("contact_replies", "good", "strength", NP_(
       "%(count)s parent (%(percent)s) rated replies from the council or health services as good or very good",
       "%(count)s parents (%(percent)s) rated replies from the council or health services as good or very good")),
    # E4: next steps
    _f("next_steps", "poor", "concern", NP_(
       "%(count)s parent (%(percent)s) rated preparation for next steps (college, work, adult life) as poor or very poor",
       "%(count)s parents (%(percent)s) rated preparation for next steps (college, work, adult life) as poor or very poor")),
    _f("next_steps", "good", "strength", NP_(
       "%(count)s parent (%(percent)s) rated preparation for next steps (college, work, adult life) as good or very good",
       "%(count)s parents (%(percent)s) rated preparation for next steps (college, work, adult life) as good or very good")),
    # E3, E5, AP: missing education
    _f("excluded", "sent_home", "concern", NP_(
       "%(count)s parent (%(percent)s) reported their child was sent home early or asked to stay at home in the last year",
       "%(count)s parents (%(percent)s) reported their child was sent home early or asked to stay at home in the last year")),
    _f("excluded", "part_time_timetable", "concern", NP_(
       "%(count)s parent (%(percent)s) reported their child was put on a part-time timetable in the last year",
       "%(count)s parents (%(percent)s) reported their child was put on a part-time timetable in the last year")),
    _f("excluded", "suspended", "concern", NP_(
       "%(count)s parent (%(percent)s) reported their child was suspended in the last year",
       "%(count)s parents (%(percent)s) reported their child was suspended in the last year")),
    _f("excluded", "excluded", "concern", NP_(
       "%(count)s parent (%(percent)s) reported their child was permanently excluded in the last year",
       "%(count)s parents (%(percent)s) reported their child was permanently excluded in the last year")),
    _f("excluded", "none", "strength", NP_(
       "%(count)s parent (%(percent)s) reported their child was not sent home, suspended, excluded or put on a part-time timetable in the last year",
       "%(count)s parents (%(percent)s) reported their child was not sent home, suspended, excluded or put on a part-time timetable in the last year")),
    # Flags: counted across the whole response, percent of all responses
    _f("flags", "possible_unlawful_practice", "concern", NP_(
       "%(count)s parent (%(percent)s) described what may be an unlawful local practice",
       "%(count)s parents (%(percent)s) described what may be an unlawful local practice")),
    _f("flags", "safeguarding", "concern", NP_(
       "%(count)s parent (%(percent)s) described a risk to a child or parent",
       "%(count)s parents (%(percent)s) described a risk to a child or parent")),
    _f("flags", "language_barrier", "concern", NP_(
       "%(count)s parent (%(percent)s) described a language or interpreting barrier",
       "%(count)s parents (%(percent)s) described a language or interpreting barrier")),
    _f("flags", "positive", "strength", NP_(
       "%(count)s parent (%(percent)s) described help or a service that worked well",
       "%(count)s parents (%(percent)s) described help or a service that worked well")),
)

#: Short names of closed questions for charts and summaries, where the full question is too long.
SHORT_TITLES: dict[str, str] = {
    "identified": N_("Needs noticed and understood"),
    "assessment_wait": N_("Time to an answer on an EHC needs assessment"),
    "right_help": N_("Right help at the right time"),
    "services_waited": N_("Services waited a long time for"),
    "involved": N_("Involvement in decisions"),
    "contact_replies": N_("Replies from the council and health services"),
    "next_steps": N_("Preparation for next steps"),
    "excluded": N_("Sent home, part-time timetable, suspension or exclusion"),
    "worked_well": N_("What has worked well"),
    "inspectors_should_know": N_("What else inspectors should know"),
}
