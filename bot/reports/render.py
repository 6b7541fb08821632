"""One entry point for every report format, so callers (Telegram handlers, the CLI) name a format only."""

from __future__ import annotations

from typing import Literal

from bot.i18n.catalog import Translator
from bot.reports.render_csv import render_csv
from bot.reports.render_html import render_html
from bot.reports.render_json import render_json
from bot.reports.render_text import render_text
from bot.reports.report import Report

Format = Literal["text", "html", "csv", "json"]
FORMATS: tuple[Format, ...] = ("text", "html", "csv", "json")
MEDIA_TYPES: dict[Format, str] = {
    "text": "text/html; charset=utf-8",  # Telegram HTML parse mode
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def render(report: Report, fmt: Format, translator: Translator) -> bytes | str:
    """Text, HTML, CSV and JSON are returned as ``str``; encode as UTF-8 to send as a file."""
    if fmt == "text":
        return render_text(report, translator)
    if fmt == "html":
        return render_html(report, translator)
    if fmt == "csv":
        return render_csv(report, translator)
    if fmt == "json":
        return render_json(report, translator)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
