"""A database connection shared by several asyncio tasks, one statement at a time.

aiosqlite runs each call on the connection's thread, but a read is two calls (execute, then fetch) and
another task's write can slip in between. That write then runs inside the half-read statement's snapshot,
and if another connection has committed meanwhile SQLite refuses it at once with "database is locked"
(a stale WAL snapshot; the busy timeout does not apply). Holding a lock for each whole statement avoids it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiosqlite

from bot.storage.db import Database


class SerialDatabase(Database):
    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        super().__init__(conn, path)
        self._lock = asyncio.Lock()

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> aiosqlite.Row | None:
        async with self._lock:
            return await super().fetchone(sql, params)

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            return await super().fetchall(sql, params)

    async def execute(self, sql: str, params: tuple[object, ...] = ()) -> int:
        async with self._lock:
            return await super().execute(sql, params)
