"""The aggregates as CSV, for inspectors who want the figures in a spreadsheet.

Aggregates only: one row per published figure, never a row per respondent and never written text (quotes
are not aggregates, so they stay in the HTML report). Schema in docs/reports.md. The file starts with a
UTF-8 byte order mark so spreadsheet programs read non-English labels correctly.
"""

from __future__ import annotations

import csv
import io

from bot.i18n.catalog import Translator
from bot.reports.disclosure import Figure, Status
from bot.reports.report import Report, TableReport
from bot.reports.wording import row_label

COLUMNS = ("table", "table_title", "row_type", "key", "label", "value", "percent", "status", "base", "criteria")
BOM = "\ufeff"


def suppressed_value(fig: Figure, threshold: int, base: int | None = None) -> str:
    """How a figure is written in CSV: the count, "<10" under the threshold, ">30" for all but fewer than
    10 of a base of 40, or "hidden"."""
    if fig.status is Status.SHOWN and fig.count is not None:
        return str(fig.count)
    if fig.status is Status.FEWER_THAN:
        return f"<{threshold}"
    if fig.status is Status.NEARLY_ALL and base is not None:
        return f">{base - threshold}"
    return "hidden"


def _percent(fig: Figure) -> str:
    return f"{fig.percent:.4f}" if fig.status is Status.SHOWN and fig.percent is not None else ""


def _table_rows(report: Report, table: TableReport, t: Translator) -> list[list[str]]:
    title = t.gettext(table.title)
    base = str(table.base.count) if table.base.count is not None else suppressed_value(table.base, report.threshold)
    criteria = " ".join(table.criteria)
    rows = [[table.id, title, "base", "", t.gettext("Parents in the base"), base, "", table.base.status.value,
             base, criteria]]
    if table.withheld:
        rows.append([table.id, title, "withheld", "", table.withheld, "", "", "withheld", base, criteria])
        return rows
    for row in table.rows:
        rows.append([table.id, title, "cell", row.key, row_label(row, t),
                     suppressed_value(row.figure, report.threshold, table.base.count),
                     _percent(row.figure), row.figure.status.value, base, " ".join(row.criteria) or criteria])
    for row in table.groups:
        rows.append([table.id, title, "group", row.key, t.gettext(row.label),
                     suppressed_value(row.figure, report.threshold), _percent(row.figure), row.figure.status.value,
                     base, criteria])
    return rows


def render_csv(report: Report, t: Translator) -> str:
    info = report.info
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    meta = [
        ("inspection_id", info.id), ("area_name", info.area_name), ("area_code", info.area_code),
        ("survey_opens", info.survey_opens.isoformat()), ("survey_closes", info.survey_closes.isoformat()),
        ("questionnaire", f"{report.questionnaire_id} v{report.questionnaire_version}"),
        ("threshold", str(report.threshold)), ("languages_offered", str(report.languages_offered)),
        ("total_responses", str(report.total) if report.total is not None else f"<{report.threshold}"),
    ]
    for key, value in meta:
        writer.writerow(["report", "", "meta", key, "", value, "", "", "", ""])
    for table in (*report.tables(), *report.sources):
        writer.writerows(_table_rows(report, table, t))
    return BOM + buf.getvalue()
