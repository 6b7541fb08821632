"""Counting submitted responses into a report: pure, one pass over the records, then disclosure control.

Every count is a number of parents (one response = one parent and one child), so a parent who raises a
theme in two answers is counted once for it. Answers to questions a parent was never shown (skip logic)
or that do not fit the question are ignored, which keeps the published arithmetic true.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from bot.i18n.markers import N_
from bot.inspection import Inspection
from bot.privacy.scrub import scrub
from bot.privacy.scrub_version import scrubber_version
from bot.records import (
    INTERFACE_LANGUAGES,
    SOURCES,
    ResponseRecord,
    effective_themes,
    theme_sources,
)
from bot.reports.disclosure import (
    Figure,
    Link,
    ProtectedTable,
    RawTable,
    Status,
    TableKind,
    check_threshold,
    protect,
)
from bot.reports.evidence_map import (
    CONSENT_QUESTION,
    FINDINGS,
    PROFILE_QUESTIONS,
    QUESTION_CRITERIA,
    QUESTION_GROUPS,
    SCALE_GROUPS,
    GroupSpec,
)
from bot.reports.report import (
    CriterionSection,
    Finding,
    Quote,
    QuoteGroup,
    Report,
    Row,
    Suppression,
    TableReport,
)
from bot.reports.taxonomy_view import TaxonomyView, load_taxonomy
from bot.survey.model import DONT_KNOW, SCALE_POINTS, Question, Questionnaire, QuestionType

LANGUAGE_TABLE = "language"
THEMES_TABLE = "themes"
FLAGS_TABLE = "flags"
LANGUAGE_TITLE = N_("Language used to answer")
THEMES_TITLE = N_("Themes raised by parents")
SOURCES_TITLE = N_("How each theme was found")
#: Column labels of the breakdown of each theme by where it came from, in ``SOURCES`` order.
SOURCE_LABELS: dict[str, str] = {
    "parent": N_("Chose it themselves"),
    "classifier": N_("Found by the classifier"),
    "rule": N_("From closed answers"),
}
FLAGS_TITLE = N_("Flags raised by parents")
QUOTE_CONSENT = "yes"

_TABULATED = (QuestionType.CHOICE, QuestionType.MULTI, QuestionType.SCALE, QuestionType.YESNO)


def _groups(q: Question) -> tuple[GroupSpec, ...]:
    if q.type is QuestionType.SCALE:
        return SCALE_GROUPS
    return QUESTION_GROUPS.get(q.id, ())


class _Cells:
    """Which cells of one question an answer falls in; None when the answer does not fit the question.

    Agrees with ``Question.valid_value`` (a test checks it) but precomputes the sets, because this runs for
    every answer of every response. A multi answer mixing an exclusive option with others is refused.
    """

    def __init__(self, q: Question) -> None:
        self.multi = q.type is QuestionType.MULTI
        self.ids = frozenset(c.id for c in q.choices)
        self.exclusive = frozenset(c.id for c in q.choices if c.exclusive)
        self.scale = q.type is QuestionType.SCALE

    def __call__(self, value: object) -> tuple[str, ...] | None:
        if self.multi:
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                return None
            if len(set(value)) != len(value) or not self.ids.issuperset(value):
                return None
            if len(value) > 1 and not self.exclusive.isdisjoint(value):
                return None
            return tuple(value)
        if self.scale:
            if value == DONT_KNOW or (type(value) is int and value in SCALE_POINTS):
                return (str(value),)
            return None
        return (value,) if isinstance(value, str) and value in self.ids else None


class _Tally:
    """Counts gathered in one pass; nothing here is published as such."""

    def __init__(self, questions: Sequence[Question], themes: Iterable[str], flags: Iterable[str]) -> None:
        self.questions = [(q.id, q.show_if, _Cells(q)) for q in questions]
        self.total = 0
        self.languages: Counter[str] = Counter()
        self.answered: Counter[str] = Counter()
        self.cells: dict[str, Counter[str]] = {q.id: Counter() for q in questions}
        self.theme_ids = frozenset(themes)
        self.flag_ids = frozenset(flags)
        self.themes: Counter[str] = Counter()
        self.sources: dict[str, Counter[str]] = {t: Counter() for t in self.theme_ids}
        self.flags: Counter[str] = Counter()

    def add(self, record: ResponseRecord, per_question: dict[str, frozenset[str]]) -> None:
        self.total += 1
        self.languages[record.language] += 1
        answers = record.answers
        for qid, show_if, cells_of in self.questions:
            value = answers.get(qid)
            if value is None or (show_if is not None and not show_if.holds(answers)):  # type: ignore[arg-type]
                continue
            keys = cells_of(value)
            if keys is None:
                continue
            self.answered[qid] += 1
            counts = self.cells[qid]
            for key in keys:
                counts[key] += 1
        raised: set[str] = set()
        for themes in per_question.values():
            raised |= themes
        self.themes.update(raised & self.theme_ids)
        for theme, source in theme_sources(record).items():
            if theme in raised and theme in self.theme_ids:
                self.sources[theme][source] += 1
        self.flags.update(set(record.flags) & self.flag_ids)


RawQuote = tuple[str, str, str | None, frozenset[str]]  # question, text, language, themes


def _quotes_of(
    questionnaire: Questionnaire, record: ResponseRecord, per_question: dict[str, frozenset[str]], current: str
) -> Iterator[RawQuote]:
    """(question, text, language, themes) of each free-text answer a parent agreed to have quoted.

    An answer stored by an older, weaker scrubber, or with no version (stored before versions were kept, or by
    any path that skipped the scrubber), goes through the current scrubber again, so it never reaches a report
    as it was stored. An answer the record says the ``current`` scrubber cleaned is taken as stored: scrubbing
    it again would give the same text (scrubbing is idempotent), and only the bot writes that version, beside
    the very text the scrubber returned (bot/telegram/saving.py). That skip is most of the report's time.
    """
    if record.answers.get(CONSENT_QUESTION) != QUOTE_CONSENT:
        return
    for q in questionnaire.questions:
        if q.type is not QuestionType.TEXT:
            continue
        value = record.answers.get(q.id)
        if not isinstance(value, str):
            continue
        language = record.text_languages.get(q.id)
        if record.scrubbed_by.get(q.id) != current:
            value = scrub(value, language).text
        text = value.strip()
        if text:
            yield q.id, text, language, per_question.get(q.id, frozenset())


class ReportBuilder:
    """``build_report`` one record at a time, so a caller can stream records from storage and never hold them
    all: at 100,000 responses the records read from SQLite at once took some 750 MiB (issue 11.3).

    Only the counts and the quotes are kept; ``report()`` then protects and arranges them.
    """

    def __init__(
        self,
        info: Inspection,
        questionnaire: Questionnaire,
        *,
        threshold: int = 10,
        taxonomy: TaxonomyView | None = None,
        languages: Sequence[str] = INTERFACE_LANGUAGES,
    ) -> None:
        check_threshold(threshold)
        self.info, self.questionnaire, self.threshold, self.languages = info, questionnaire, threshold, languages
        self.taxonomy = taxonomy or load_taxonomy()
        self.closed = [q for q in questionnaire.questions if q.type in _TABULATED and q.id != CONSENT_QUESTION]
        self.tally = _Tally(self.closed, (t.id for t in self.taxonomy.themes), (f.id for f in self.taxonomy.flags))
        self.raw_quotes: list[RawQuote] = []
        self.scrubber = scrubber_version()

    def add(self, record: ResponseRecord) -> None:
        per_question = effective_themes(record)
        self.tally.add(record, per_question)
        self.raw_quotes.extend(_quotes_of(self.questionnaire, record, per_question, self.scrubber))

    def report(self) -> Report:
        """Count, protect and arrange everything added so far."""
        info, questionnaire, threshold, languages = self.info, self.questionnaire, self.threshold, self.languages
        taxonomy, closed, tally = self.taxonomy, self.closed, self.tally
        empty = Report(info, questionnaire.id, questionnaire.version, threshold, len(languages), None)
        if tally.total < threshold:
            return empty  # nothing at all: not even the number of responses

        raw_tables, links = _raw_tables(tally, closed, taxonomy, languages)
        protected = protect(raw_tables, threshold, total=tally.total, links=links)

        language_table = TableReport(
            LANGUAGE_TABLE, LANGUAGE_TITLE, "single", protected[LANGUAGE_TABLE].base,
            tuple(Row(code, code, fig, language=True) for code, fig in protected[LANGUAGE_TABLE].cells),
            withheld=protected[LANGUAGE_TABLE].withheld, percent_of="all",
        )
        question_tables = {q.id: _question_table(q, protected[q.id]) for q in closed}
        profile = (language_table, *(question_tables[qid] for qid in PROFILE_QUESTIONS if qid in question_tables))
        others = tuple(question_tables[q.id] for q in closed if q.id not in PROFILE_QUESTIONS)

        themes = _themes_table(protected[THEMES_TABLE], taxonomy)
        flags = TableReport(
            FLAGS_TABLE, FLAGS_TITLE, "count", protected[FLAGS_TABLE].base,
            tuple(Row(f.id, f.name, protected[FLAGS_TABLE].cell(f.id)) for f in taxonomy.flags),
            withheld=protected[FLAGS_TABLE].withheld, percent_of="all",
        )
        sources = tuple(_source_table(t.id, protected[source_table_id(t.id)], protected[THEMES_TABLE])
                        for t in taxonomy.themes)
        tables = {t.id: t for t in (*profile, *others, themes, flags)}
        findings = _findings(tables)
        return Report(
            info, questionnaire.id, questionnaire.version, threshold, len(languages), tally.total,
            profile=profile, questions=others, themes=themes, flags=flags, sources=sources, findings=findings,
            criteria=_criteria(taxonomy, themes, tables, findings),
            quotes=_quote_groups(questionnaire, self.raw_quotes, themes),
            suppression=_suppression(protected.values()),
        )


def build_report(
    info: Inspection,
    questionnaire: Questionnaire,
    records: Iterable[ResponseRecord],
    *,
    threshold: int = 10,
    taxonomy: TaxonomyView | None = None,
    languages: Sequence[str] = INTERFACE_LANGUAGES,
) -> Report:
    """Count, protect and arrange the evidence of one inspection (``records`` is read once, in one pass)."""
    builder = ReportBuilder(info, questionnaire, threshold=threshold, taxonomy=taxonomy, languages=languages)
    for record in records:
        builder.add(record)
    return builder.report()


def _raw_tables(
    tally: _Tally, closed: Sequence[Question], taxonomy: TaxonomyView, languages: Sequence[str]
) -> tuple[list[RawTable], list[Link]]:
    codes = list(languages) + sorted(set(tally.languages) - set(languages))
    tables = [RawTable(LANGUAGE_TABLE, "single", tally.total, tuple((c, tally.languages[c]) for c in codes))]
    for q in closed:
        kind: TableKind = "multi" if q.type is QuestionType.MULTI else "single"
        cells = tuple((c.id, tally.cells[q.id][c.id]) for c in q.choices)
        groups = tuple((g.key, g.members) for g in _groups(q))
        exclusive = tuple(c.id for c in q.choices if c.exclusive) if kind == "multi" else ()
        tables.append(RawTable(q.id, kind, tally.answered[q.id], cells, groups, exclusive))
    tables.append(RawTable(THEMES_TABLE, "count", tally.total, tuple((t.id, tally.themes[t.id]) for t in taxonomy.themes)))
    for t in taxonomy.themes:
        split = tally.sources[t.id]
        tables.append(RawTable(source_table_id(t.id), "single", tally.themes[t.id],
                               tuple((source, split[source]) for source in SOURCES), base_of=(THEMES_TABLE, t.id)))
    tables.append(RawTable(FLAGS_TABLE, "count", tally.total, tuple((f.id, tally.flags[f.id]) for f in taxonomy.flags)))
    published = {q.id: q for q in closed}
    links = []
    for q in closed:
        cond = q.show_if
        if cond is None or cond.question not in published:
            continue
        source = published[cond.question]
        keys = tuple(c.id for c in source.choices if c.id in cond.any_of)
        reachable = sum(tally.cells[source.id][k] for k in keys)
        exact = q.required and source.type is not QuestionType.MULTI and reachable == tally.answered[q.id]
        links.append(Link(q.id, source.id, keys, exact))
    return tables, links


def source_table_id(theme: str) -> str:
    return f"{THEMES_TABLE}:{theme}"


def _source_table(theme: str, p: ProtectedTable, themes: ProtectedTable) -> TableReport:
    """One theme's parents split by where the theme came from; its base is the theme's own figure."""
    rows = tuple(Row(key, SOURCE_LABELS[key], fig) for key, fig in p.cells)
    base = themes.cell(theme) if not themes.withheld else p.base
    return TableReport(source_table_id(theme), SOURCES_TITLE, "single", base, rows, withheld=p.withheld)


def _question_table(q: Question, p: ProtectedTable) -> TableReport:
    labels = {c.id: c.text for c in q.choices}
    rows = tuple(Row(key, labels[key], fig) for key, fig in p.cells)
    group_labels = {g.key: g.label for g in _groups(q)}
    groups = tuple(Row(key, group_labels[key], fig) for key, fig in p.groups)
    kind: TableKind = "multi" if q.type is QuestionType.MULTI else "single"
    return TableReport(
        q.id, q.text, kind, p.base, rows, groups, p.withheld,
        criteria=QUESTION_CRITERIA.get(q.id, ()), question_type=str(q.type),
    )


def _rank_key(fig: Figure) -> tuple[int, int]:
    """Order by what a reader can already tell: "all but fewer than N" first, then shown counts, then the
    rest; never by a suppressed count."""
    if fig.status is Status.NEARLY_ALL:
        return (0, 0)
    if fig.status is Status.SHOWN:
        return (1, -(fig.count or 0))
    if fig.status is Status.HIDDEN:
        return (2, 0)
    return (3, 0)


def _themes_table(p: ProtectedTable, taxonomy: TaxonomyView) -> TableReport:
    rows = [Row(t.id, t.name, p.cell(t.id), criteria=t.criteria) for t in taxonomy.themes] if not p.withheld else []
    rows.sort(key=lambda r: _rank_key(r.figure))  # stable: ties stay in taxonomy order
    return TableReport(THEMES_TABLE, THEMES_TITLE, "count", p.base, tuple(rows), withheld=p.withheld, percent_of="all")


def _findings(tables: dict[str, TableReport]) -> tuple[Finding, ...]:
    out = []
    for spec in FINDINGS:
        table = tables.get(spec.table)
        if table is None or table.withheld:
            continue
        try:
            row = table.row(spec.key)
        except StopIteration:
            continue
        out.append(Finding(spec.id, spec.table, spec.key, spec.kind, spec.singular, spec.plural, row.figure,
                           QUESTION_CRITERIA.get(spec.table, ())))
    return tuple(out)


def _criteria(
    taxonomy: TaxonomyView, themes: TableReport, tables: dict[str, TableReport], findings: Sequence[Finding]
) -> tuple[CriterionSection, ...]:
    sections = []
    for cid, text in taxonomy.criteria:
        theme_ids = tuple(r.key for r in themes.rows if cid in r.criteria)
        questions = tuple(qid for qid, crit in QUESTION_CRITERIA.items() if cid in crit and qid in tables)
        finding_ids = tuple(f.id for f in findings if cid in f.criteria)
        sections.append(CriterionSection(cid, text, theme_ids, questions, finding_ids))
    return tuple(sections)


def _quote_groups(
    questionnaire: Questionnaire, raw: Sequence[RawQuote], themes: TableReport
) -> tuple[QuoteGroup, ...]:
    """Each quote once, under the highest-ranked theme whose count is shown; the rest under "other".

    Quotes never sit under a theme whose count is suppressed: counting them would narrow that count.
    """
    ranked = [r.key for r in themes.rows if r.figure.status is Status.SHOWN]
    position = {key: i for i, key in enumerate(ranked)}
    buckets: dict[tuple[str, str | None], list[Quote]] = {}
    for qid, text, language, assigned in raw:
        shown = sorted((t for t in assigned if t in position), key=position.__getitem__)
        theme = shown[0] if shown else None
        buckets.setdefault((qid, theme), []).append(Quote(text, language, tuple(shown[1:])))
    groups = []
    for q in questionnaire.questions:
        for theme in [*ranked, None]:
            quotes = buckets.get((q.id, theme))
            if quotes:
                # Not in the order they arrived, which could follow submission times.
                quotes.sort(key=lambda quote: hashlib.sha256(quote.text.encode()).hexdigest())
                groups.append(QuoteGroup(q.id, q.text, theme, tuple(quotes)))
    return tuple(groups)


def _suppression(tables: Iterable[ProtectedTable]) -> Suppression:
    fewer = hidden = nearly_all = withheld = 0
    for t in tables:
        if t.withheld:
            # A theme raised by too few parents to split is already "fewer than N" in the themes table.
            withheld += not (t.id.startswith(f"{THEMES_TABLE}:") and t.withheld == "few_answers")
            continue
        for _, fig in (*t.cells, *t.groups):
            fewer += fig.status is Status.FEWER_THAN
            hidden += fig.status is Status.HIDDEN
            nearly_all += fig.status is Status.NEARLY_ALL
    return Suppression(fewer, hidden, withheld, nearly_all)
