"""The inspector's report: one self-contained, printable HTML file.

No external requests at all (inline CSS, charts as inline SVG, no scripts, no fonts to fetch), so it opens
the same offline, in a mail client's preview or printed. Every piece of text is escaped. Quotes keep their
original language, with ``lang`` and ``dir`` set so right-to-left scripts read correctly.

This module writes the sections in order; the building blocks (escaping, elements, tables) are in
``html_blocks.py`` and the CSS in ``html_style.py``.
"""

from __future__ import annotations

from bot.i18n.catalog import Translator
from bot.reports.aggregate import SOURCE_LABELS
from bot.reports.chart import ratings_chart_svg, theme_chart_svg
from bot.reports.disclosure import Status
from bot.reports.evidence_map import SHORT_TITLES, STRENGTH_TEXT_QUESTIONS
from bot.reports.html_blocks import Html, el, esc
from bot.reports.html_style import CSS
from bot.reports.report import QuoteGroup, Report
from bot.reports.taxonomy_view import TaxonomyView, load_taxonomy
from bot.reports.wording import (
    count_text,
    date_range,
    fewer_than,
    figure_text,
    html_lang,
    is_rtl,
    language_name,
    percent_text,
)

SECTIONS = ("summary", "method", "respondents", "themes", "criteria", "flags", "strengths", "quotes", "questions")


def render_html(report: Report, t: Translator, taxonomy: TaxonomyView | None = None) -> str:
    """The whole page, joined once from its pieces: with 100,000 responses the quotes alone are some 17 MB,
    and joining them section by section held three or four copies at once (issue 11.3)."""
    h = Html(report, t, taxonomy or load_taxonomy())
    info = report.info
    title = t.gettext("Parent evidence for the area SEND inspection of %(area)s", area=info.area_name)
    header = [el("h1", esc(title)),
              el("p", h._("Local area: %(area)s (%(code)s)", area=info.area_name, code=info.area_code), "meta"),
              el("p", h._("Survey open: %(dates)s", dates=date_range(info.survey_opens, info.survey_closes, t)),
                  "meta")]
    if info.visit_starts:
        visit = h._("Inspection visit: %(dates)s", dates=date_range(info.visit_starts, info.visit_ends, t))
        header.append(el("p", visit, "meta"))
    parts = [el("header", "\n".join(header))]
    if report.total is None:
        parts.append(h.h2("summary", t.gettext("Summary")))
        parts.append(el("p", h._("There are fewer than %(threshold)s responses, so no figures, themes or quotes "
                                  "are shown.", threshold=t.number(report.threshold)), "lead"))
        parts.append(el("p", h._("Showing any figure from so few responses could identify a family."), "note"))
    else:
        parts += [_summary(h), _method(h), _respondents(h), _themes(h), _criteria(h), _flags(h), _strengths(h),
                  *_quotes(h), _questions(h)]
    direction = "rtl" if t.rtl else "ltr"
    head = (f'<!DOCTYPE html>\n<html lang="{esc(html_lang(t.code))}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
            f'<meta name="referrer" content="no-referrer">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>")
    return "\n".join([head, *parts, "</main>\n</body>\n</html>\n"])


def _summary(h: Html) -> str:
    r, t = h.r, h.t
    lead = t.ngettext("%(count)s parent or carer gave evidence through ParentVoice.",
                      "%(count)s parents and carers gave evidence through ParentVoice.", r.total or 0)
    out = [h.h2("summary", t.gettext("Summary")), el("p", esc(lead), "lead")]
    key = []
    if r.themes is not None and not r.themes.withheld:
        top = [row for row in r.themes.rows if row.figure.status in (Status.SHOWN, Status.NEARLY_ALL)][:3]
        if top:
            names = ", ".join(t.gettext(row.label) for row in top)
            key.append(el("p", h._("Themes raised most: %(themes)s.", themes=names)))
    concerns = h.findings(r.shown_findings("concern")[:4])
    strengths = h.findings(r.shown_findings("strength")[:3])
    if concerns:
        key.append(el("p", el("strong", h._("Concerns reported most"))) + concerns)
    if strengths:
        key.append(el("p", el("strong", h._("Strengths reported most"))) + strengths)
    if key:
        out.append(el("div", "".join(key), "key"))
    return "\n".join(out)


def _method(h: Html) -> str:
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
        h._("In this report:") + el("ul", "".join(el("li", item) for item in (
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
    return h.h2("method", t.gettext("How this evidence was gathered")) + "\n" + el(
        "ul", "\n".join(el("li", item) for item in items)) + "\n" + _legend(h)


def _respondents(h: Html) -> str:
    out = [h.h2("respondents", h.t.gettext("Who responded"))]
    out += [h.table(table) for table in h.r.profile]
    return "\n".join(out)


def _themes(h: Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("themes", t.gettext("Themes raised by parents"))]
    themes = r.themes
    if themes is None or themes.withheld:
        out.append(el("p", h._("No theme figures can be shown."), "sup"))
        return "\n".join(out)
    out.append(el("p", h._("Themes are ranked by how many parents raised them, in any written answer or through "
                            "their closed answers. Each theme is mapped to the inspection framework criteria it is "
                            "evidence for.")))
    svg = theme_chart_svg(r, t)
    if svg:
        out.append(el("figure", svg))
    rows = []
    for row in themes.rows:
        fig = row.figure
        crit = " ".join(el("span", esc(c), "tag") for c in row.criteria)
        cells = (el("td", esc(t.gettext(row.label))) + el("td", esc(count_text(fig, r, t)), "num" if fig.shown else "num sup")
                 + el("td", esc(percent_text(fig, t)), "num") + el("td", crit))
        rows.append(el("tr", cells, id=f"theme-{row.key}"))
    head = el("tr", el("th", h._("Theme"), scope="col") + el("th", h._("Parents"), "num", scope="col")
               + el("th", h._("Percent"), "num", scope="col") + el("th", h._("Criteria"), scope="col"))
    out.append(el("table", el("caption", h._("Themes, ranked")) + el("thead", head) + el("tbody", "".join(rows))))
    out.append(el("p", h._("Percentages are of all %(count)s responses.", count=t.number(r.total or 0)), "note"))
    out.append(_sources(h))
    return "\n".join(out)


def _sources(h: Html) -> str:
    """Each theme's parents split by where the theme came from: the parent's own choice, the classifier, or
    the closed answers. Themes too small to split are left out; their total is in the table above."""
    r, t = h.r, h.t
    head = (el("th", h._("Theme"), scope="col") + el("th", h._("Parents"), "num", scope="col")
            + "".join(el("th", esc(t.gettext(label)), "num", scope="col") for label in SOURCE_LABELS.values()))
    rows = []
    for row in r.themes.rows if r.themes else ():
        split = r.source_split(row.key)
        if split is None or split.withheld:
            continue
        cells = el("td", esc(t.gettext(row.label))) + el("td", esc(count_text(row.figure, r, t)),
                                                            "num" if row.figure.shown else "num sup")
        for cell in split.rows:
            cells += el("td", esc(count_text(cell.figure, r, t)), "num" if cell.figure.shown else "num sup",
                         **{"data-source": cell.key})
        rows.append(el("tr", cells, id=f"sources-{row.key}"))
    note = el("p", h._("Themes raised by too few parents to split are left out of this table."), "note")
    if not rows:
        return note
    table = el("table", el("caption", h._("How each theme was found")) + el("thead", el("tr", head))
                + el("tbody", "".join(rows)), "sources")
    return table + "\n" + note


def _criteria(h: Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("criteria", t.gettext("Evidence by inspection framework criterion"))]
    themes = {row.key: row for row in (r.themes.rows if r.themes else ())}
    for section in r.criteria:
        parts = [el("h3", esc(f"{section.id}: {t.gettext(section.text)}"))]
        findings = h.findings(r.finding(fid) for fid in section.findings)
        if findings:
            parts.append(findings)
        if section.themes and themes:
            items = []
            for tid in section.themes:
                fig = themes[tid].figure
                value = el("span", esc(figure_text(fig, r, t)), "" if fig.shown else "sup")
                items.append(el("li", esc(t.gettext(themes[tid].label)) + ": " + value))
            parts.append(el("p", el("strong", h._("Themes"))) + el("ul", "".join(items)))
        if section.questions:
            links = ", ".join(el("a", esc(t.gettext(r.table(q).title)), href=f"#q-{q}") for q in section.questions)
            parts.append(el("p", h._("Questions") + ": " + links, "note"))
        out.append(el("section", "\n".join(parts), "criterion", id=f"criterion-{section.id}"))
    return "\n".join(out)


def _flags(h: Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("flags", t.gettext("Flags")),
           el("p", h._("Flags mark written answers that describe a possible unlawful local practice, a risk to a "
                        "child or parent, a language barrier, or something that worked well. They are counts of "
                        "parents, never individual cases."))]
    if r.flags is not None:
        out.append(h.table(r.flags))
    return "\n".join(out)


def _strengths(h: Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("strengths", t.gettext("Strengths"))]
    findings = h.findings(r.shown_findings("strength"))
    out.append(findings or el("p", h._("No strength has a count that can be shown."), "sup"))
    if any(g.question in STRENGTH_TEXT_QUESTIONS for g in r.quotes):
        # No count here: a number of quotes is not protected by the threshold.
        text = h._("Quotes about what has worked well are in the section \u201cParents' own words\u201d.")
        out.append(el("p", el("a", text, href="#quotes")))
    return "\n".join(out)


def _quote_group(h: Html, group: QuoteGroup) -> list[str]:
    """The group's heading and its quotes, one piece each (joined once, with the whole page)."""
    t = h.t
    heading = h.theme_name(group.theme) if group.theme else t.gettext("Other comments")
    items = []
    for quote in group.quotes:
        code = quote.language
        # Every quote carries its theme labels in the reader's language (English for inspectors), so a quote
        # in another language can be placed without reading it.
        labels = [x for x in (group.theme, *quote.also) if x]
        caption = [esc(language_name(code, t))] + [el("span", esc(h.theme_name(x)), "tag", lang=html_lang(t.code))
                                                  for x in labels]
        text = el("blockquote", esc(quote.text), lang=html_lang(code), dir="rtl" if is_rtl(code) else "ltr")
        items.append(el("figure", text + el("figcaption", " ".join(caption)), "quote"))
    return [el("h4", esc(heading)), *items]


def _quotes(h: Html) -> list[str]:
    """The section's pieces, to be joined with newlines."""
    r, t = h.r, h.t
    out = [h.h2("quotes", t.gettext("Parents' own words"))]
    if not r.quotes:
        out.append(el("p", h._("No parent who agreed to be quoted wrote an answer."), "sup"))
        return out
    out.append(el("p", h._("Written answers of parents who agreed to be quoted, after names and contact details "
                            "were removed, in the language they were written in. Each quote appears once, under its "
                            "most raised theme.")))
    current = None
    for group in r.quotes:
        if group.question != current:
            current = group.question
            out.append(el("h3", esc(t.gettext(SHORT_TITLES.get(group.question, group.question_text)))))
        out += _quote_group(h, group)
    return out


def _questions(h: Html) -> str:
    r, t = h.r, h.t
    out = [h.h2("questions", t.gettext("Answers to each question"))]
    svg = ratings_chart_svg(r, t)
    if svg:
        out.append(el("figure", svg))
    out += [h.table(table) for table in r.questions]
    out.append(el("p", el("a", h._("Key to the charts and tables"), href="#legend"), "note"))
    return "\n".join(out)


def _legend(h: Html) -> str:
    """The report's one key: what each colour and each marker of a suppressed figure means."""
    r, t = h.r, h.t
    swatch = [("count", h._("Number of parents")), ("poor", h._("Poor or very poor")),
              ("good", h._("Good or very good"))]
    items = [el("li", el("span", "", f"swatch {name}") + label) for name, label in swatch]
    markers = [
        (fewer_than(r, t), h._("a count under the threshold, including zero.")),
        (t.gettext("all but fewer than %(threshold)s", threshold=t.number(r.threshold)),
         h._("everyone who answered except a number under the threshold.")),
        (t.gettext("hidden"), h._("a count hidden so that a small one cannot be worked out.")),
    ]
    items += [el("li", el("span", esc(word), "sup") + " " + meaning) for word, meaning in markers]
    return el("div", el("p", el("strong", h._("Key to the charts and tables"))) + el("ul", "".join(items)),
               "legend", id="legend")
