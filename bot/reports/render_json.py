"""The aggregates as JSON, for other tools. Aggregates only: no quotes, no written text, no respondent.

A suppressed figure is ``"count": null`` with ``"suppressed": true`` and its ``status`` ("fewer_than" or
"hidden"). Schema ``parentvoice.report/1``, documented in docs/reports.md.
"""

from __future__ import annotations

import json

from bot.i18n.catalog import Translator
from bot.reports.disclosure import Figure, Status
from bot.reports.report import Report, Row, TableReport
from bot.reports.wording import finding_sentence, row_label

SCHEMA = "parentvoice.report/1"


def _figure(fig: Figure, threshold: int, base: int | None = None) -> dict[str, object]:
    shown = fig.status is Status.SHOWN
    out: dict[str, object] = {
        "count": fig.count if shown else None,
        "percent": round(fig.percent, 4) if shown and fig.percent is not None else None,
        "suppressed": not shown,
        "status": fig.status.value,
    }
    if fig.status is Status.FEWER_THAN:
        out["at_most"] = threshold - 1
    elif fig.status is Status.NEARLY_ALL and base is not None:
        out["at_least"] = base - threshold + 1
    return out


def _row(row: Row, t: Translator, threshold: int, base: int | None) -> dict[str, object]:
    out: dict[str, object] = {"key": row.key, "label": row_label(row, t), **_figure(row.figure, threshold, base)}
    if row.criteria:
        out["criteria"] = list(row.criteria)
    return out


def _table(table: TableReport, t: Translator, threshold: int) -> dict[str, object]:
    base = table.base.count
    return {
        "id": table.id,
        "title": t.gettext(table.title),
        "kind": table.kind,
        "question_type": table.question_type,
        "percent_of": table.percent_of,
        "criteria": list(table.criteria),
        "withheld": table.withheld,
        "base": _figure(table.base, threshold),
        "rows": [] if table.withheld else [_row(r, t, threshold, base) for r in table.rows],
        "groups": [] if table.withheld else [_row(r, t, threshold, base) for r in table.groups],
    }


def report_dict(report: Report, t: Translator) -> dict[str, object]:
    info = report.info
    out: dict[str, object] = {
        "schema": SCHEMA,
        "inspection": {
            "id": info.id, "area_name": info.area_name, "area_code": info.area_code,
            "survey_opens": info.survey_opens.isoformat(), "survey_closes": info.survey_closes.isoformat(),
            "visit_starts": info.visit_starts.isoformat() if info.visit_starts else None,
            "visit_ends": info.visit_ends.isoformat() if info.visit_ends else None,
            "official_survey_url": info.official_survey_url,
        },
        "questionnaire": {"id": report.questionnaire_id, "version": report.questionnaire_version},
        "language": t.code,
        "threshold": report.threshold,
        "languages_offered": report.languages_offered,
        "below_threshold": report.below_threshold,
        "total_responses": report.total,
    }
    if report.below_threshold:
        return out
    s = report.suppression
    out["suppression"] = {"fewer_than": s.fewer_than, "nearly_all": s.nearly_all, "hidden": s.hidden,
                          "withheld_tables": s.withheld_tables}
    out["tables"] = [_table(table, t, report.threshold) for table in report.tables()]
    # Per theme: its parents split by source (parent, classifier, rule); base is the theme's own figure.
    out["theme_sources"] = [_table(table, t, report.threshold) for table in report.sources]
    out["themes_ranked"] = [r.key for r in report.themes.rows] if report.themes else []
    out["findings"] = [
        {"id": f.id, "kind": f.kind, "table": f.table, "key": f.key, "criteria": list(f.criteria),
         "text": finding_sentence(f, t), **_figure(f.figure, report.threshold, report.table(f.table).base.count)}
        for f in report.findings
    ]
    out["criteria"] = [
        {"id": c.id, "text": t.gettext(c.text), "themes": list(c.themes), "questions": list(c.questions),
         "findings": list(c.findings)}
        for c in report.criteria
    ]
    return out


def render_json(report: Report, t: Translator) -> str:
    return json.dumps(report_dict(report, t), ensure_ascii=False, indent=2) + "\n"
