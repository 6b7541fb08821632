"""The short Telegram summary for ``/summary``: what an inspector reads first, on one phone screen.

At most ``SCREEN_LINES`` lines and ``SCREEN_CHARS`` characters (and never over Telegram's 4096): the totals,
the languages, the three themes raised most, then the shown flags, concerns and strengths as room allows,
and where the rest is (the HTML report). Telegram HTML parse mode.

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
TOP_THEMES = 3
TOP_CONCERNS = 3
TOP_STRENGTHS = 2
#: One phone screen: what an inspector reads first; every table is in the HTML report.
SCREEN_LINES = 15
SCREEN_CHARS = 1000


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
        if shown and len(shown) < len(languages.rows):
            overview.append(escape(t.gettext("Other languages: numbers too small to show.")))
        elif not shown:
            # "Other languages" with no first language would lead to nothing.
            overview.append(escape(t.gettext("Languages: every number is too small to show.")))

    if report.themes is not None and not report.themes.withheld:
        top = [r for r in report.themes.rows if r.figure.status in (Status.SHOWN, Status.NEARLY_ALL)][:TOP_THEMES]
        if top:  # names only: the chart sent with the summary has the counts
            overview.append(escape(t.gettext("Themes raised most: %(themes)s.",
                                             themes=", ".join(t.gettext(r.label) for r in top))))
    # Blocks that may lose lines to fit one screen, the least needed first.
    optional: list[list[str]] = []
    if report.flags is not None and not report.flags.withheld:
        # Only shown flags: the full report lists the rest as "fewer than 10 (may be none)".
        flags = [f"{escape(t.gettext(r.label))}: {escape(figure_text(r.figure, report, t))}"
                 for r in report.flags.rows if r.figure.status in (Status.SHOWN, Status.NEARLY_ALL)]
        if flags:  # a heading never leads to nothing
            optional.append([_b(t.gettext("Flags")), *(f"• {line}" for line in flags)])
    for kind, title, top_n in (("strength", t.gettext("Strengths reported"), TOP_STRENGTHS),
                               ("concern", t.gettext("Concerns reported"), TOP_CONCERNS)):
        sentences = [s for f in report.shown_findings(kind)[:top_n] if (s := finding_sentence(f, t))]
        if sentences:
            optional.append([_b(title), *(f"• {escape(s)}" for s in sentences)])
    note = [escape(t.gettext(
        "Counts under %(threshold)s are shown as \u201cfewer than %(threshold)s\u201d. The full report "
        "(/report %(id)s) has every table, the method and parents' own words.",
        threshold=t.number(report.threshold), id=report.info.id))]
    return _fit_screen([head, overview], optional[::-1], note, limit)


def screen_lines(text: str) -> int:
    """Lines a reader sees, not counting the blank ones between blocks."""
    return sum(1 for line in text.split("\n") if line.strip())


def _fit_screen(fixed: list[list[str]], optional: list[list[str]], note: list[str], limit: int) -> str:
    """Fixed blocks, then optional ones in order of need, then the note; optional lines are dropped from the
    least needed block until the whole fits one phone screen (``SCREEN_LINES`` and ``SCREEN_CHARS``)."""
    optional = [list(b) for b in optional]

    def joined() -> str:
        return "\n\n".join("\n".join(b) for b in (*fixed, *optional, note) if b)

    text = joined()
    while optional and (screen_lines(text) > SCREEN_LINES or telegram_length(text) > min(limit, SCREEN_CHARS)):
        last = optional[-1]
        last.pop()
        if len(last) <= 1:  # only its heading left: drop the block
            optional.pop()
        text = joined()
    return _fit([*fixed, *optional, note], limit)


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
