"""Structured logs: one JSON object a line, with no message text and no user ids in them.

Handlers log only the kind of event; third-party loggers that would print request URLs (which carry
the bot token) or payloads are kept at WARNING.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: int = logging.INFO, path: Path | None = None) -> None:
    """JSON lines on stderr, or appended to ``path`` (0600) when given (the demo's terminal is a chat)."""
    if path is not None:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    handler = logging.StreamHandler(sys.stderr) if path is None else logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "aiohttp", "tornado", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
