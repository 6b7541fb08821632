"""The short Telegram summary for ``/summary``: HTML parse mode, at most 4096 characters.

Every piece of text is escaped; every line opens and closes its own tags, so dropping lines to fit the
limit can never leave a tag unbalanced. Length is measured in UTF-16 code units, as Telegram counts.
"""

from __future__ import annotations

from html import escape as _escape

from bot.i18n.catalog import Translator
from bot.reports.disclosure import Status
from bot.reports.report import Report
from bot.reports.wording import date_range, figure_text, finding_sentence, language_name

TELEGRAM_LIMIT = 4096
TOP_THEMES = 5
TOP_FINDINGS = 4


def escape(text: str) -> str:
    """Telegram's HTML mode needs only <, > and & escaped in text; quotes stay readable."""
    return _escape(text, quote=False)


def telegram_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _b(text: str) -> str:
    return f"<b>{escape(text)}</b>"


def _header(report: Report, t: Translator) -> list[str]:
    info = report.info
    lines = [_b(t.gettext("Parent evidence for the area SEND inspection of %(area)s", area=info.area_name))]
    lines.append(escape(t.gettext("Survey open: %(dates)s",
                                  dates=date_range(info.survey_opens, info.survey_closes, t))))
    if info.visit_starts:
        lines.append(escape(t.gettext("Inspection visit: %(dates)s",
                                      dates=date_range(info.visit_starts, info.visit_ends, t))))
    return lines


def render_text(report: Report, t: Translator, limit: int = TELEGRAM_LIMIT) -> str:
    head = _header(report, t)
    if report.total is None:
        note = t.gettext("There are fewer than %(threshold)s responses so far, so no figures can be shown yet.",
                         threshold=t.number(report.threshold))
        return _fit([head, [escape(note)]], limit)

    overview = [_b(t.ngettext("%(count)s response", "%(count)s responses", report.total))]
    languages = report.profile[0] if report.profile else None
    if languages is not None and not languages.withheld:
        shown = [r for r in languages.rows if r.figure.shown]
        shown.sort(key=lambda r: -(r.figure.count or 0))
        if shown:
            parts = ", ".join(f"{language_name(r.key, t)} {t.number(r.figure.count or 0)}" for r in shown)
            overview.append(escape(t.gettext("Languages: %(list)s", list=parts)))
        if len(shown) < len(languages.rows):
            overview.append(escape(t.gettext("Other languages: numbers too small to show.")))

    blocks = [head, overview]
    if report.themes is not None and not report.themes.withheld:
        themes = [_b(t.gettext("Themes raised most"))]
        top = [r for r in report.themes.rows if r.figure.status in (Status.SHOWN, Status.NEARLY_ALL)]
        for i, row in enumerate(top[:TOP_THEMES], start=1):
            themes.append(escape(t.gettext("%(rank)s. %(theme)s: %(figure)s", rank=t.number(i),
                                           theme=t.gettext(row.label), figure=figure_text(row.figure, report, t))))
        if len(themes) > 1:
            blocks.append(themes)
    for kind, title in (("concern", t.gettext("Concerns reported")), ("strength", t.gettext("Strengths reported"))):
        sentences = [s for f in report.shown_findings(kind)[:TOP_FINDINGS] if (s := finding_sentence(f, t))]
        if sentences:
            blocks.append([_b(title), *(f"• {escape(s)}" for s in sentences)])
    if report.flags is not None and not report.flags.withheld:
        flags = [f"{escape(t.gettext(r.label))}: {escape(figure_text(r.figure, report, t))}" for r in report.flags.rows]
        blocks.append([_b(t.gettext("Flags")), *(f"• {line}" for line in flags)])
    blocks.append([escape(t.gettext(
        "Counts under %(threshold)s are shown as \u201cfewer than %(threshold)s\u201d, and some others are hidden "
        "so that they cannot be worked out. The full report has every table, the method and parents' own words.",
        threshold=t.number(report.threshold)))])
    return _fit(blocks, limit)


def _fit(blocks: list[list[str]], limit: int) -> str:
    """Join blocks; while too long, drop the last line of the longest block (headings stay)."""
    blocks = [list(b) for b in blocks]

    def joined() -> str:
        return "\n\n".join("\n".join(b) for b in blocks if b)

    text = joined()
    while telegram_length(text) > limit:
        longest = max(blocks, key=len)
        if len(longest) <= 1:
            # Nothing left to drop line by line: keep whole lines only, as many as fit.
            lines, out = text.split("\n"), []
            for line in lines:
                if telegram_length("\n".join([*out, line])) > limit:
                    break
                out.append(line)
            return "\n".join(out)
        longest.pop()
        text = joined()
    return text
