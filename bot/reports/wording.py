"""Words shared by every renderer: how a count, a suppressed count, a language and a finding are said.

One place so that the Telegram summary, the HTML report, the CSV and the JSON can never disagree about
what "fewer than 10" or "hidden" means. All text goes through the reader's translator.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from bot.i18n.catalog import Translator
from bot.i18n.markers import N_
from bot.reports.disclosure import Figure, Status
from bot.reports.report import Finding, Report, Row

#: Scripts written right to left, for languages babel might not know.
RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "ps", "he", "yi", "ckb", "sd", "ug", "dv", "pa_Arab"})

HIDDEN = N_("hidden")
FEWER_THAN = N_("fewer than %(threshold)s")
NEARLY_ALL = N_("all but fewer than %(threshold)s")
#: For flags: a flag nobody raised is also "fewer than 10", and a reader must not take it for a warning.
FEWER_MAY_BE_NONE = N_("fewer than %(threshold)s (may be none)")


@lru_cache(maxsize=512)
def _locale(code: str) -> Locale | None:
    """Parsed once per code: a report names the language of each of up to 100,000 quotes."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def language_name(code: str | None, t: Translator) -> str:
    """The language's name in the reader's language ("Urdu"), or a plain note when it is not known."""
    if not code:
        return t.gettext("language not detected")
    return _display_name(code, t.babel_locale)


@lru_cache(maxsize=2048)
def _display_name(code: str, reader_code: str) -> str:
    loc = _locale(code)
    reader = _locale(reader_code) or Locale("en")
    name = loc.get_display_name(reader) if loc is not None else None
    return name[:1].upper() + name[1:] if name else code


@lru_cache(maxsize=512)
def is_rtl(code: str | None) -> bool:
    if not code:
        return False
    if code in RTL_LANGUAGES or code.split("_")[0] in RTL_LANGUAGES:
        return True
    loc = _locale(code)
    return bool(loc is not None and loc.text_direction == "rtl")


def html_lang(code: str | None) -> str:
    """A BCP 47 tag for a ``lang`` attribute (``zh_Hans`` -> ``zh-Hans``)."""
    return (code or "und").replace("_", "-")


def fewer_than(report: Report, t: Translator) -> str:
    return t.gettext(FEWER_THAN, threshold=t.number(report.threshold))


def count_text(fig: Figure, report: Report, t: Translator, *, may_be_none: bool = False) -> str:
    """The count cell of a table: "34", "fewer than 10", "all but fewer than 10" or "hidden".

    ``may_be_none`` (flags) says outright that "fewer than 10" includes nobody at all.
    """
    if fig.status is Status.SHOWN and fig.count is not None:
        return t.number(fig.count)
    if fig.status is Status.FEWER_THAN:
        if may_be_none:
            return t.gettext(FEWER_MAY_BE_NONE, threshold=t.number(report.threshold))
        return fewer_than(report, t)
    if fig.status is Status.NEARLY_ALL:
        return t.gettext(NEARLY_ALL, threshold=t.number(report.threshold))
    return t.gettext(HIDDEN)


def percent_text(fig: Figure, t: Translator) -> str:
    """The percentage of a shown count; empty for a suppressed one (it would reveal the count)."""
    if fig.status is Status.SHOWN and fig.percent is not None:
        return t.percent(fig.percent)
    return ""


def figure_text(fig: Figure, report: Report, t: Translator, *, may_be_none: bool = False) -> str:
    """A count with its percentage: "34 (41%)"."""
    pct = percent_text(fig, t)
    count = count_text(fig, report, t, may_be_none=may_be_none)
    return t.gettext("%(count)s (%(percent)s)", count=count, percent=pct) if pct else count


def row_label(row: Row, t: Translator) -> str:
    return language_name(row.label, t) if row.language else t.gettext(row.label)


def finding_sentence(finding: Finding, t: Translator) -> str | None:
    """The counted sentence of a finding, or None when its count is suppressed (then only tables show it)."""
    fig = finding.figure
    if fig.status is not Status.SHOWN or fig.count is None or fig.percent is None:
        return None
    return t.ngettext(finding.singular, finding.plural, fig.count,
                      count=t.number(fig.count), percent=t.percent(fig.percent))


def date_range(start: date | None, end: date | None, t: Translator) -> str:
    if start is None:
        return ""
    if end is None or end == start:
        return t.date(start)
    return t.gettext("%(start)s to %(end)s", start=t.date(start), end=t.date(end))
