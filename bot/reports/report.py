"""A report for inspectors, as data: only figures that passed disclosure control, and msgids, never prose.

Renderers turn it into text, HTML, CSV or JSON in any language. Nothing here holds a true count that was
suppressed, so no renderer can leak one by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bot.inspection import Inspection
from bot.reports.disclosure import Figure, Status, TableKind, WithheldReason
from bot.reports.evidence_map import Kind


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # an English msgid, or a language code when ``language`` is true
    figure: Figure
    language: bool = False
    criteria: tuple[str, ...] = ()  # themes only


@dataclass(frozen=True)
class TableReport:
    """One one-way table: a closed question, the languages used, the themes or the flags."""

    id: str
    title: str
    kind: TableKind
    base: Figure  # parents who answered (all responses for languages, themes and flags)
    rows: tuple[Row, ...]
    groups: tuple[Row, ...] = ()
    withheld: WithheldReason | None = None
    criteria: tuple[str, ...] = ()
    question_type: str | None = None
    percent_of: Literal["answered", "all"] = "answered"

    def row(self, key: str) -> Row:
        return next(r for r in (*self.rows, *self.groups) if r.key == key)

    def figures(self) -> Iterable[Figure]:
        yield self.base
        for r in (*self.rows, *self.groups):
            yield r.figure


@dataclass(frozen=True)
class Finding:
    """A counted sentence ("34 parents (41%) reported ...") about one published figure."""

    id: str
    table: str
    key: str
    kind: Kind
    singular: str
    plural: str
    figure: Figure
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class CriterionSection:
    id: str
    text: str  # the framework's wording, an English msgid
    themes: tuple[str, ...]  # theme ids, in ranking order
    questions: tuple[str, ...]  # closed question ids
    findings: tuple[str, ...]  # finding ids


@dataclass(frozen=True)
class Quote:
    text: str
    language: str | None  # detected language of the text (ISO 639-1), None when unknown
    also: tuple[str, ...] = ()  # other shown themes the same answer is about


@dataclass(frozen=True)
class QuoteGroup:
    question: str
    question_text: str  # msgid
    theme: str | None  # None: about no theme whose count is shown
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Suppression:
    """What the method note says was held back, and why."""

    fewer_than: int
    hidden: int
    withheld_tables: int
    nearly_all: int = 0


@dataclass(frozen=True)
class Report:
    info: Inspection
    questionnaire_id: str
    questionnaire_version: int
    threshold: int
    languages_offered: int
    total: int | None  # None: fewer responses than the threshold, and nothing else is shown
    profile: tuple[TableReport, ...] = ()  # languages, support, age band, setting
    questions: tuple[TableReport, ...] = ()  # every other closed question, in questionnaire order
    themes: TableReport | None = None  # rows ranked by how many parents raised each
    flags: TableReport | None = None
    sources: tuple[TableReport, ...] = ()  # per theme, in taxonomy order: parents by where it came from
    findings: tuple[Finding, ...] = ()
    criteria: tuple[CriterionSection, ...] = ()
    quotes: tuple[QuoteGroup, ...] = ()
    suppression: Suppression = Suppression(0, 0, 0)

    @property
    def below_threshold(self) -> bool:
        return self.total is None

    def tables(self) -> tuple[TableReport, ...]:
        extra = tuple(t for t in (self.themes, self.flags) if t is not None)
        return (*self.profile, *self.questions, *extra)

    def table(self, table_id: str) -> TableReport:
        return next(t for t in self.tables() if t.id == table_id)

    def source_split(self, theme: str) -> TableReport | None:
        """The breakdown of one theme's parents by source (parent, classifier, rule)."""
        return next((t for t in self.sources if t.id.split(":", 1)[-1] == theme), None)

    def finding(self, finding_id: str) -> Finding:
        return next(f for f in self.findings if f.id == finding_id)

    def shown_findings(self, kind: Kind) -> list[Finding]:
        """Findings with a shown count, largest first (ties in the order they are defined)."""
        shown = [f for f in self.findings if f.kind == kind and f.figure.status is Status.SHOWN]
        return sorted(shown, key=lambda f: -(f.figure.count or 0))
