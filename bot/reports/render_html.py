"""The inspector's report: one self-contained, printable HTML file.

No external requests at all (inline CSS, charts as inline SVG, no scripts, no fonts to fetch), so it opens
the same offline, in a mail client's preview or printed. Every piece of text is escaped. Quotes keep their
original language, with ``lang`` and ``dir`` set so right-to-left scripts read correctly.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from bot.i18n.catalog import Translator
from bot.reports.chart import ratings_chart_svg, theme_chart_svg
from bot.reports.disclosure import Figure, Status
from bot.reports.evidence_map import SHORT_TITLES
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
caption { text-align: start; font-weight: 600; padding: .3rem 0; }
th, td { text-align: start; padding: .28rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
td { overflow-wrap: anywhere; }
.bar span { display: block; height: .8rem; background: var(--accent); border-radius: 2px; }
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

SECTIONS = ("summary", "method", "respondents", "themes", "criteria", "flags", "strengths", "quotes", "questions")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


class _Html:
    """Small helpers bound to one report and one reader's language."""

    def __init__(self, report: Report, t: Translator, taxonomy: TaxonomyView) -> None:
        self.r, self.t, self.tax = report, t, taxonomy

    def _(self, msgid: str, **values: object) -> str:
        return _e(self.t.gettext(msgid, **values))

    def h2(self, section: str, title: str) -> str:
        return f'<h2 id="{section}">{_e(title)}</h2>'

    # ------------------------------------------------------------ tables

    def table(self, table: TableReport, *, caption: str | None = None) -> str:
        t, r = self.t, self.r
        title = caption if caption is not None else t.gettext(table.title)
        anchor = f' id="q-{_e(table.id)}"' if table.question_type else ""
        if table.withheld:
            why = (t.gettext("Fewer than %(threshold)s parents answered this question, so no figures are shown.",
                             threshold=t.number(r.threshold)) if table.withheld == "few_answers" else
                   t.gettext("Not shown: every figure in this table would let a small number be worked out."))
            return f'<div{anchor}><p><strong>{_e(title)}</strong></p><p class="sup">{_e(why)}</p></div>'
        base_note = (t.gettext("Percentages are of all %(count)s responses.", count=t.number(table.base.count or 0))
                     if table.percent_of == "all" else
                     t.gettext("Answered by %(count)s parents; percentages are of those who answered.",
                               count=t.number(table.base.count or 0)))
        if table.kind == "multi":
            base_note += " " + t.gettext("Parents could choose more than one answer.")
        rows = []
        listed = [row for row in table.rows if row.figure.shown or not row.language]
        for row in listed:
            rows.append(self._tr(row_label(row, t), row.figure))
        for status in (Status.FEWER_THAN, Status.HIDDEN):
            # Languages with small counts share one line: twenty rows of "fewer than 10" help nobody.
            names = [row_label(row, t) for row in table.rows if row.language and row.figure.status is status]
            if names:
                each = t.gettext("%(figure)s each", figure=count_text(Figure(status), r, t))
                rows.append(self._tr(", ".join(names), Figure(status), css="rest", count=each))
        for row in table.groups:
            rows.append(self._tr(t.gettext(row.label), row.figure, css="group"))
        head = (f'<tr><th scope="col">{self._("Answer")}</th><th scope="col" class="num">{self._("Parents")}</th>'
                f'<th scope="col" class="num">{self._("Percent")}</th><th scope="col"><span class="note">'
                f'{self._("Share")}</span></th></tr>')
        return (f'<table{anchor}><caption>{_e(title)}</caption><thead>{head}</thead><tbody>{"".join(rows)}'
                f'</tbody></table><p class="note">{_e(base_note)}</p>')

    def _tr(self, label: str, fig: Figure, *, css: str = "", count: str | None = None) -> str:
        count = count if count is not None else count_text(fig, self.r, self.t)
        pct = percent_text(fig, self.t)
        shown = fig.status is Status.SHOWN
        num_class = "num" if shown else "num sup"
        bar = (f'<span style="width:{max(0.0, min(1.0, fig.percent or 0.0)) * 100:.1f}%"></span>' if shown else "")
        cls = f' class="{css}"' if css else ""
        return (f'<tr{cls}><td>{_e(label)}</td><td class="{num_class}">{_e(count)}</td>'
                f'<td class="num">{_e(pct)}</td><td class="bar">{bar}</td></tr>')

    def findings(self, items: Iterable[Finding]) -> str:
        sentences = [s for f in items if (s := finding_sentence(f, self.t))]
        if not sentences:
            return ""
        return "<ul>" + "".join(f"<li>{_e(s)}</li>" for s in sentences) + "</ul>"

    def theme_name(self, theme_id: str) -> str:
        theme = self.tax.theme(theme_id)
        return self.t.gettext(theme.name) if theme else theme_id


def render_html(report: Report, t: Translator, taxonomy: TaxonomyView | None = None) -> str:
    h = _Html(report, t, taxonomy or load_taxonomy())
    info = report.info
    title = t.gettext("Parent evidence for the area SEND inspection of %(area)s", area=info.area_name)
    parts = [f'<header><h1>{_e(title)}</h1>',
             f'<p class="meta">{h._("Local area: %(area)s (%(code)s)", area=info.area_name, code=info.area_code)}</p>',
             f'<p class="meta">{h._("Survey open: %(dates)s", dates=date_range(info.survey_opens, info.survey_closes, t))}</p>']
    if info.visit_starts:
        parts.append(f'<p class="meta">{h._("Inspection visit: %(dates)s", dates=date_range(info.visit_starts, info.visit_ends, t))}</p>')
    parts.append("</header>")
    if report.total is None:
        parts.append(h.h2("summary", t.gettext("Summary")))
        parts.append(f'<p class="lead">{h._("There are fewer than %(threshold)s responses, so no figures, themes or quotes are shown.", threshold=t.number(report.threshold))}</p>')
        parts.append(f'<p class="note">{h._("Showing any figure from so few responses could identify a family.")}</p>')
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
    total = r.total or 0
    out = [h.h2("summary", t.gettext("Summary")),
           f'<p class="lead">{_e(t.ngettext("%(count)s parent or carer gave evidence through ParentVoice.", "%(count)s parents and carers gave evidence through ParentVoice.", total))}</p>']
    key = []
    if r.themes is not None and not r.themes.withheld:
        top = [row for row in r.themes.rows if row.figure.status in (Status.SHOWN, Status.NEARLY_ALL)][:3]
        if top:
            names = ", ".join(t.gettext(row.label) for row in top)
            key.append(f"<p>{h._('Themes raised most: %(themes)s.', themes=names)}</p>")
    concerns = h.findings(r.shown_findings("concern")[:4])
    strengths = h.findings(r.shown_findings("strength")[:3])
    if concerns:
        key.append(f"<p><strong>{h._('Concerns reported most')}</strong></p>{concerns}")
    if strengths:
        key.append(f"<p><strong>{h._('Strengths reported most')}</strong></p>{strengths}")
    if key:
        out.append(f'<div class="key">{"".join(key)}</div>')
    return "\n".join(out)


def _method(h: _Html) -> str:
    r, t = h.r, h.t
    info, s = r.info, r.suppression
    out = [h.h2("method", t.gettext("How this evidence was gathered")), "<ul>"]
    out.append("<li>" + h._(
        "Parents and carers answered a questionnaire in a Telegram chat bot, offered in %(count)s languages, "
        "one question at a time, with buttons where possible and space to write in their own words.",
        count=t.number(r.languages_offered)) + "</li>")
    out.append("<li>" + h._("The survey was open from %(dates)s.",
                            dates=date_range(info.survey_opens, info.survey_closes, t)) + "</li>")
    out.append("<li>" + h._(
        "Each response is one parent or carer (or young person) and one child. Answers are anonymous: no names "
        "are asked for, and names, phone numbers and similar details are removed from written answers before "
        "they are stored.") + "</li>")
    out.append("<li>" + h._(
        "Themes come from three sources: the parent's own choice after each written answer (which always wins), "
        "an automatic classifier that reads every language, and rules on the closed answers. Each parent is "
        "counted once per theme.") + "</li>")
    out.append("<li>" + h._(
        "Figures count what parents reported. Percentages for a question are of the parents who answered it; "
        "percentages for themes and flags are of all responses.") + "</li>")
    out.append("<li>" + h._(
        "To protect families, any count under %(threshold)s is shown as \u201cfewer than %(threshold)s\u201d "
        "(this includes zero) and its percentage is left out. Where a total would let a hidden count be worked "
        "out by subtraction, another count is also hidden and marked \u201chidden\u201d. Where parents could give "
        "more than one answer, a count that leaves out fewer than %(threshold)s of them is shown as \u201call but "
        "fewer than %(threshold)s\u201d. A question answered by fewer than %(threshold)s parents shows no figures. "
        "Nothing is cross-tabulated.",
        threshold=t.number(r.threshold)) + "</li>")
    out.append("<li>" + h._("In this report:") + "<ul>"
               + f"<li>{h._('counts shown as fewer than %(threshold)s: %(count)s', threshold=t.number(r.threshold), count=t.number(s.fewer_than))}</li>"
               + f"<li>{h._('counts shown as all but fewer than %(threshold)s: %(count)s', threshold=t.number(r.threshold), count=t.number(s.nearly_all))}</li>"
               + f"<li>{h._('other counts hidden: %(count)s', count=t.number(s.hidden))}</li>"
               + f"<li>{h._('tables withheld: %(count)s', count=t.number(s.withheld_tables))}</li>"
               + "</ul></li>")
    out.append("<li>" + h._(
        "Quotes are shown only from parents who agreed to be quoted, in the language they wrote in. They are not "
        "labelled with anything about the family, and quotes about a theme with a small count are listed under "
        "other comments.") + "</li>")
    if info.official_survey_url:
        out.append("<li>" + h._("This evidence is in addition to the official inspection survey: %(url)s",
                                url=info.official_survey_url) + "</li>")
    out.append("</ul>")
    return "\n".join(out)


def _respondents(h: _Html) -> str:
    out = [h.h2("respondents", h.t.gettext("Who responded"))]
    out += [h.table(table) for table in h.r.profile]
    return "\n".join(out)


def _themes(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("themes", t.gettext("Themes raised by parents"))]
    themes = r.themes
    if themes is None or themes.withheld:
        out.append(f'<p class="sup">{h._("No theme figures can be shown.")}</p>')
        return "\n".join(out)
    out.append(f'<p>{h._("Themes are ranked by how many parents raised them, in any written answer or through their closed answers. Each theme is mapped to the inspection framework criteria it is evidence for.")}</p>')
    svg = theme_chart_svg(r, t)
    if svg:
        out.append(f"<figure>{svg}</figure>")
    rows = []
    for row in themes.rows:
        crit = " ".join(f'<span class="tag">{_e(c)}</span>' for c in row.criteria)
        fig = row.figure
        cls = "num" if fig.shown else "num sup"
        rows.append(f'<tr id="theme-{_e(row.key)}"><td>{_e(t.gettext(row.label))}</td>'
                    f'<td class="{cls}">{_e(count_text(fig, r, t))}</td><td class="num">{_e(percent_text(fig, t))}</td>'
                    f"<td>{crit}</td></tr>")
    out.append(f'<table><caption>{h._("Themes, ranked")}</caption><thead><tr><th scope="col">{h._("Theme")}</th>'
               f'<th scope="col" class="num">{h._("Parents")}</th><th scope="col" class="num">{h._("Percent")}</th>'
               f'<th scope="col">{h._("Criteria")}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    out.append(f'<p class="note">{h._("Percentages are of all %(count)s responses.", count=t.number(r.total or 0))}</p>')
    return "\n".join(out)


def _criteria(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("criteria", t.gettext("Evidence by inspection framework criterion"))]
    themes = {row.key: row for row in (r.themes.rows if r.themes else ())}
    for section in r.criteria:
        parts = [f'<section class="criterion" id="criterion-{_e(section.id)}">',
                 f"<h3>{_e(section.id)}: {_e(t.gettext(section.text))}</h3>"]
        findings = h.findings(r.finding(fid) for fid in section.findings)
        if findings:
            parts.append(findings)
        if section.themes and themes:
            items = []
            for tid in section.themes:
                row = themes[tid]
                fig = row.figure
                figure = figure_text(fig, r, t)
                items.append(f"<li>{_e(t.gettext(row.label))}: <span class=\"{'' if fig.shown else 'sup'}\">"
                             f"{_e(figure)}</span></li>")
            parts.append(f"<p><strong>{h._('Themes')}</strong></p><ul>{''.join(items)}</ul>")
        if section.questions:
            links = ", ".join(f'<a href="#q-{_e(q)}">{_e(t.gettext(r.table(q).title))}</a>' for q in section.questions)
            parts.append(f'<p class="note">{h._("Questions")}: {links}</p>')
        parts.append("</section>")
        out.append("\n".join(parts))
    return "\n".join(out)


def _flags(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("flags", t.gettext("Flags")),
           f'<p>{h._("Flags mark written answers that describe a possible unlawful local practice, a risk to a child or parent, a language barrier, or something that worked well. They are counts of parents, never individual cases.")}</p>']
    if r.flags is not None:
        out.append(h.table(r.flags))
    return "\n".join(out)


def _strengths(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("strengths", t.gettext("Strengths"))]
    findings = h.findings(r.shown_findings("strength"))
    if findings:
        out.append(findings)
    else:
        out.append(f'<p class="sup">{h._("No strength has a count that can be shown.")}</p>')
    quotes = sum(len(g.quotes) for g in r.quotes if g.question == "worked_well")
    if quotes:
        text = t.ngettext("%(count)s quote about what worked well is shown under \u201cParents' own words\u201d.",
                          "%(count)s quotes about what worked well are shown under \u201cParents' own words\u201d.", quotes)
        out.append(f'<p><a href="#quotes">{_e(text)}</a></p>')
    return "\n".join(out)


def _quote_group(h: _Html, group: QuoteGroup) -> str:
    t = h.t
    heading = h.theme_name(group.theme) if group.theme else t.gettext("Other comments")
    items = []
    for quote in group.quotes:
        code = quote.language
        direction = "rtl" if is_rtl(code) else "ltr"
        caption = [_e(language_name(code, t))]
        caption += [f'<span class="tag">{_e(h.theme_name(x))}</span>' for x in quote.also]
        items.append(f'<figure class="quote"><blockquote lang="{_e(html_lang(code))}" dir="{direction}">'
                     f"{_e(quote.text)}</blockquote><figcaption>{' '.join(caption)}</figcaption></figure>")
    return f"<h4>{_e(heading)}</h4>\n" + "\n".join(items)


def _quotes(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("quotes", t.gettext("Parents' own words"))]
    if not r.quotes:
        out.append(f'<p class="sup">{h._("No parent who agreed to be quoted wrote an answer.")}</p>')
        return "\n".join(out)
    out.append(f'<p>{h._("Written answers of parents who agreed to be quoted, after names and contact details were removed, in the language they were written in. Each quote appears once, under its most raised theme.")}</p>')
    current = None
    for group in r.quotes:
        if group.question != current:
            current = group.question
            out.append(f"<h3>{_e(t.gettext(SHORT_TITLES.get(group.question, group.question_text)))}</h3>")
        out.append(_quote_group(h, group))
    return "\n".join(out)


def _questions(h: _Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("questions", t.gettext("Answers to each question"))]
    svg = ratings_chart_svg(r, t)
    if svg:
        out.append(f"<figure>{svg}</figure>")
    out += [h.table(table) for table in r.questions]
    out.append(f'<p class="note">{_e(fewer_than(r, t))}: {h._("a count under the threshold, including zero.")} '
               f'{h._("all but fewer than %(threshold)s", threshold=t.number(r.threshold))}: '
               f'{h._("everyone who answered except a number under the threshold.")} '
               f'{h._("hidden")}: {h._("a count hidden so that a small one cannot be worked out.")}</p>')
    return "\n".join(out)
