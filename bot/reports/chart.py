"""Bar charts of a report: PNG for Telegram, inline SVG for the HTML file.

Suppressed figures never get their true length: a count under the threshold is drawn as a hatched bar
reaching the threshold and labelled "fewer than 10"; a hidden count gets no bar, only the word "hidden".
Uses matplotlib's object API (no pyplot, no global state), so it is headless and safe in a worker thread.
"""

from __future__ import annotations

import io
import re
import textwrap
import warnings
from dataclasses import dataclass
from html import escape

import matplotlib
from matplotlib.figure import Figure as MplFigure

from bot.i18n.catalog import Translator
from bot.reports.disclosure import Figure, Status
from bot.reports.evidence_map import SCALE_GROUPS, SHORT_TITLES
from bot.reports.report import Report
from bot.reports.wording import HIDDEN, NEARLY_ALL, fewer_than, row_label

SHOWN_COLOUR = "#1f5f8b"
POOR_COLOUR = "#b35806"
GOOD_COLOUR = "#1f78b4"
EDGE_COLOUR = "#555555"
HATCH = "///"
THEME_LIMIT = 10


@dataclass(frozen=True)
class Bar:
    label: str
    figure: Figure
    length: float | None  # in axis units; None for a suppressed figure
    stub: float  # length of the hatched bar of a count under the threshold, in axis units (never its count)
    colour: str = SHOWN_COLOUR
    span: tuple[float, float] | None = None  # for "all but fewer than N": the range a reader already knows


def _wrap(label: str, width: int = 42) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _draw(bars: list[Bar], report: Report, t: Translator, *, title: str, axis: str, full: float,
          legend: list[tuple[str, str]] | None = None) -> MplFigure:
    small = fewer_than(report, t)
    hidden = t.gettext(HIDDEN)
    nearly_all = t.gettext(NEARLY_ALL, threshold=t.number(report.threshold))
    height = 0.9 + 0.42 * len(bars) + (0.45 if legend else 0)
    fig = MplFigure(figsize=(8.0, height), dpi=110)
    ax = fig.add_subplot()
    ys = list(range(len(bars)))
    limit = max([b.length for b in bars if b.length is not None] + [b.span[1] for b in bars if b.span]
                + [report.threshold, full * 0.05])
    for y, bar in zip(ys, bars, strict=True):
        if bar.figure.status is Status.SHOWN and bar.length is not None:
            ax.barh(y, bar.length, color=bar.colour, height=0.7)
            ax.text(bar.length + limit * 0.01, y, _value(bar, t), va="center", fontsize=8)
        elif bar.figure.status is Status.FEWER_THAN:
            stub = bar.stub
            ax.barh(y, stub, color="white", edgecolor=EDGE_COLOUR, hatch=HATCH, height=0.7, linewidth=0.8)
            ax.text(stub + limit * 0.01, y, small, va="center", fontsize=8, style="italic", color=EDGE_COLOUR)
        elif bar.figure.status is Status.NEARLY_ALL and bar.span is not None:
            lo, hi = bar.span
            ax.barh(y, hi - lo, left=lo, color="white", edgecolor=EDGE_COLOUR, hatch=HATCH, height=0.7, linewidth=0.8)
            ax.text(hi + limit * 0.01, y, nearly_all, va="center", fontsize=8, style="italic", color=EDGE_COLOUR)
        else:
            ax.text(limit * 0.01, y, hidden, va="center", fontsize=8, style="italic", color=EDGE_COLOUR)
    ax.set_yticks(ys, [_wrap(b.label) for b in bars], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, (full or limit) * 1.32)  # room for the labels after the longest bar
    if full:
        ax.set_xticks([full * i / 5 for i in range(6)])
    ax.set_xlabel(axis, fontsize=8)
    ax.set_title(title, fontsize=10, loc="left")
    ax.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if legend:
        from matplotlib.patches import Patch

        handles = [Patch(facecolor=c, label=label) for label, c in legend]
        handles.append(Patch(facecolor="white", edgecolor=EDGE_COLOUR, hatch=HATCH, label=small))
        ax.legend(handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3,
                  frameon=False)
    fig.tight_layout()
    return fig


def _value(bar: Bar, t: Translator) -> str:
    fig = bar.figure
    if bar.colour in (POOR_COLOUR, GOOD_COLOUR) and fig.percent is not None:
        return t.percent(fig.percent)
    if fig.percent is not None and fig.count is not None:
        return t.gettext("%(count)s (%(percent)s)", count=t.number(fig.count), percent=t.percent(fig.percent))
    return t.number(fig.count or 0)


def theme_bars(report: Report, t: Translator, limit: int | None = THEME_LIMIT) -> list[Bar]:
    if report.themes is None or report.themes.withheld:
        return []
    rows = report.themes.rows[:limit] if limit else report.themes.rows
    base, th = float(report.total or 0), report.threshold
    span = (float(max(th, base - th + 1)), base)
    return [Bar(row_label(r, t), r.figure, float(r.figure.count) if r.figure.count is not None else None,
                float(th), span=span) for r in rows]


def rating_bars(report: Report, t: Translator) -> list[Bar]:
    """Share rating each scale question poor/very poor and good/very good, of those who answered."""
    bars = []
    for table in report.questions:
        if table.question_type != "scale" or table.withheld:
            continue
        for spec, colour in zip(SCALE_GROUPS, (POOR_COLOUR, GOOD_COLOUR), strict=True):
            row = table.row(spec.key)
            pct = row.figure.percent * 100 if row.figure.status is Status.SHOWN and row.figure.percent is not None else None
            # A short fixed stub: the true bound (threshold / base) can be most of the axis for a small base,
            # and a long hatched bar would read as a large share.
            stub = 4.0
            title = t.gettext(SHORT_TITLES.get(table.id, table.title))
            bars.append(Bar(f"{title}: {t.gettext(spec.label).lower()}", row.figure, pct, stub, colour))
    return bars


def _theme_figure(report: Report, t: Translator, limit: int | None) -> MplFigure | None:
    bars = theme_bars(report, t, limit)
    if not bars:
        return None
    return _draw(bars, report, t, title=t.gettext("Themes raised by parents"),
                 axis=t.gettext("Number of parents"), full=0)


def _ratings_figure(report: Report, t: Translator) -> MplFigure | None:
    bars = rating_bars(report, t)
    if not bars:
        return None
    legend = [(t.gettext(SCALE_GROUPS[0].label), POOR_COLOUR), (t.gettext(SCALE_GROUPS[1].label), GOOD_COLOUR)]
    return _draw(bars, report, t, title=t.gettext("How parents rated support"),
                 axis=t.gettext("Percentage of parents who answered"), full=100, legend=legend)


def _png(fig: MplFigure) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs for scripts the bundled font lacks
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _svg(fig: MplFigure, label: str, salt: str) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    # Scale with the page; keep the viewBox for the aspect ratio.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
                 lambda m: f'<svg{m.group(1)} class="chart" role="img" aria-label="{escape(label)}"', svg, count=1)
    return svg


def theme_chart_png(report: Report, translator: Translator, limit: int | None = THEME_LIMIT) -> bytes:
    """Top themes as a PNG for Telegram; empty bytes when the report shows no figures."""
    fig = _theme_figure(report, translator, limit)
    return b"" if fig is None else _png(fig)


def theme_chart_svg(report: Report, translator: Translator, limit: int | None = None) -> str:
    fig = _theme_figure(report, translator, limit)
    return "" if fig is None else _svg(fig, translator.gettext("Themes raised by parents"), "themes")


def ratings_chart_svg(report: Report, translator: Translator) -> str:
    fig = _ratings_figure(report, translator)
    return "" if fig is None else _svg(fig, translator.gettext("How parents rated support"), "ratings")
