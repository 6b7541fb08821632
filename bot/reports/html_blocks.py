"""Building blocks of the inspector's HTML report: escaping, elements, and a writer bound to one report.

Every piece of text is escaped here, so the report's sections never build markup by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from bot.i18n.catalog import Translator
from bot.reports.chart import PALETTE
from bot.reports.disclosure import Figure, Status
from bot.reports.report import Finding, Report, TableReport
from bot.reports.taxonomy_view import TaxonomyView
from bot.reports.wording import count_text, finding_sentence, percent_text, row_label


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def el(tag: str, inner: str, css: str = "", **attrs: str) -> str:
    """An element around already-escaped ``inner``; attribute values are escaped here."""
    if css:
        attrs = {"class": css, **attrs}
    attributes = "".join(f' {name.rstrip("_")}="{esc(value)}"' for name, value in attrs.items())
    return f"<{tag}{attributes}>{inner}</{tag}>"


class Html:
    """Small helpers bound to one report and one reader's language."""

    def __init__(self, report: Report, t: Translator, taxonomy: TaxonomyView) -> None:
        self.r, self.t, self.tax = report, t, taxonomy

    def _(self, msgid: str, **values: object) -> str:
        """Translated and escaped. Msgids are passed as plain arguments, never inside f-strings, so that
        extraction (which cannot see into f-strings on Python 3.11) finds them."""
        return esc(self.t.gettext(msgid, **values))

    def h2(self, section: str, title: str) -> str:
        return el("h2", esc(title), id=section)

    # ------------------------------------------------------------ tables

    def table(self, table: TableReport) -> str:
        t, r = self.t, self.r
        title = t.gettext(table.title)
        anchor = {"id": f"q-{table.id}"} if table.question_type else {}
        if table.withheld:
            why = (self._("Fewer than %(threshold)s parents answered this question, so no figures are shown.",
                          threshold=t.number(r.threshold)) if table.withheld == "few_answers" else
                   self._("Not shown: every figure in this table would let a small number be worked out."))
            return el("div", el("p", el("strong", esc(title))) + el("p", why, "sup"), **anchor)
        count = t.number(table.base.count or 0)
        if table.percent_of == "all":
            base_note = self._("Percentages are of all %(count)s responses.", count=count)
        else:
            base_note = self._("Answered by %(count)s parents; percentages are of those who answered.", count=count)
        if table.kind == "multi":
            base_note += " " + self._("Parents could choose more than one answer.")
        rows = []
        flags = table.id == "flags"
        for row in table.rows:
            if row.figure.shown or not row.language:
                rows.append(self._tr(row_label(row, t), row.figure,
                                     count=count_text(row.figure, r, t, may_be_none=flags)))
        for status in (Status.FEWER_THAN, Status.HIDDEN):
            # Languages with small counts share one line: twenty rows of "fewer than 10" help nobody.
            names = [row_label(row, t) for row in table.rows if row.language and row.figure.status is status]
            if names:
                each = t.gettext("%(figure)s each", figure=count_text(Figure(status), r, t))
                rows.append(self._tr(", ".join(names), Figure(status), css="rest", count=each))
        for row in table.groups:
            colour = row.key if table.question_type == "scale" and row.key in PALETTE else ""
            rows.append(self._tr(t.gettext(row.label), row.figure, css="group", colour=colour))
        return (el("table", el("caption", esc(title)) + el("thead", self._head()) + el("tbody", "".join(rows)),
                    **anchor)
                + el("p", base_note, "note"))

    def _head(self) -> str:
        cells = [el("th", self._("Answer"), scope="col"), el("th", self._("Parents"), "num", scope="col"),
                 el("th", self._("Percent"), "num", scope="col"),
                 el("th", el("span", self._("Share"), "note"), scope="col")]
        return el("tr", "".join(cells))

    def _tr(self, label: str, fig: Figure, *, css: str = "", count: str | None = None, colour: str = "") -> str:
        count = count if count is not None else count_text(fig, self.r, self.t)
        shown = fig.status is Status.SHOWN
        width = max(0.0, min(1.0, fig.percent or 0.0)) * 100
        bar = f'<span style="width:{width:.1f}%"></span>' if shown else ""
        cells = (el("td", esc(label)) + el("td", esc(count), "num" if shown else "num sup")
                 + el("td", esc(percent_text(fig, self.t)), "num") + el("td", bar, f"bar {colour}".strip()))
        return el("tr", cells, css)

    def findings(self, items: Iterable[Finding]) -> str:
        sentences = [s for f in items if (s := finding_sentence(f, self.t))]
        if not sentences:
            return ""
        return el("ul", "".join(el("li", esc(s)) for s in sentences))

    def theme_name(self, theme_id: str) -> str:
        theme = self.tax.theme(theme_id)
        return self.t.gettext(theme.name) if theme else theme_id
