"""The inspector's report: one self-contained, printable HTML file.

No external requests at all (inline CSS, charts as inline SVG, no scripts, no fonts to fetch), so it opens
the same offline, in a mail client's preview or printed. Every piece of text is escaped. Quotes keep their
original language, with ``lang`` and ``dir`` set so right-to-left scripts read correctly.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from bot.i18n.catalog import Translator
from bot.reports.aggregate import SOURCE_LABELS
from bot.reports.chart import MARKER_COLOUR, PALETTE, ratings_chart_svg, theme_chart_svg
from bot.reports.disclosure import Figure, Status
from bot.reports.evidence_map import SHORT_TITLES, STRENGTH_TEXT_QUESTIONS
from bot.reports.report import Finding, QuoteGroup, Report, TableReport
from bot.reports.taxonomy_view import TaxonomyView, load_taxonomy
from bot.reports.wording import (
    count_text,
    date_range,
    fewer_than,
    figure_text,
    finding_sentence,
    html_lang,
    is_rtl,
    language_name,
    percent_text,
    row_label,
)

CSS = """
:root { --ink: #1b1b1b; --muted: #555; --rule: #d0d0d0; --accent: #1f5f8b; --soft: #f3f6f8; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  color: var(--ink); line-height: 1.45; margin: 0; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p, li { max-width: 48rem; }
.meta { color: var(--muted); margin: .1rem 0; }
.lead { font-size: 1.1rem; }
.note { color: var(--muted); font-size: .92rem; }
.key { background: var(--soft); border-left: 4px solid var(--accent); padding: .6rem 1rem; margin: .8rem 0; }
.key ul { margin: .3rem 0; padding-inline-start: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .93rem; table-layout: fixed; }
th.num:nth-child(2) { width: 9.5rem; }
th.num:nth-child(3) { width: 5.5rem; }
th:nth-child(4) { width: 24%; }
table.sources th.num { width: auto; }
caption { text-align: start; font-weight: 600; padding: .3rem 0; }
th, td { text-align: start; padding: .28rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
td { overflow-wrap: anywhere; }
.bar span { display: block; height: .8rem; background: var(--count); border-radius: 2px; }
.bar.poor span, .swatch.poor { background: var(--poor); }
.bar.good span, .swatch.good { background: var(--good); }
.swatch { display: inline-block; width: 1.6rem; height: .8rem; background: var(--count); border-radius: 2px;
  vertical-align: middle; margin-inline-end: .4rem; }
.legend { border: 1px solid var(--rule); border-radius: 6px; padding: .2rem 1rem; margin: .8rem 0; font-size: .9rem; }
.legend ul { list-style: none; padding: 0; margin: .3rem 0; }
.legend .sup { margin-inline-end: .3rem; }
.sup { color: var(--muted); font-style: italic; }
tr.group td { font-weight: 600; background: #fafafa; }
tr.rest td:first-child { color: var(--muted); font-size: .88rem; }
.chart { width: 100%; height: auto; max-width: 52rem; display: block; margin: .5rem 0 1rem; }
.criterion { border: 1px solid var(--rule); border-radius: 6px; padding: .2rem 1rem .6rem; margin: 1rem 0; }
.criterion h3 { margin-top: .8rem; }
.tag { display: inline-block; font-size: .8rem; color: var(--muted); border: 1px solid var(--rule);
  border-radius: 3px; padding: 0 .3rem; margin-inline-end: .25rem; }
figure.quote { margin: .6rem 0; padding: .5rem .9rem; border-inline-start: 4px solid var(--rule); background: #fcfcfc; }
figure.quote blockquote { margin: 0; font-size: 1rem; }
figure.quote figcaption { font-size: .82rem; color: var(--muted); margin-top: .2rem; }
blockquote[dir="rtl"] { font-size: 1.08rem; line-height: 1.9; }
:lang(ar), :lang(fa), :lang(ps) { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Segoe UI", Tahoma, "Geeza Pro", serif; }
:lang(ur) { font-family: "Noto Nastaliq Urdu", "Jameel Noori Nastaleeq", "Urdu Typesetting", "Noto Naskh Arabic", serif; }
:lang(bn) { font-family: "Noto Sans Bengali", "Vrinda", "Kohinoor Bangla", sans-serif; }
:lang(pa) { font-family: "Noto Sans Gurmukhi", "Raavi", sans-serif; }
:lang(gu) { font-family: "Noto Sans Gujarati", "Shruti", sans-serif; }
:lang(zh) { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, figure, .criterion, svg { break-inside: avoid; page-break-inside: avoid; }
  .bar span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""

#: The chart colours, so a colour means the same in a table as in a chart.
CSS += (":root { " + " ".join(f"--{name}: {colour};" for name, colour in PALETTE.items())
        + f" --marker: {MARKER_COLOUR}; }}\n")

SECTIONS = ("summary", "method", "respondents", "themes", "criteria", "flags", "strengths", "quotes", "questions")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _el(tag: str, inner: str, css: str = "", **attrs: str) -> str:
    """An element around already-escaped ``inner``; attribute values are escaped here."""
    if css:
        attrs = {"class": css, **attrs}
    attributes = "".join(f' {name.rstrip("_")}="{_e(value)}"' for name, value in attrs.items())
    return f"<{tag}{attributes}>{inner}</{tag}>"


class _Html:
    """Small helpers bound to one report and one reader's language."""

    def __init__(self, report: Report, t: Translator, taxonomy: TaxonomyView) -> None:
        self.r, self.t, self.tax = report, t, taxonomy

    def _(self, msgid: str, **values: object) -> str:
        """Translated and escaped. Msgids are passed as plain arguments, never inside f-strings, so that
        extraction (which cannot see into f-strings on Python 3.11) finds them."""
        return _e(self.t.gettext(msgid, **values))

    def h2(self, section: str, title: str) -> str:
        return _el("h2", _e(title), id=section)

    # ------------------------------------------------------------ tables

    def table(self, table: TableReport) -> str:
        t, r = self.t, self.r
        title = t.gettext(table.title)
        anchor = {"id": f"q-{table.id}"} if table.question_type else {}
        if table.withheld:
            why = (self._("Fewer than %(threshold)s parents answered this question, so no figures are shown.",
                          threshold=t.number(r.threshold)) if table.withheld == "few_answers" else
                   self._("Not shown: every figure in this table would let a small number be worked out."))
            return _el("div", _el("p", _el("strong", _e(title))) + _el("p", why, "sup"), **anchor)
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
        return (_el("table", _el("caption", _e(title)) + _el("thead", self._head()) + _el("tbody", "".join(rows)),
                    **anchor)
                + _el("p", base_note, "note"))

    def _head(self) -> str:
        cells = [_el("th", self._("Answer"), scope="col"), _el("th", self._("Parents"), "num", scope="col"),
                 _el("th", self._("Percent"), "num", scope="col"),
                 _el("th", _el("span", self._("Share"), "note"), scope="col")]
        return _el("tr", "".join(cells))

    def _tr(self, label: str, fig: Figure, *, css: str = "", count: str | None = None, colour: str = "") -> str:
        count = count if count is not None else count_text(fig, self.r, self.t)
        shown = fig.status is Status.SHOWN
        width = max(0.0, min(1.0, fig.percent or 0.0)) * 100
        bar = f'<span style="width:{width:.1f}%"></span>' if shown else ""
        cells = (_el("td", _e(label)) + _el("td", _e(count), "num" if shown else "num sup")
                 + _el("td", _e(percent_text(fig, self.t)), "num") + _el("td", bar, f"bar {colour}".strip()))
        return _el("tr", cells, css)

    def findings(self, items: Iterable[Finding]) -> str:
        sentences = [s for f in items if (s := finding_sentence(f, self.t))]
        if not sentences:
            return ""
        return _el("ul", "".join(_el("li", _e(s)) for s in sentences))

    def theme_name(self, theme_id: str) -> str:
        theme = self.tax.theme(theme_id)
        return self.t.gettext(theme.name) if theme else theme_id


def render_html(report: Report, t: Translator, taxonomy: TaxonomyView | None = None) -> str:
    h = _Html(report, t, taxonomy or load_taxonomy())
    info = report.info
    title = t.gettext("Parent evidence for the area SEND inspection of %(area)s", area=info.area_name)
    header = [_el("h1", _e(title)),
              _el("p", h._("Local area: %(area)s (%(code)s)", area=info.area_name, code=info.area_code), "meta"),
              _el("p", h._("Survey open: %(dates)s", dates=date_range(info.survey_opens, info.survey_closes, t)),
                  "meta")]
    if info.visit_starts:
        visit = h._("Inspection visit: %(dates)s", dates=date_range(info.visit_starts, info.visit_ends, t))
        header.append(_el("p", visit, "meta"))
    parts = [_el("header", "\n".join(header))]
    if report.total is None:
        parts.append(h.h2("summary", t.gettext("Summary")))
        parts.append(_el("p", h._("There are fewer than %(threshold)s responses, so no figures, themes or quotes "
                                  "are shown.", threshold=t.number(report.threshold)), "lead"))
        parts.append(_el("p", h._("Showing any figure from so few responses could identify a family."), "note"))
    else:
        parts += [_summary(h), _method(h), _respondents(h), _themes(h), _criteria(h), _flags(h), _strengths(h),
                  _quotes(h), _questions(h)]
    body = "\n".join(parts)
    direction = "rtl" if t.rtl else "ltr"
    return (f'<!DOCTYPE html>\n<html lang="{_e(html_lang(t.code))}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
            f'<meta name="referrer" content="no-referrer">\n'
            f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def _summary(h: _Html) -> str:
    r, t = h.r, h.t
    lead = t.ngettext("%(count)s parent or carer gave evidence through ParentVoice.",
                      "%(count)s parents and carers gave evidence through ParentVoice.", r.total or 0)
    out = [h.h2("summary", t.gettext("Summary")), _el("p", _e(lead), "lead")]
    key = []
    if r.themes is not None and not r.themes.withheld:
        top = [row for row in r.themes.rows if row.figure.status in (Status.SHOWN, Status.NEARLY_ALL)][:3]
        if top:
            names = ", ".join(t.gettext(row.label) for row in top)
            key.append(_el("p", h._("Themes raised most: %(themes)s.", themes=names)))
    concerns = h.findings(r.shown_findings("concern")[:4])
    strengths = h.findings(r.shown_findings("strength")[:3])
    if concerns:
        key.append(_el("p", _el("strong", h._("Concerns reported most"))) + concerns)
    if strengths:
        key.append(_el("p", _el("strong", h._("Strengths reported most"))) + strengths)
    if key:
        out.append(_el("div", "".join(key), "key"))
    return "\n".join(out)


def _method(h: _Html) -> str:
    r, t = h.r, h.t
    info, s = r.info, r.suppression
    threshold = t.number(r.threshold)
    items = [
        h._("Parents and carers answered a questionnaire in a Telegram chat bot, offered in %(count)s languages, "
            "one question at a time, with buttons where possible and space to write in their own words.",
            count=t.number(r.languages_offered)),
        h._("The survey was open from %(dates)s.", dates=date_range(info.survey_opens, info.survey_closes, t)),
        h._("Each response is one parent or carer (or young person) and one child. Answers are anonymous: no names "
            "are asked for, and names, phone numbers and similar details are removed from written answers before "
            "they are stored."),
        h._("Themes come from three sources: the parent's own choice after each written answer (which always wins), "
            "an automatic classifier that reads every language, and rules on the closed answers. Each parent is "
            "counted once per theme."),
        h._("Parents' own choices and the classifier's are counted separately, in the table \u201cHow each theme "
            "was found\u201d: parents who chose a theme themselves, parents for whom only the classifier found it, "
            "and parents for whom it came only from their closed answers. These counts are protected like all "
            "others."),
        h._("Figures count what parents reported. Percentages for a question are of the parents who answered it; "
            "percentages for themes and flags are of all responses."),
        h._("To protect families, any count under %(threshold)s is shown as \u201cfewer than %(threshold)s\u201d "
            "(this includes zero) and its percentage is left out. Where a total would let a hidden count be worked "
            "out by subtraction, another count is also hidden and marked \u201chidden\u201d. Where parents could give "
            "more than one answer, a count that leaves out fewer than %(threshold)s of them is shown as \u201call but "
            "fewer than %(threshold)s\u201d. A question answered by fewer than %(threshold)s parents shows no figures. "
            "Nothing is cross-tabulated.", threshold=threshold),
        h._("In this report:") + _el("ul", "".join(_el("li", item) for item in (
            h._("counts shown as fewer than %(threshold)s: %(count)s", threshold=threshold,
                count=t.number(s.fewer_than)),
            h._("counts shown as all but fewer than %(threshold)s: %(count)s", threshold=threshold,
                count=t.number(s.nearly_all)),
            h._("other counts hidden: %(count)s", count=t.number(s.hidden)),
            h._("tables withheld: %(count)s", count=t.number(s.withheld_tables)),
        ))),
        h._("Quotes are shown only from parents who agreed to be quoted, in the language they wrote in. They are not "
            "labelled with anything about the family, and quotes about a theme with a small count are listed under "
            "other comments."),
    ]
    if info.official_survey_url:
        items.append(h._("This evidence is in addition to the official inspection survey: %(url)s",
                         url=info.official_survey_url))
    return h.h2("method", t.gettext("How this evidence was gathered")) + "\n" + _el(
        "ul", "\n".join(_el("li", item) for item in items)) + "\n" + _legend(h)


def _respondents(h: _Html) -> str:
    out = [h.h2("respondents", h.t.gettext("Who responded"))]
    out += [h.table(table) for table in h.r.profile]
    return "\n".join(out)


def _themes(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("themes", t.gettext("Themes raised by parents"))]
    themes = r.themes
    if themes is None or themes.withheld:
        out.append(_el("p", h._("No theme figures can be shown."), "sup"))
        return "\n".join(out)
    out.append(_el("p", h._("Themes are ranked by how many parents raised them, in any written answer or through "
                            "their closed answers. Each theme is mapped to the inspection framework criteria it is "
                            "evidence for.")))
    svg = theme_chart_svg(r, t)
    if svg:
        out.append(_el("figure", svg))
    rows = []
    for row in themes.rows:
        fig = row.figure
        crit = " ".join(_el("span", _e(c), "tag") for c in row.criteria)
        cells = (_el("td", _e(t.gettext(row.label))) + _el("td", _e(count_text(fig, r, t)), "num" if fig.shown else "num sup")
                 + _el("td", _e(percent_text(fig, t)), "num") + _el("td", crit))
        rows.append(_el("tr", cells, id=f"theme-{row.key}"))
    head = _el("tr", _el("th", h._("Theme"), scope="col") + _el("th", h._("Parents"), "num", scope="col")
               + _el("th", h._("Percent"), "num", scope="col") + _el("th", h._("Criteria"), scope="col"))
    out.append(_el("table", _el("caption", h._("Themes, ranked")) + _el("thead", head) + _el("tbody", "".join(rows))))
    out.append(_el("p", h._("Percentages are of all %(count)s responses.", count=t.number(r.total or 0)), "note"))
    out.append(_sources(h))
    return "\n".join(out)


def _sources(h: _Html) -> str:
    """Each theme's parents split by where the theme came from: the parent's own choice, the classifier, or
    the closed answers. Themes too small to split are left out; their total is in the table above."""
    r, t = h.r, h.t
    head = (_el("th", h._("Theme"), scope="col") + _el("th", h._("Parents"), "num", scope="col")
            + "".join(_el("th", _e(t.gettext(label)), "num", scope="col") for label in SOURCE_LABELS.values()))
    rows = []
    for row in r.themes.rows if r.themes else ():
        split = r.source_split(row.key)
        if split is None or split.withheld:
            continue
        cells = _el("td", _e(t.gettext(row.label))) + _el("td", _e(count_text(row.figure, r, t)),
                                                            "num" if row.figure.shown else "num sup")
        for cell in split.rows:
            cells += _el("td", _e(count_text(cell.figure, r, t)), "num" if cell.figure.shown else "num sup",
                         **{"data-source": cell.key})
        rows.append(_el("tr", cells, id=f"sources-{row.key}"))
    note = _el("p", h._("Themes raised by too few parents to split are left out of this table."), "note")
    if not rows:
        return note
    table = _el("table", _el("caption", h._("How each theme was found")) + _el("thead", _el("tr", head))
                + _el("tbody", "".join(rows)), "sources")
    return table + "\n" + note


def _criteria(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("criteria", t.gettext("Evidence by inspection framework criterion"))]
    themes = {row.key: row for row in (r.themes.rows if r.themes else ())}
    for section in r.criteria:
        parts = [_el("h3", _e(f"{section.id}: {t.gettext(section.text)}"))]
        findings = h.findings(r.finding(fid) for fid in section.findings)
        if findings:
            parts.append(findings)
        if section.themes and themes:
            items = []
            for tid in section.themes:
                fig = themes[tid].figure
                value = _el("span", _e(figure_text(fig, r, t)), "" if fig.shown else "sup")
                items.append(_el("li", _e(t.gettext(themes[tid].label)) + ": " + value))
            parts.append(_el("p", _el("strong", h._("Themes"))) + _el("ul", "".join(items)))
        if section.questions:
            links = ", ".join(_el("a", _e(t.gettext(r.table(q).title)), href=f"#q-{q}") for q in section.questions)
            parts.append(_el("p", h._("Questions") + ": " + links, "note"))
        out.append(_el("section", "\n".join(parts), "criterion", id=f"criterion-{section.id}"))
    return "\n".join(out)


def _flags(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("flags", t.gettext("Flags")),
           _el("p", h._("Flags mark written answers that describe a possible unlawful local practice, a risk to a "
                        "child or parent, a language barrier, or something that worked well. They are counts of "
                        "parents, never individual cases."))]
    if r.flags is not None:
        out.append(h.table(r.flags))
    return "\n".join(out)


def _strengths(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("strengths", t.gettext("Strengths"))]
    findings = h.findings(r.shown_findings("strength"))
    out.append(findings or _el("p", h._("No strength has a count that can be shown."), "sup"))
    if any(g.question in STRENGTH_TEXT_QUESTIONS for g in r.quotes):
        # No count here: a number of quotes is not protected by the threshold.
        text = h._("Quotes about what has worked well are in the section \u201cParents' own words\u201d.")
        out.append(_el("p", _el("a", text, href="#quotes")))
    return "\n".join(out)


def _quote_group(h: _Html, group: QuoteGroup) -> str:
    t = h.t
    heading = h.theme_name(group.theme) if group.theme else t.gettext("Other comments")
    items = []
    for quote in group.quotes:
        code = quote.language
        # Every quote carries its theme labels in the reader's language (English for inspectors), so a quote
        # in another language can be placed without reading it.
        labels = [x for x in (group.theme, *quote.also) if x]
        caption = [_e(language_name(code, t))] + [_el("span", _e(h.theme_name(x)), "tag", lang=html_lang(t.code))
                                                  for x in labels]
        text = _el("blockquote", _e(quote.text), lang=html_lang(code), dir="rtl" if is_rtl(code) else "ltr")
        items.append(_el("figure", text + _el("figcaption", " ".join(caption)), "quote"))
    return _el("h4", _e(heading)) + "\n" + "\n".join(items)


def _quotes(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("quotes", t.gettext("Parents' own words"))]
    if not r.quotes:
        out.append(_el("p", h._("No parent who agreed to be quoted wrote an answer."), "sup"))
        return "\n".join(out)
    out.append(_el("p", h._("Written answers of parents who agreed to be quoted, after names and contact details "
                            "were removed, in the language they were written in. Each quote appears once, under its "
                            "most raised theme.")))
    current = None
    for group in r.quotes:
        if group.question != current:
            current = group.question
            out.append(_el("h3", _e(t.gettext(SHORT_TITLES.get(group.question, group.question_text)))))
        out.append(_quote_group(h, group))
    return "\n".join(out)


def _questions(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("questions", t.gettext("Answers to each question"))]
    svg = ratings_chart_svg(r, t)
    if svg:
        out.append(_el("figure", svg))
    out += [h.table(table) for table in r.questions]
    out.append(_el("p", _el("a", h._("Key to the charts and tables"), href="#legend"), "note"))
    return "\n".join(out)


def _legend(h: _Html) -> str:
    """The report's one key: what each colour and each marker of a suppressed figure means."""
    r, t = h.r, h.t
    swatch = [("count", h._("Number of parents")), ("poor", h._("Poor or very poor")),
              ("good", h._("Good or very good"))]
    items = [_el("li", _el("span", "", f"swatch {name}") + label) for name, label in swatch]
    markers = [
        (fewer_than(r, t), h._("a count under the threshold, including zero.")),
        (t.gettext("all but fewer than %(threshold)s", threshold=t.number(r.threshold)),
         h._("everyone who answered except a number under the threshold.")),
        (t.gettext("hidden"), h._("a count hidden so that a small one cannot be worked out.")),
    ]
    items += [_el("li", _el("span", _e(word), "sup") + " " + meaning) for word, meaning in markers]
    return _el("div", _el("p", _el("strong", h._("Key to the charts and tables"))) + _el("ul", "".join(items)),
               "legend", id="legend")
