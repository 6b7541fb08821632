"""The SQLite connection: one writer, WAL, foreign keys, a file only its owner can read.

The database holds pseudonymised special category data, so the file is created with mode 0600 before
SQLite ever opens it, and every step of a conversation is one transaction.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.storage.migrations import apply_migrations


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _create_private(path: Path) -> None:
    if str(path) == ":memory:" or path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def _private_sidecars(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.chmod(side, 0o600)


#: The Database whose lock the current task holds, so that statements inside a transaction do not wait for it.
_holder: ContextVar[Database | None] = ContextVar("parentvoice_db_holder", default=None)


class Database:
    """A thin owner of one aiosqlite connection; repositories borrow it.

    Updates of different chats are handled concurrently, but they share this one connection: a lock makes
    each transaction (and each statement outside one) exclusive, so one chat's statements never run inside
    another chat's transaction. Statements issued while the current task holds the lock do not wait for it.
    A read is two calls on the connection's thread (execute, then fetch); without the lock another task's
    write could slip in between, run inside the read's stale WAL snapshot, and be refused ("database is
    locked") when another connection has committed meanwhile.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold the connection for a sequence of statements (re-entrant within one task)."""
        if _holder.get() is self:
            yield
            return
        async with self._lock:
            token = _holder.set(self)
            try:
                yield
            finally:
                _holder.reset(token)

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Database:
        path = Path(path)
        _create_private(path)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        # Deleted rows must not linger in free pages where a byte-level read could find them.
        await conn.execute("PRAGMA secure_delete=ON")
        db = cls(conn, path)
        if migrate:
            await apply_migrations(conn)
        _private_sidecars(path)
        return db

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self.exclusive():
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> aiosqlite.Row | None:
        async with self.exclusive(), self.conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        async with self.exclusive(), self.conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def execute(self, sql: str, params: tuple[object, ...] = ()) -> int:
        async with self.exclusive(), self.conn.execute(sql, params) as cur:
            return cur.rowcount

    async def insert(self, sql: str, params: tuple[object, ...] = ()) -> int:
        """Run an INSERT and return the new row's id."""
        async with self.exclusive(), self.conn.execute(sql, params) as cur:
            assert cur.lastrowid is not None
            return cur.lastrowid
