"""Reports for inspectors: counting, disclosure control and the four renderers.

Disclosure control is tested three ways: hand-made tables whose danger is known (a total minus its cells),
the full report built from synthetic responses (every shown count really is at least the threshold), and
an exhaustive "reader" that tries every table consistent with what a report shows and checks that no
hidden figure is pinned to one value.
"""

from __future__ import annotations

import csv
import gettext
import io
import json
import re
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.i18n.catalog import Translator
from bot.privacy.scrub import scrub
from bot.privacy.scrub_version import scrubber_version
from bot.records import (
    INTERFACE_LANGUAGES,
    ResponseRecord,
    ThemeAssignment,
    effective_themes,
    themes_of,
)
from bot.reports.aggregate import build_report
from bot.reports.audit import pinned_figures, realisable
from bot.reports.chart import rating_bars, theme_bars, theme_chart_png, theme_chart_svg
from bot.reports.disclosure import (
    MIN_THRESHOLD,
    Link,
    RawTable,
    Status,
    check_threshold,
    protect,
    protect_one,
)
from bot.reports.evidence_map import FINDINGS, QUESTION_CRITERIA
from bot.reports.inference import AtMost, SumOf, infer
from bot.reports.render import render
from bot.reports.render_csv import COLUMNS
from bot.reports.render_text import TELEGRAM_LIMIT, render_text, telegram_length
from bot.reports.taxonomy_view import load_taxonomy
from bot.survey.model import load_questionnaire
from tests.report_factory import OLD_VERSION, english, make_info, make_records

Q = load_questionnaire()
T = 10


def report_of(records: list[ResponseRecord], **kw: object):
    return build_report(make_info(), Q, records, **kw)  # type: ignore[arg-type]


def text_answers(records: list[ResponseRecord]) -> list[str]:
    return [v for r in records for q in ("worked_well", "inspectors_should_know")
            if isinstance(v := r.answers.get(q), str)]


# ---------------------------------------------------------------- threshold


@pytest.mark.parametrize("bad", [4, 0, -1, 4.5, "10", True])
def test_threshold_below_five_or_not_a_number_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        check_threshold(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        report_of(make_records(20), threshold=bad)


def test_threshold_five_is_the_minimum_and_is_honoured() -> None:
    assert MIN_THRESHOLD == 5
    report = report_of(make_records(7, seed=1), threshold=5)
    assert report.total == 7
    for table in report.tables():
        for fig in table.figures():
            assert fig.count is None or fig.count >= 5


def test_nine_responses_show_nothing_at_all() -> None:
    records = make_records(9, seed=2)
    report = report_of(records)
    assert report.below_threshold and report.total is None
    assert report.tables() == () and report.findings == () and report.quotes == ()
    t = english()
    text = render(report, "text", t)
    html = render(report, "html", t)
    assert "fewer than 10 responses" in text
    assert "fewer than 10 responses" in html and "<svg" not in html and "<table" not in html
    assert not any(a in html for a in text_answers(records))
    data = json.loads(render(report, "json", t))
    assert data["total_responses"] is None and data["below_threshold"] is True and "tables" not in data
    rows = list(csv.DictReader(io.StringIO(render(report, "csv", t).lstrip("\ufeff"))))
    assert [r["value"] for r in rows if r["key"] == "total_responses"] == ["<10"]
    assert all(r["table"] == "report" for r in rows)
    assert theme_chart_png(report, t) == b"" and theme_chart_svg(report, t) == ""


@pytest.mark.parametrize("n", [10, 11])
def test_ten_and_eleven_responses_are_reported_with_only_safe_counts(n: int) -> None:
    report = report_of(make_records(n, seed=n))
    assert report.total == n
    for table in report.tables():
        for fig in table.figures():
            assert fig.count is None or fig.count >= T
            if fig.status is not Status.SHOWN:
                assert fig.count is None and fig.percent is None
    # With fewer than twice the threshold, every yes/no split has a small side: nothing in one can show.
    quote_free = [t for t in report.tables() if t.kind != "single" and not t.withheld]
    for table in quote_free:
        assert all(not r.figure.shown for r in table.rows)


# ---------------------------------------------------------------- primary and secondary suppression


def test_a_cell_recoverable_by_subtraction_is_protected_by_hiding_another() -> None:
    # total 25 = 20 + 5: showing 20 beside the total gives the 5 away.
    p = protect_one(RawTable("q", "single", 25, (("a", 20), ("b", 5))), T)
    assert p.cell("b").status is Status.FEWER_THAN
    assert p.cell("a").status is Status.HIDDEN and p.cell("a").count is None
    assert p.base.count == 25


def test_secondary_suppression_hides_the_smallest_other_cell() -> None:
    p = protect_one(RawTable("q", "single", 57, (("a", 30), ("b", 12), ("c", 11), ("d", 4))), T)
    assert [f.status for _, f in p.cells] == [Status.SHOWN, Status.SHOWN, Status.HIDDEN, Status.FEWER_THAN]
    assert pinned_figures(RawTable("q", "single", 57, (("a", 30), ("b", 12), ("c", 11), ("d", 4))), T) == {}


def test_two_small_cells_that_sum_to_zero_are_not_left_for_the_reader() -> None:
    table = RawTable("q", "single", 25, (("a", 25), ("b", 0), ("c", 0)))
    p = protect_one(table, T)
    assert p.cell("a").status is not Status.SHOWN
    assert pinned_figures(table, T) == {}


def test_percentages_are_hidden_with_their_counts() -> None:
    p = protect_one(RawTable("q", "single", 40, (("a", 25), ("b", 12), ("c", 3))), T)
    for _, fig in p.cells:
        if fig.shown:
            assert fig.percent == pytest.approx(fig.count / 40)
        else:
            assert fig.percent is None and fig.count is None


def test_a_subtotal_cannot_give_away_its_small_member() -> None:
    # "good or very good" = 4 + 5; showing 15 and the 4s (12) would give the 5s (3).
    cells = (("1", 11), ("2", 10), ("3", 14), ("4", 12), ("5", 3), ("dont_know", 10))
    table = RawTable("scale", "single", 60, cells, groups=(("poor", ("1", "2")), ("good", ("4", "5"))))
    p = protect_one(table, T)
    assert p.cell("5").status is Status.FEWER_THAN
    assert not (p.cell("4").shown and p.group("good").shown)
    assert pinned_figures(table, T) == {}


def test_multi_choice_rows_are_yes_no_splits_so_near_total_rows_are_hidden() -> None:
    table = RawTable("m", "multi", 40, (("x", 38), ("y", 20), ("z", 4)))
    p = protect_one(table, T)
    assert p.cell("x").status is Status.NEARLY_ALL  # 38 of 40 would say exactly 2 did not choose it
    assert p.cell("y").shown and p.cell("y").count == 20
    assert p.cell("z").status is Status.FEWER_THAN


def test_multi_choice_exclusive_answers_cannot_reveal_that_nobody_chose_the_rest() -> None:
    # Everyone chose "none" or "not sure": the other options are then all exactly zero.
    cells = (("sent_home", 0), ("suspended", 0), ("none", 18), ("not_sure", 12))
    table = RawTable("excluded", "multi", 30, cells, exclusive=("none", "not_sure"))
    p = protect_one(table, T)
    assert not (p.cell("none").shown and p.cell("not_sure").shown)
    assert pinned_figures(table, T) == {}


def test_a_conditional_question_cannot_reveal_a_hidden_answer_it_depends_on() -> None:
    # A question asked only of ages 14 to 18, answered by 29, set against 14-15 = 20 shown, would give
    # 16-18 >= 9, i.e. exactly 9 (and then 19-25 = 5), while the age table shows both as "fewer than 10".
    ages = RawTable("age_band", "single", 65,
                    (("under_14", 31), ("14_to_15", 20), ("16_to_18", 9), ("19_to_25", 5)))
    asked = RawTable("next_steps", "single", 29, (("good", 15), ("poor", 14)))
    link = Link("next_steps", "age_band", ("14_to_15", "16_to_18"))
    alone = protect([ages], T, total=65)["age_band"]
    assert alone.cell("14_to_15").shown  # on its own, the age table needs no secondary suppression
    linked = protect([ages, asked], T, total=65, links=[link])["age_band"]
    assert linked.cell("16_to_18").status is Status.FEWER_THAN
    assert not linked.cell("14_to_15").shown


def test_a_question_answered_by_too_few_is_withheld() -> None:
    p = protect_one(RawTable("q", "single", 8, (("a", 5), ("b", 3))), T)
    assert p.withheld == "few_answers" and p.cells == () and p.base.status is Status.FEWER_THAN


def test_a_table_that_cannot_be_protected_is_withheld() -> None:
    # Both options chosen by all 10: "hidden" (at least 10, out of 10) would mean exactly 10.
    p = protect_one(RawTable("q", "multi", 10, (("a", 10), ("b", 10))), T)
    assert p.withheld == "small_numbers" and p.cells == () and p.base.count == 10


def test_the_reader_catches_a_table_protected_by_primary_suppression_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The exhaustive reader is not toothless: without secondary suppression it finds the hidden 5."""
    import bot.reports.disclosure as disclosure

    monkeypatch.setattr(disclosure, "_suppress_secondary", lambda model: None)
    assert pinned_figures(RawTable("q", "single", 25, (("a", 20), ("b", 5))), T) == {"b": {5}}
    multi = RawTable("m", "multi", 30, (("x", 0), ("y", 0), ("none", 20), ("unsure", 10)), exclusive=("none", "unsure"))
    assert pinned_figures(multi, T) == {"x": {0}, "y": {0}}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(st.sampled_from([0, 1, 2, 3, 5, 8, 9, 10, 11, 12, 14, 17, 20, 35]), min_size=2, max_size=6),
    grouped=st.booleans(),
    threshold=st.sampled_from([5, 10]),
)
def test_no_hidden_single_answer_figure_can_be_worked_out(cells: list[int], grouped: bool, threshold: int) -> None:
    keys = [f"k{i}" for i in range(len(cells))]
    groups = (("g", (keys[0], keys[1])),) if grouped and len(cells) >= 3 else ()
    if grouped and len(cells) >= 5:
        groups += (("h", (keys[3], keys[4])),)
    table = RawTable("q", "single", sum(cells), tuple(zip(keys, cells, strict=True)), groups)
    assert pinned_figures(table, threshold) == {}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.integers(10, 15),
    cells=st.lists(st.integers(0, 15), min_size=2, max_size=3),
    exclusive=st.booleans(),
    kind=st.sampled_from(["multi", "count"]),
)
def test_no_hidden_multi_choice_figure_can_be_worked_out(base: int, cells: list[int], exclusive: bool, kind: str) -> None:
    cells = [min(c, base) for c in cells]
    keys = [f"k{i}" for i in range(len(cells))]
    excl = (keys[-1],) if exclusive and kind == "multi" else ()
    if kind == "multi" and not realisable(tuple(cells), {len(cells) - 1} if excl else set(), base):
        return
    table = RawTable("m", kind, base, tuple(zip(keys, cells, strict=True)), exclusive=excl)  # type: ignore[arg-type]
    assert pinned_figures(table, T) == {}


def test_inference_finds_a_value_fixed_by_a_total() -> None:
    known = {"total": (25, 25), "a": (20, 20), "b": (0, 9)}
    result = infer(known, [SumOf("total", ("a", "b"))])
    assert result.converged and result.bounds["b"] == (5, 5)
    ordered = infer({"x": (10, 100), "y": (10, 10)}, [AtMost("x", "y")])
    assert ordered.bounds["x"] == (10, 10)


# ---------------------------------------------------------------- the whole report


def true_counts(records: list[ResponseRecord]) -> dict[tuple[str, str], int]:
    counts: Counter[tuple[str, str]] = Counter()
    for r in records:
        counts[("language", r.language)] += 1
        for q in Q.questions:
            if q.show_if is not None and not q.show_if.holds(r.answers):  # type: ignore[arg-type]
                continue
            v = r.answers.get(q.id)
            for item in v if isinstance(v, list) else [v]:
                if item is not None:
                    counts[(q.id, str(item))] += 1
        for theme in themes_of(r):
            counts[("themes", theme)] += 1
        for flag in set(r.flags):
            counts[("flags", flag)] += 1
    return counts


@pytest.mark.parametrize(("n", "seed"), [(25, 1), (40, 2), (300, 3)])
def test_every_report_figure_is_true_and_small_ones_are_suppressed(n: int, seed: int) -> None:
    records = make_records(n, seed=seed)
    report = report_of(records)
    truth = true_counts(records)
    for table in report.tables():
        if table.withheld:
            continue
        for row in table.rows:
            value = truth[(table.id, row.key)]
            fig = row.figure
            if fig.shown:
                assert fig.count == value >= T
                assert fig.percent == pytest.approx(value / table.base.count)
            elif fig.status is Status.FEWER_THAN:
                assert value < T and fig.percent is None
            elif fig.status is Status.NEARLY_ALL:
                assert table.base.count - T < value <= table.base.count and fig.percent is None
            else:
                assert value >= T and fig.percent is None


def test_language_table_lists_every_interface_language_even_unused_ones() -> None:
    report = report_of(make_records(60, seed=4, languages=("en", "pl")))
    languages = report.table("language")
    assert [r.key for r in languages.rows] == list(INTERFACE_LANGUAGES)
    assert languages.row("so").figure.status is Status.FEWER_THAN  # zero is said as "fewer than 10"


def test_answers_to_skipped_or_malformed_questions_are_not_counted() -> None:
    records = make_records(30, seed=5)
    bad = [replace(r, answers={**r.answers, "support": "none", "assessment_wait": "refused",
                               "needs": ["communication", "communication"], "identified": 9})
           for r in records]
    report = report_of(bad)
    assert report.table("assessment_wait").withheld == "few_answers"
    assert report.table("needs").withheld == "few_answers"
    assert report.table("identified").withheld == "few_answers"


@settings(max_examples=300, deadline=None)
@given(
    qid=st.sampled_from([q.id for q in Q.questions if q.type.value in ("choice", "multi", "scale", "yesno")]),
    value=st.one_of(
        st.none(), st.booleans(), st.integers(-2, 7), st.floats(allow_nan=False), st.text(max_size=12),
        st.sampled_from(["dont_know", "yes", "no", "refused", "none", "not_sure", "sent_home", "ehc_plan"]),
        st.lists(st.sampled_from(["none", "not_sure", "sent_home", "suspended", "camhs", "transport",
                                  "learning", "other", "x"]), max_size=4),
    ),
)
def test_fast_answer_check_agrees_with_the_questionnaire(qid: str, value: object) -> None:
    from bot.reports.aggregate import _Cells

    q = Q.question(qid)
    assert q is not None
    exclusive = {c.id for c in q.choices if c.exclusive}
    mixed = isinstance(value, list) and len(value) > 1 and bool(exclusive & set(value))
    expected = not isinstance(value, bool) and value is not None and q.valid_value(value) and not mixed
    assert (_Cells(q)(value) is not None) == expected


def test_parent_choice_outranks_the_classifier_for_that_question_only() -> None:
    record = ResponseRecord("en", {}, {}, (
        ThemeAssignment("transport", "inspectors_should_know", "classifier"),
        ThemeAssignment("mental_health", "inspectors_should_know", "parent"),
        ThemeAssignment("school_places", "worked_well", "classifier"),
        ThemeAssignment("exclusion_attendance", "excluded", "rule"),
        ThemeAssignment("therapy_waits", "inspectors_should_know", "rule"),
    ))
    assert effective_themes(record) == {
        "inspectors_should_know": frozenset({"mental_health", "therapy_waits"}),
        "worked_well": frozenset({"school_places"}),
        "excluded": frozenset({"exclusion_attendance"}),
    }


def test_theme_counts_follow_the_parent_and_count_each_parent_once() -> None:
    base = make_records(30, seed=6)
    records = []
    for r in base:
        records.append(replace(r, themes=(
            ThemeAssignment("transport", "inspectors_should_know", "classifier"),
            ThemeAssignment("personal_budgets", "inspectors_should_know", "parent"),
            ThemeAssignment("personal_budgets", "worked_well", "classifier"),
            ThemeAssignment("personal_budgets", "services_waited", "rule"),
        )))
    report = report_of(records)
    themes = report.themes
    assert themes is not None
    assert themes.row("transport").figure.status is Status.FEWER_THAN  # overruled by every parent
    # Raised by all 30 in three places, counted once each: "all but fewer than 10" (30 of 30 would say
    # exactly that none did not).
    assert themes.row("personal_budgets").figure.status is Status.NEARLY_ALL
    records[0] = replace(records[0], themes=())
    records = records + make_records(15, seed=60)
    counts = [r for r in report_of(records).themes.rows if r.key == "personal_budgets"]
    assert counts[0].figure.count == 29


def test_quotes_come_only_from_parents_who_agreed_in_their_own_language() -> None:
    records = make_records(120, seed=7)
    report = report_of(records)
    agreed = {v for r in records if r.answers.get("quote_ok") == "yes"
              for q in ("worked_well", "inspectors_should_know") if isinstance(v := r.answers.get(q), str)}
    refused = {v for r in records if r.answers.get("quote_ok") != "yes"
               for q in ("worked_well", "inspectors_should_know") if isinstance(v := r.answers.get(q), str)}
    quoted = [q for g in report.quotes for q in g.quotes]
    assert quoted and {q.text for q in quoted} <= agreed
    assert not ({q.text for q in quoted} & (refused - agreed))
    expected = sum(1 for r in records if r.answers.get("quote_ok") == "yes"
                   for q in ("worked_well", "inspectors_should_know") if isinstance(r.answers.get(q), str))
    assert len(quoted) == expected
    by_text = {}
    for r in records:
        for q in ("worked_well", "inspectors_should_know"):
            if isinstance(r.answers.get(q), str):
                by_text[r.answers[q]] = r.text_languages[q]
    assert all(q.language == by_text[q.text] for q in quoted)


def test_quotes_sit_only_under_themes_whose_count_is_shown() -> None:
    report = report_of(make_records(80, seed=8))
    assert report.themes is not None
    shown = {r.key for r in report.themes.rows if r.figure.shown}
    for group in report.quotes:
        assert group.theme is None or group.theme in shown
        for q in group.quotes:
            assert set(q.also) <= shown


def test_quotes_are_not_labelled_with_family_attributes() -> None:
    records = make_records(60, seed=9)
    html = render(report_of(records), "html", english())
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S)
    assert captions
    attribute_labels = [c.text for qid in ("age_band", "setting", "support", "needs") for c in Q.question(qid).choices]
    for caption in captions:
        assert not any(label in caption for label in attribute_labels)


def test_findings_are_neutral_counts() -> None:
    for spec in FINDINGS:
        for text in (spec.singular, spec.plural):
            assert "%(count)s" in text and "%(percent)s" in text
            assert " feel" not in text and "believe" not in text
    report = report_of(make_records(200, seed=10))
    sentences = [s for s in json.loads(render(report, "json", english()))["findings"] if s["text"]]
    assert sentences and all(re.match(r"^\d+ parents? \(\d+%\) (reported|rated|described)", s["text"]) for s in sentences)


def test_criteria_sections_map_questions_and_themes() -> None:
    report = report_of(make_records(100, seed=11))
    e1 = next(c for c in report.criteria if c.id == "E1")
    assert {"identified", "assessment_wait"} <= set(e1.questions)
    assert "ehc_assessment_delay" in e1.themes
    for section in report.criteria:
        for qid in section.questions:
            assert section.id in QUESTION_CRITERIA[qid]
        for tid in section.themes:
            assert section.id in load_taxonomy().theme(tid).criteria  # type: ignore[union-attr]


def test_a_suppressed_count_leaves_no_trace_in_any_output() -> None:
    """Two inspections that differ only in a count under the threshold produce identical reports."""
    base = make_records(60, seed=12)

    def with_budgets(k: int) -> list[ResponseRecord]:
        return [replace(r, themes=(*r.themes, ThemeAssignment("personal_budgets", "services_waited", "rule")))
                if i < k else replace(r, themes=tuple(a for a in r.themes if a.theme != "personal_budgets"))
                for i, r in enumerate(base)]

    a, b = report_of(with_budgets(2)), report_of(with_budgets(8))
    t = english()
    for fmt in ("text", "html", "csv", "json"):
        assert render(a, fmt, t) == render(b, fmt, t)  # type: ignore[arg-type]
    assert theme_chart_png(a, t) == theme_chart_png(b, t)


# ---------------------------------------------------------------- renderers


def test_csv_and_json_hold_aggregates_only() -> None:
    records = make_records(150, seed=13)
    report = report_of(records)
    t = english()
    csv_text = render(report, "csv", t)
    json_text = render(report, "json", t)
    for answer in text_answers(records):
        assert answer not in csv_text and answer not in json_text
    assert "forum-a" not in csv_text + json_text
    rows = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) < 400  # one row per published figure, not per respondent
    for row in rows:
        if row["status"] == "fewer_than":
            assert row["value"] == "<10" and row["percent"] == ""
        if row["status"] == "hidden":
            assert row["value"] == "hidden" and row["percent"] == ""
        if row["status"] == "nearly_all":
            assert row["value"] == f">{int(row['base']) - T}" and row["percent"] == ""
        if row["status"] == "shown" and row["row_type"] != "base":
            assert int(row["value"]) >= T
    data = json.loads(json_text)
    assert data["schema"] == "parentvoice.report/1" and data["total_responses"] == 150
    for table in data["tables"]:
        for row in table["rows"] + table["groups"]:
            assert row["suppressed"] == (row["count"] is None)
            assert (row["percent"] is None) == row["suppressed"]
            assert ("at_most" in row) == (row["status"] == "fewer_than")
            assert ("at_least" in row) == (row["status"] == "nearly_all")
    assert "quotes" not in data


def test_text_summary_fits_telegram_and_escapes() -> None:
    report = build_report(make_info(area_name="Bath & <North> East"), Q, make_records(500, seed=14))
    text = render(report, "text", english())
    assert isinstance(text, str) and telegram_length(text) <= TELEGRAM_LIMIT
    assert "Bath &amp; &lt;North&gt; East" in text and "<North>" not in text
    assert text.count("<b>") == text.count("</b>") > 0
    assert re.sub(r"</?b>", "", text).count("<") == 0


class _Verbose(gettext.NullTranslations):
    """A translation five times longer than English, to push the summary past the limit."""

    def gettext(self, message: str) -> str:
        return " ".join([message] * 5)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return " ".join([singular if n == 1 else plural] * 5)


def test_text_summary_is_cut_to_whole_lines_when_a_translation_is_long() -> None:
    report = report_of(make_records(500, seed=15))
    text = render_text(report, Translator("xx", "en_GB", False, _Verbose()), limit=1500)
    assert telegram_length(text) <= 1500
    for line in text.split("\n"):
        assert line.count("<b>") == line.count("</b>")


def test_html_escapes_everything_and_marks_quote_direction() -> None:
    records = make_records(40, seed=16)
    hostile = "<img src=x onerror=alert(1)> & \"quoted\""
    records[0] = replace(records[0], answers={**records[0].answers, "inspectors_should_know": hostile,
                                              "quote_ok": "yes"}, text_languages={"inspectors_should_know": "en"})
    records[1] = replace(records[1], answers={**records[1].answers, "inspectors_should_know": "ننتظر منذ سنة.",
                                              "quote_ok": "yes"}, text_languages={"inspectors_should_know": "ar"})
    report = build_report(make_info(area_name="<script>x</script>"), Q, records)
    html = render(report, "html", english())
    assert "<script" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;" in html
    assert re.search(r'<blockquote lang="ar" dir="rtl">ننتظر منذ سنة.</blockquote>', html)
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html.replace(
        "https://example.org/survey", "")


@pytest.mark.parametrize("code", INTERFACE_LANGUAGES)
def test_every_renderer_works_with_any_translator(code: str) -> None:
    locale = {"zh_Hans": "zh_Hans_CN"}.get(code, code)
    t = Translator(code, locale, code in ("ar", "ur", "fa", "ps"), gettext.NullTranslations())
    report = report_of(make_records(30, seed=17))
    for fmt in ("text", "html", "csv", "json"):
        out = render(report, fmt, t)  # type: ignore[arg-type]
        assert isinstance(out, str) and out
    html = render(report, "html", t)
    assert f'dir="{"rtl" if t.rtl else "ltr"}"' in html


def test_render_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError):
        render(report_of(make_records(20)), "pdf", english())  # type: ignore[arg-type]


def test_chart_never_draws_a_suppressed_bar_at_its_true_length() -> None:
    report = report_of(make_records(40, seed=18))
    t = english()
    bars = theme_bars(report, t, limit=None) + rating_bars(report, t)
    suppressed = [b for b in bars if not b.figure.shown]
    assert suppressed, "the sample should include suppressed bars"
    assert all(b.length is None for b in suppressed)
    assert all(b.length is not None and b.length > 0 for b in bars if b.figure.shown)
    png = theme_chart_png(report, t)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    svg = theme_chart_svg(report, t)
    assert svg.startswith("<svg") and "fewer than 10" in svg and "<script" not in svg


def _stored_by(records: list, text: str, version: str | None) -> list:
    """The first record's concern replaced by ``text``, stored (as the bot would) by the scrubber ``version``."""
    first = records[0]
    scrubbed_by = {k: v for k, v in first.scrubbed_by.items() if k != "inspectors_should_know"}
    if version is not None:
        scrubbed_by["inspectors_should_know"] = version
    records[0] = replace(first, answers={**first.answers, "inspectors_should_know": text, "quote_ok": "yes"},
                         text_languages={"inspectors_should_know": "en"}, scrubbed_by=scrubbed_by)
    return records


@pytest.mark.parametrize("version", [None, OLD_VERSION], ids=["no version", "older version"])
def test_quotes_are_scrubbed_again_by_the_current_scrubber(version: str | None) -> None:
    """Text stored by an older scrubber, or with no version (stored before versions were kept), never reaches
    a report as stored (issues 13.1 and 11.3)."""
    old = "oliver has been out of school, ring seven seven zero zero nine zero zero one two three \x1b[31mnow\x1b[0m"
    records = _stored_by(make_records(40, seed=21), old, version)
    report = build_report(make_info(), Q, records)
    quoted = [q.text for g in report.quotes for q in g.quotes]
    mine = [t for t in quoted if "out of school" in t]
    assert mine == ["[name] has been out of school, ring [phone] now"]
    html = render(report, "html", english())
    assert "oliver" not in html and "seven seven" not in html and "\x1b" not in html


def test_a_quote_stored_by_the_current_scrubber_is_used_as_stored() -> None:
    """A quote the current scrubber cleaned is not scrubbed again (issue 11.3: that was 77% of the build).

    To show the skip, the text stored here still holds a name the current scrubber removes, and is marked as
    cleaned by it: it comes out unchanged. That can never happen in the bot: only the bot writes the version,
    beside the very text ``scrub`` returned (bot/telegram/saving.py, tests/test_privacy_e2e.py), and scrubbing
    is idempotent, so for real data the skip gives what a second scrub would.
    """
    stored = "Mrs Khan at the council never replies"
    assert scrub(stored, "en").text == "Mrs [name] at the council never replies"  # the scrubber would change it
    records = _stored_by(make_records(40, seed=21), stored, scrubber_version())
    report = build_report(make_info(), Q, records)
    quoted = [q.text for g in report.quotes for q in g.quotes]
    assert [t for t in quoted if "council never replies" in t] == [stored]
