"""What the report means, checked on its outputs: charts draw no suppressed count as a bar, colours have one
meaning and one key, no heading leads to nothing, flags say a suppressed count may be none, and the summary
an inspector reads first fits one screen (issue 10)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matplotlib.patches import Rectangle

from bot.broadcast.forum_views import reach_view
from bot.broadcast.reach import Fact, reach
from bot.i18n.catalog import translator
from bot.inspection import Inspection
from bot.records import ThemeAssignment, theme_sources
from bot.reports.aggregate import build_report
from bot.reports.chart import (
    COUNT_COLOUR,
    PALETTE,
    rating_bars,
    ratings_chart_svg,
    ratings_figure,
    theme_bars,
    theme_chart_svg,
    theme_figure,
)
from bot.reports.disclosure import RawTable, Status, protect
from bot.reports.render_html import render_html
from bot.reports.render_json import render_json
from bot.reports.render_text import SCREEN_CHARS, SCREEN_LINES, render_text, screen_lines, telegram_length
from bot.reports.wording import count_text
from bot.survey.model import load_questionnaire
from tests.report_factory import english, make_info, make_records

Q = load_questionnaire()
SVG = "{http://www.w3.org/2000/svg}"


def report_of(n: int, seed: int):
    return build_report(make_info(), Q, make_records(n, seed=seed))


def _groups(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def _fill(group: ET.Element) -> str | None:
    for el in group.iter():
        m = re.search(r"fill:\s*(#[0-9a-fA-F]{6})", el.get("style", ""))
        if m:
            return m.group(1).lower()
    return None


def test_charts_draw_no_bar_for_a_suppressed_count_only_its_words() -> None:
    report, t = report_of(40, 18), english()
    for bars, svg in ((theme_bars(report, t, limit=None), theme_chart_svg(report, t)),
                      (rating_bars(report, t), ratings_chart_svg(report, t))):
        groups = _groups(svg)
        statuses = {b.figure.status for b in bars}
        assert Status.SHOWN in statuses and statuses - {Status.SHOWN}, "sample needs shown and suppressed rows"
        for bar in bars:
            if bar.figure.shown:
                assert f"bar-{bar.key}" in groups and f"marker-{bar.key}" not in groups
                assert _fill(groups[f"bar-{bar.key}"]) == bar.colour
            else:
                assert f"bar-{bar.key}" not in groups, f"{bar.key} is suppressed but has a bar"
                text = "".join(groups[f"marker-{bar.key}"].itertext()).strip()
                assert text == count_text(bar.figure, report, t)


def test_matplotlib_figures_hold_one_rectangle_per_shown_count_and_a_marker_per_suppressed_one() -> None:
    report, t = report_of(40, 18), english()
    for bars, fig in ((theme_bars(report, t, limit=None), theme_figure(report, t, None)),
                      (rating_bars(report, t), ratings_figure(report, t))):
        assert fig is not None
        ax = fig.axes[0]
        rects = [p for p in ax.patches if isinstance(p, Rectangle)]
        shown = [b for b in bars if b.figure.shown]
        assert len(rects) == len(shown), "a suppressed count was drawn as a shape"
        assert sorted(r.get_gid() for r in rects) == sorted(f"bar-{b.key}" for b in shown)
        for rect, bar in zip(sorted(rects, key=lambda r: r.get_gid()), sorted(shown, key=lambda b: f"bar-{b.key}"),
                             strict=True):
            assert rect.get_width() == bar.length
        markers = {txt.get_gid(): txt.get_text() for txt in ax.texts if (txt.get_gid() or "").startswith("marker-")}
        assert markers == {f"marker-{b.key}": count_text(b.figure, report, t) for b in bars if not b.figure.shown}
        assert not ax.get_legend(), "the report has one legend, in the HTML"


def test_colours_mean_the_same_in_every_chart_and_table_with_one_key() -> None:
    report, t = report_of(40, 18), english()
    html = render_html(report, t)
    assert html.count('id="legend"') == 1
    legend = html[html.index('id="legend"'):]
    legend = legend[:legend.index("</div>")]
    for name in PALETTE:
        assert f"swatch {name}" in legend
    for marker in ("fewer than 10", "all but fewer than 10", "hidden"):
        assert marker in legend
    for name, colour in PALETTE.items():
        assert f"--{name}: {colour};" in html
    for bar in theme_bars(report, t, limit=None):
        assert bar.colour == COUNT_COLOUR
    for bar in rating_bars(report, t):
        assert bar.colour == PALETTE[bar.key.rsplit("-", 1)[1]]
    # Table rows of the same subtotals use the same colour classes.
    assert 'class="bar poor"' in html and 'class="bar good"' in html
    fills = set()
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        for gid, group in _groups(svg).items():
            if gid.startswith("bar-"):
                fills.add(_fill(group))
    assert fills and fills <= set(PALETTE.values())


# ---------------------------------------------------------------- headings, flags, the first screen


class _Outline(HTMLParser):
    """Each h1-h4 with whether any text (outside headings) follows it before the next heading of its level."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[list] = []  # [level, text, has_content]
        self.in_heading = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if re.fullmatch(r"h[1-4]", tag):
            level = int(tag[1])
            self.headings.append([level, "", False])
            self.in_heading = level

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-4]", tag):
            self.in_heading = 0

    def handle_data(self, data: str) -> None:
        if not data.strip() or not self.headings:
            return
        if self.in_heading:
            self.headings[-1][1] += data
            return
        # Text counts for the last heading and for every open heading above it.
        level = 99
        for h in reversed(self.headings):
            if h[0] < level:
                h[2] = True
                level = h[0]


def empty_headings_html(html: str) -> list[str]:
    outline = _Outline()
    outline.feed(html)
    return [text for _, text, content in outline.headings if not content]


def empty_headings_text(text: str) -> list[str]:
    """Telegram text: a bold line must be followed by a line that is not itself a heading."""
    lines = [line for line in text.split("\n") if line.strip()]
    heading = re.compile(r"^<b>[^<]*</b>$")
    return [line for i, line in enumerate(lines)
            if heading.match(line) and (i + 1 == len(lines) or heading.match(lines[i + 1]))]


REPORTS = ((12, 3), (40, 18), (300, 1))


@pytest.mark.parametrize(("n", "seed"), REPORTS)
def test_no_heading_in_the_summary_or_the_html_leads_to_nothing(n: int, seed: int) -> None:
    report, t = report_of(n, seed), english()
    text = render_text(report, t)
    assert empty_headings_text(text) == []
    assert empty_headings_html(render_html(report, t)) == []
    languages = next(line for line in text.split("\n") if "anguages" in line)
    assert not languages.startswith("Other languages"), "\"Other languages\" with no first language"


def test_other_languages_never_comes_without_a_first_language() -> None:
    report = report_of(12, 3)  # twelve parents in twelve languages: no language reaches ten
    assert not any(r.figure.shown for r in report.profile[0].rows)
    text = render_text(report, english())
    assert "Other languages" not in text
    assert "Languages: every number is too small to show." in text


@pytest.mark.parametrize("facts", [[], [Fact(date(2026, 10, 1), None, "en", True)] * 3,
                                   [Fact(date(2026, 10, 1), date(2026, 10, 2), "pl", True)] * 12])
def test_reach_headings_never_lead_to_nothing(facts: list[Fact]) -> None:
    inspection = Inspection("derby26", "E06000015", date(2026, 10, 1), date(2026, 10, 7))
    r = reach(facts, [date(2026, 10, 1), date(2026, 10, 2)])
    for code in ("en", "ur"):
        reply = reach_view(translator(code), inspection, r, own_link=True)
        assert empty_headings_text(reply.text) == [], reply.text


def test_flags_with_a_suppressed_count_say_it_may_be_none() -> None:
    report, t = report_of(40, 18), english()
    assert report.flags is not None
    small = [row for row in report.flags.rows if row.figure.status is Status.FEWER_THAN]
    assert small, "the sample should have a flag under the threshold"
    html = render_html(report, t)
    flags = html[html.index('id="flags"'):html.index('id="strengths"')]
    for row in small:
        m = re.search(re.escape(t.gettext(row.label)) + r"</td><td[^>]*>([^<]*)</td>", flags)
        assert m and m.group(1) == "fewer than 10 (may be none)", row.key
    # Other tables keep the plain marker: "may be none" is about flags, which nobody may have raised.
    assert "fewer than 10</td>" in html


@pytest.mark.parametrize("code", ["en", "pl", "ur", "so", "ar", "bn", "zh_Hans", "uk"])
@pytest.mark.parametrize(("n", "seed"), REPORTS)
def test_the_summary_fits_one_phone_screen_with_the_key_figures(code: str, n: int, seed: int) -> None:
    report, t = report_of(n, seed), translator(code)
    text = render_text(report, t)
    assert screen_lines(text) <= SCREEN_LINES
    assert telegram_length(text) <= SCREEN_CHARS
    assert t.ngettext("%(count)s response", "%(count)s responses", report.total or 0) in text
    assert f"/report {report.info.id}" in text  # where the rest is
    if report.themes is not None and not report.themes.withheld and report.themes.rows[0].figure.status in (
            Status.SHOWN, Status.NEARLY_ALL):
        assert t.gettext(report.themes.rows[0].label) in text


# ---------------------------------------------------------------- parents' own themes and the classifier's


def _themes_and_split(total: int, p: int, c: int, r: int) -> list[RawTable]:
    x = p + c + r
    return [RawTable("themes", "count", total, (("a", x), ("b", total // 2))),
            RawTable("themes:a", "single", x, (("parent", p), ("classifier", c), ("rule", r)),
                     base_of=("themes", "a"))]


def _possible(status: Status, count: int | None, lo_hidden: int, hi: int, t: int, base: int) -> range:
    if status is Status.SHOWN:
        return range(count, count + 1)  # type: ignore[arg-type]
    if status is Status.FEWER_THAN:
        return range(0, t)
    if status is Status.NEARLY_ALL:
        return range(max(t, base - t + 1), base + 1)
    return range(max(t, lo_hidden), hi + 1)


@settings(max_examples=150, deadline=None)
@example(v=(20, 0, 10, 10))  # every answer of a theme in two hidden cells of 10: found by Hypothesis
@given(st.integers(10, 40).flatmap(lambda total: st.tuples(
    st.just(total), st.integers(0, total), st.integers(0, total), st.integers(0, total)))
    .filter(lambda v: v[1] + v[2] + v[3] <= v[0]))
def test_a_hidden_source_cell_cannot_be_worked_out_and_never_costs_the_theme_figure(v: tuple[int, ...]) -> None:
    total, p, c, r = v
    tables = _themes_and_split(total, p, c, r)
    out = protect(tables, 10, total=total)
    alone = protect(tables[:1], 10, total=total)
    assert out["themes"].withheld == alone["themes"].withheld
    if out["themes"].withheld:
        assert out["themes:a"].withheld
        return
    theme = out["themes"].cell("a")
    assert theme == alone["themes"].cell("a"), "the breakdown changed the theme's own figure"
    split = out["themes:a"]
    if p + c + r < 10:
        assert split.withheld == "few_answers"
        return
    if split.withheld:
        return
    # A brute-force reader: every (x, p, c, r) consistent with what is shown.
    x_range = _possible(theme.status, theme.count, 0, total, 10, total)
    cells = [split.cell(k) for k in ("parent", "classifier", "rule")]
    seen: list[set[int]] = [set(), set(), set(), set()]
    for x in x_range:
        ranges = [_possible(f.status, f.count, 0, x, 10, x) for f in cells]
        for a in ranges[0]:
            for b in ranges[1]:
                rest = x - a - b
                if rest in ranges[2]:
                    for i, value in enumerate((x, a, b, rest)):
                        seen[i].add(value)
    assert all(seen), "the shown figures contradict each other"
    true = (p + c + r, p, c, r)
    for fig, values, value in zip([theme, *cells], seen, true, strict=True):
        assert value in values
        if fig.status is not Status.SHOWN:
            assert len(values) > 1, f"a hidden figure is pinned to {values}"


def test_parent_chosen_and_classifier_themes_are_counted_separately() -> None:
    base = make_records(60, seed=5)
    records = []
    for i, rec in enumerate(base):
        themes = [a for a in rec.themes if a.source == "rule" and a.theme != "transport"]
        if i < 14:  # chose it themselves; the classifier also found it elsewhere: still the parent's own
            themes += [ThemeAssignment("transport", "worked_well", "parent"),
                       ThemeAssignment("transport", "inspectors_should_know", "classifier")]
        elif i < 26:  # only the classifier, on an answer they did not code
            themes += [ThemeAssignment("transport", "inspectors_should_know", "classifier")]
        elif i < 30:  # the classifier on an answer the parent coded otherwise: not counted
            themes += [ThemeAssignment("transport", "worked_well", "classifier"),
                       ThemeAssignment("mental_health", "worked_well", "parent")]
        elif i < 41:  # only from a closed answer
            themes += [ThemeAssignment("transport", "services_waited", "rule")]
        records.append(replace(rec, themes=tuple(themes)))
    report = build_report(make_info(), Q, records)
    split = report.source_split("transport")
    assert split is not None and not split.withheld
    assert report.themes is not None and report.themes.row("transport").figure.count == 37
    assert {row.key: row.figure.count for row in split.rows} == {"parent": 14, "classifier": 12, "rule": 11}
    html = render_html(report, english())
    row = html[html.index('id="sources-transport"'):]
    row = row[:row.index("</tr>")]
    assert '<td class="num" data-source="parent">14</td>' in row
    assert '<td class="num" data-source="classifier">12</td>' in row
    assert "How each theme was found" in html
    method = html[html.index('id="method"'):html.index('id="legend"')]
    assert "counted separately" in method
    data = json.loads(render_json(report, english()))
    by_id = {t["id"]: t for t in data["theme_sources"]}
    assert {r["key"]: r["count"] for r in by_id["themes:transport"]["rows"]} == {
        "parent": 14, "classifier": 12, "rule": 11}
    # One source with nobody: "fewer than 10" (never "0"), and another cell hidden so it cannot be worked out.
    records = [replace(rec, themes=tuple(a for a in rec.themes if a.source != "rule" or a.theme != "transport"))
               if 30 <= i < 41 else rec for i, rec in enumerate(records)]
    split = build_report(make_info(), Q, records).source_split("transport")
    assert split is not None
    assert [row.figure.status for row in split.rows] == [Status.SHOWN, Status.HIDDEN, Status.FEWER_THAN]


@pytest.mark.parametrize(("n", "seed"), [(25, 1), (40, 18), (120, 4), (300, 1)])
def test_every_shown_source_figure_is_true_and_small_ones_are_suppressed(n: int, seed: int) -> None:
    records = make_records(n, seed=seed)
    report = build_report(make_info(), Q, records)
    true: dict[tuple[str, str], int] = {}
    for record in records:
        for theme, source in theme_sources(record).items():
            true[(theme, source)] = true.get((theme, source), 0) + 1
    assert report.themes is not None
    for row in report.themes.rows:
        split = report.source_split(row.key)
        assert split is not None
        if split.withheld:
            continue
        assert split.base == row.figure  # the breakdown's base is the theme's own published figure
        for cell in split.rows:
            value = true.get((row.key, cell.key), 0)
            if cell.figure.shown:
                assert cell.figure.count == value >= 10
            elif cell.figure.status is Status.FEWER_THAN:
                assert value < 10
            else:
                assert cell.figure.status is Status.HIDDEN and value >= 10
