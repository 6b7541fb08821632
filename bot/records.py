"""What a report is built from: submitted responses with their themes (the inspection is ``bot.inspection``).

They sit below both: ``bot.storage`` builds them and ``bot.reports`` (pure) reads only them, so a report
can be rebuilt from any source (a test, a benchmark, another channel) and never touches SQL or Telegram.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.i18n.languages import LANGUAGES

#: Interface languages of the bot, from the one list (bot.i18n.languages). Every one is listed in the language
#: table, including those nobody used, so that "fewer than 10" never tells a reader whether a language was used.
INTERFACE_LANGUAGES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)

#: Where a theme assignment came from. The parent's own choice outranks the classifier.
SOURCES = ("parent", "classifier", "rule")


@dataclass(frozen=True, slots=True)
class ThemeAssignment:
    theme: str
    question: str
    source: str  # "parent" | "classifier" | "rule"


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """One submitted response: one parent, one child. Holds no identifier of the parent."""

    language: str
    answers: Mapping[str, object]
    text_languages: Mapping[str, str] = field(default_factory=dict)
    themes: tuple[ThemeAssignment, ...] = ()
    flags: tuple[str, ...] = ()
    forum: str | None = None  # never shown in reports to inspectors
    #: Question id -> version of the scrubber that cleaned the stored free text (bot.privacy.scrub_version).
    #: Absent: unknown (stored before versions were kept), and a report scrubs the text again.
    scrubbed_by: Mapping[str, str] = field(default_factory=dict)


def effective_themes(record: ResponseRecord) -> dict[str, frozenset[str]]:
    """Themes per question after the parent's word: a parent's choice for a question drops the classifier's.

    Rule assignments come from closed answers and always stay.
    """
    parent_chose = {a.question for a in record.themes if a.source == "parent"}
    by_question: dict[str, set[str]] = {}
    for a in record.themes:
        if a.source == "classifier" and a.question in parent_chose:
            continue
        by_question.setdefault(a.question, set()).add(a.theme)
    return {q: frozenset(ts) for q, ts in by_question.items()}


def themes_of(record: ResponseRecord) -> frozenset[str]:
    """Every theme this parent raised, once, whichever questions it came from."""
    out: set[str] = set()
    for themes in effective_themes(record).values():
        out |= themes
    return frozenset(out)


def theme_sources(record: ResponseRecord) -> dict[str, str]:
    """Where each theme this parent raised came from, once per theme: "parent" if they chose it for any
    answer, else "classifier" if the classifier found it in an answer they did not code, else "rule"."""
    parent_chose = {a.question for a in record.themes if a.source == "parent"}
    out: dict[str, str] = {}
    for a in record.themes:
        if a.source == "classifier" and a.question in parent_chose:
            continue
        if a.source not in SOURCES:
            continue
        if a.theme not in out or SOURCES.index(a.source) < SOURCES.index(out[a.theme]):
            out[a.theme] = a.source
    return out
