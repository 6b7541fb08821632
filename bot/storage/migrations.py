"""Numbered SQL files in ``migrations/``, applied once each, in order, inside a transaction."""

from __future__ import annotations

import os
import re
from pathlib import Path

import aiosqlite

MIGRATIONS_DIR = Path(os.environ.get("PARENTVOICE_MIGRATIONS", Path(__file__).resolve().parents[2] / "migrations"))
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migration_files(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        m = _NAME.match(path.name)
        if not m:
            raise RuntimeError(f"Migration file {path.name} is not named NNN_name.sql")
        found.append((int(m.group(1)), path))
    numbers = [n for n, _ in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError("Two migration files share a number")
    return found


async def apply_migrations(conn: aiosqlite.Connection, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply what is not applied yet; returns the numbers applied now."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    async with conn.execute("SELECT version FROM schema_migrations") as cur:
        done = {row[0] for row in await cur.fetchall()}
    applied = []
    for number, path in migration_files(directory):
        if number in done:
            continue
        sql = path.read_text(encoding="utf-8")
        script = (f"BEGIN IMMEDIATE;\n{sql}\n;INSERT INTO schema_migrations (version, applied_at) "
                  f"VALUES ({number}, datetime('now'));\nCOMMIT;")
        try:
            await conn.executescript(script)
        except BaseException:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied

