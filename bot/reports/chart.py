"""Bar charts of a report: PNG for Telegram, inline SVG for the HTML file.

Only a shown count is drawn as a bar. A suppressed figure ("fewer than 10", "all but fewer than 10",
"hidden") has no bar at all, only its words as a text marker at the start of its row, so no length can be
read as a count. Colours mean one thing everywhere (``PALETTE``, also used by the HTML tables and its one
legend): a count of parents, a share rating poor, a share rating good.
Uses matplotlib's object API (no pyplot, no global state), so it is headless and safe in a worker thread.
Every bar and marker carries an id (``bar-<key>``, ``marker-<key>``) so tests can find them in the SVG.
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
from bot.reports.wording import count_text, row_label

COUNT_COLOUR = "#1f5f8b"  # a number of parents
POOR_COLOUR = "#b35806"  # share rating poor or very poor (orange; colour-blind safe against purple)
GOOD_COLOUR = "#542788"  # share rating good or very good
MARKER_COLOUR = "#555555"  # the words of a suppressed figure
#: The one meaning of each colour, for the HTML legend and tables.
PALETTE: dict[str, str] = {"count": COUNT_COLOUR, "poor": POOR_COLOUR, "good": GOOD_COLOUR}
SHOWN_COLOUR = COUNT_COLOUR
THEME_LIMIT = 10


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    figure: Figure
    length: float | None  # in axis units; None for a suppressed figure, which is never drawn as a bar
    colour: str = COUNT_COLOUR


def _wrap(label: str, width: int = 42) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _draw(bars: list[Bar], report: Report, t: Translator, *, title: str, axis: str, full: float) -> MplFigure:
    height = 0.9 + 0.42 * len(bars)
    fig = MplFigure(figsize=(8.0, height), dpi=110)
    ax = fig.add_subplot()
    ys = list(range(len(bars)))
    limit = max([b.length for b in bars if b.length is not None] + [report.threshold, full * 0.05])
    for y, bar in zip(ys, bars, strict=True):
        if bar.figure.status is Status.SHOWN and bar.length is not None:
            ax.barh(y, bar.length, color=bar.colour, height=0.7, gid=f"bar-{bar.key}")
            ax.text(bar.length + limit * 0.01, y, _value(bar, t), va="center", fontsize=8, gid=f"value-{bar.key}")
        else:
            ax.text(limit * 0.01, y, count_text(bar.figure, report, t), va="center", fontsize=8, style="italic",
                    color=MARKER_COLOUR, gid=f"marker-{bar.key}")
    ax.set_yticks(ys, [_wrap(b.label) for b in bars], fontsize=8)
    ax.set_ylim(len(bars) - 0.5, -0.5)  # top to bottom; rows with only a marker get their full height too
    ax.set_xlim(0, (full or limit) * 1.32)  # room for the labels after the longest bar
    if full:
        ax.set_xticks([full * i / 5 for i in range(6)])
    ax.set_xlabel(axis, fontsize=8)
    ax.set_title(title, fontsize=10, loc="left")
    ax.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
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
    return [Bar(r.key, row_label(r, t), r.figure, float(r.figure.count) if r.figure.shown and r.figure.count is not None
                else None) for r in rows]


def rating_bars(report: Report, t: Translator) -> list[Bar]:
    """Share rating each scale question poor/very poor and good/very good, of those who answered."""
    bars = []
    for table in report.questions:
        if table.question_type != "scale" or table.withheld:
            continue
        for spec, colour in zip(SCALE_GROUPS, (POOR_COLOUR, GOOD_COLOUR), strict=True):
            row = table.row(spec.key)
            pct = row.figure.percent * 100 if row.figure.status is Status.SHOWN and row.figure.percent is not None else None
            title = t.gettext(SHORT_TITLES.get(table.id, table.title))
            bars.append(Bar(f"{table.id}-{spec.key}", f"{title}: {t.gettext(spec.label).lower()}", row.figure, pct,
                            colour))
    return bars


def theme_figure(report: Report, t: Translator, limit: int | None) -> MplFigure | None:
    bars = theme_bars(report, t, limit)
    if not bars:
        return None
    return _draw(bars, report, t, title=t.gettext("Themes raised by parents"),
                 axis=t.gettext("Number of parents"), full=0)


def ratings_figure(report: Report, t: Translator) -> MplFigure | None:
    """Poor and good shares of each scale question; the colours are explained by the report's one legend."""
    bars = rating_bars(report, t)
    if not bars:
        return None
    return _draw(bars, report, t, title=t.gettext("How parents rated support"),
                 axis=t.gettext("Percentage of parents who answered"), full=100)


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
    fig = theme_figure(report, translator, limit)
    return b"" if fig is None else _png(fig)


def theme_chart_svg(report: Report, translator: Translator, limit: int | None = None) -> str:
    fig = theme_figure(report, translator, limit)
    return "" if fig is None else _svg(fig, translator.gettext("Themes raised by parents"), "themes")


def ratings_chart_svg(report: Report, translator: Translator) -> str:
    fig = ratings_figure(report, translator)
    return "" if fig is None else _svg(fig, translator.gettext("How parents rated support"), "ratings")
