"""What the report means, checked on its outputs: charts draw no suppressed count as a bar, colours have one
meaning and one key, no heading leads to nothing, flags say a suppressed count may be none, and the summary
an inspector reads first fits one screen (issue 10)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from matplotlib.patches import Rectangle

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
from bot.reports.disclosure import Status
from bot.reports.render_html import render_html
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
