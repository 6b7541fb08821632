"""Reports from the database: the only place that joins storage and the pure report code.

Shell, not core: it sits above both ``bot.storage`` and ``bot.reports`` (docs/architecture.md)."""

from __future__ import annotations

import os

from bot.i18n.catalog import Translator, translator
from bot.reports.aggregate import ReportBuilder
from bot.reports.chart import theme_chart_png
from bot.reports.disclosure import DEFAULT_THRESHOLD
from bot.reports.render import Format, render
from bot.reports.report import Report
from bot.storage import inspections as inspections_repo
from bot.storage.db import Database
from bot.storage.evidence import iter_records
from bot.survey.model import load_questionnaire


def threshold() -> int:
    """From PARENTVOICE_REPORT_THRESHOLD; never below 5 (build_report refuses that)."""
    return int(os.environ.get("PARENTVOICE_REPORT_THRESHOLD", DEFAULT_THRESHOLD))


async def report_for(db: Database, inspection_id: str) -> Report:
    """The inspection's report, built as its responses stream in from the database (never all held at once)."""
    inspection = await inspections_repo.get(db, inspection_id)
    if inspection is None:
        raise LookupError(f"no inspection {inspection_id!r}")
    builder = ReportBuilder(inspection, load_questionnaire(inspection.questionnaire_id), threshold=threshold())
    async for record in iter_records(db, inspection_id):
        builder.add(record)
    return builder.report()


async def report_bytes(db: Database, inspection_id: str, fmt: Format, t: Translator | None = None) -> bytes:
    rendered = render(await report_for(db, inspection_id), fmt, t or translator("en"))
    return rendered.encode("utf-8") if isinstance(rendered, str) else rendered


async def summary_and_chart(db: Database, inspection_id: str, t: Translator) -> tuple[str, bytes | None]:
    """The Telegram summary (HTML) and, when there is anything to chart, the theme chart."""
    report = await report_for(db, inspection_id)
    text = str(render(report, "text", t))
    chart = theme_chart_png(report, t) if report.total is not None else None
    return text, chart


async def aggregates_json(db: Database, inspection_id: str) -> str:
    """The report's aggregates as JSON (already suppressed): what a purge keeps of an inspection."""
    return (await report_bytes(db, inspection_id, "json")).decode()
