"""The SQLite connection: one writer, WAL, foreign keys, a file only its owner can read.

The database holds pseudonymised special category data, so the file is created with mode 0600 before
SQLite ever opens it (an existing file, and its -wal/-shm, are made 0600 on every open), and every step of
a conversation is one transaction. A file SQLite cannot use is refused with a clear error, with the
connection's thread closed, so a process never hangs on a bad database.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.storage.migrations import apply_migrations

log = logging.getLogger(__name__)
T = TypeVar("T")


class DatabaseOpenError(RuntimeError):
    """The file is not a usable SQLite database (garbage, read-only directory, missing folder...)."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _create_private(path: Path) -> None:
    if str(path) == ":memory:":
        return
    if path.exists():
        _make_private(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def _make_private(path: Path) -> None:
    """0600 for a file made by an older version, a copy or a restore with a wider mode."""
    try:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
    except OSError as exc:  # not our file: say so rather than fail to start
        log.warning("cannot make %s private (mode 0600): %s", path.name, exc.strerror)


def _private_sidecars(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            _make_private(side)


def _open_error(path: Path, exc: BaseException) -> DatabaseOpenError:
    return DatabaseOpenError(
        f"cannot use the database {path}: {exc}. It must be a ParentVoice SQLite file in a directory this "
        f"process can write to (SQLite keeps {path.name}-wal and {path.name}-shm beside it).")


#: The Database whose lock the current task holds, so that statements inside a transaction do not wait for it.
_holder: ContextVar[Database | None] = ContextVar("parentvoice_db_holder", default=None)

#: The update being handled in this task, recorded as processed by the first transaction of its step, so that
#: the record and the step's effect commit together (a crash can then neither lose nor repeat the step).
pending_update: ContextVar[int | None] = ContextVar("parentvoice_pending_update", default=None)

#: The update whose step committed in this task: its processed mark is written and its sealed inbox row
#: removed in that same transaction, so nothing is left to clear once the step has been handled.
settled_update: ContextVar[int | None] = ContextVar("parentvoice_settled_update", default=None)


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
        self._checkpoint_after_commit = False
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
        try:
            _create_private(path)
        except OSError as exc:
            raise _open_error(path, exc) from exc
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise _open_error(path, exc) from exc
        try:
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
        except BaseException as exc:
            # aiosqlite runs a non-daemon thread per connection: left open, the process never exits.
            await conn.close()
            if isinstance(exc, sqlite3.Error):
                raise _open_error(path, exc) from exc
            raise
        _private_sidecars(path)
        return db

    async def close(self) -> None:
        await self.conn.close()

    async def checkpoint(self) -> None:
        """Fold the -wal file into the database and empty it, so deleted text is not left in the log.

        With secure_delete the freed pages are zeroed in the database file; until a checkpoint, the old
        pages (free text included) still sit in the -wal. Called right after every deletion a parent asks for.
        """
        async with self.exclusive():
            await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def wiped(self) -> None:
        """Repositories call this after deleting what a parent asked to delete: checkpoint once committed."""
        if self.conn.in_transaction:
            self._checkpoint_after_commit = True
        else:
            await self.checkpoint()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self.exclusive():
            update_id = pending_update.get()
            marked_at = now_iso()

            def begin(conn: sqlite3.Connection) -> None:
                conn.execute("BEGIN IMMEDIATE").close()
                if update_id is not None:
                    # The processed mark and the inbox row's removal ride in the step's one commit (no
                    # separate write per update); a rollback keeps the inbox row, so nothing is lost.
                    conn.execute("INSERT OR IGNORE INTO processed_updates VALUES (?, ?)", (update_id, marked_at)).close()
                    conn.execute("DELETE FROM inbox WHERE update_id = ?", (update_id,)).close()

            try:
                await self._on_thread(begin)
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")
                if update_id is not None:
                    pending_update.set(None)
                    settled_update.set(update_id)
                if self._checkpoint_after_commit:
                    self._checkpoint_after_commit = False
                    await self.checkpoint()

    async def _on_thread(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` on the connection's own thread in one hop (execute, fetch and close together).

        aiosqlite's cursor API costs a hop per call (execute, fetch, close: three for a read), each a
        round trip through a queue and the event loop; a parent's step makes about fifteen statements.
        aiosqlite is pinned (pyproject.toml), so its queueing method and raw connection are relied on here.
        """
        return await self.conn._execute(work, self.conn._conn)  # type: ignore[attr-defined]

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> aiosqlite.Row | None:
        def one(conn: sqlite3.Connection) -> aiosqlite.Row | None:
            cur = conn.execute(sql, params)
            try:
                return cur.fetchone()  # type: ignore[no-any-return]
            finally:
                cur.close()

        async with self.exclusive():
            return await self._on_thread(one)

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        def every(conn: sqlite3.Connection) -> list[aiosqlite.Row]:
            cur = conn.execute(sql, params)
            try:
                return cur.fetchall()
            finally:
                cur.close()

        async with self.exclusive():
            return await self._on_thread(every)

    async def fetch_many(self, queries: Sequence[tuple[str, tuple[object, ...]]]) -> list[list[tuple[Any, ...]]]:
        """Several reads in one hop, no other statement of the bot between them; rows as plain tuples.

        For bulk reads (a report's responses): a plain tuple costs about half what a Row does to make.
        """
        def every(conn: sqlite3.Connection) -> list[list[tuple[Any, ...]]]:
            out = []
            for sql, params in queries:
                cur = conn.cursor()
                cur.row_factory = None
                try:
                    out.append(cur.execute(sql, params).fetchall())
                finally:
                    cur.close()
            return out

        async with self.exclusive():
            return await self._on_thread(every)

    async def execute(self, sql: str, params: tuple[object, ...] = ()) -> int:
        def run(conn: sqlite3.Connection) -> int:
            cur = conn.execute(sql, params)
            try:
                return cur.rowcount
            finally:
                cur.close()

        async with self.exclusive():
            return await self._on_thread(run)

    async def insert(self, sql: str, params: tuple[object, ...] = ()) -> int:
        """Run an INSERT and return the new row's id."""
        def run(conn: sqlite3.Connection) -> int:
            cur = conn.execute(sql, params)
            try:
                assert cur.lastrowid is not None
                return cur.lastrowid
            finally:
                cur.close()

        async with self.exclusive():
            return await self._on_thread(run)

    async def atomic(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` as one transaction in one hop to the connection's thread (BEGIN IMMEDIATE ... COMMIT).

        For a repository's batch (claim N outbox rows and read what they send, finish N rows) where one
        round trip matters more than the per-statement API. Inside a caller's transaction it just runs.
        """
        def run(conn: sqlite3.Connection) -> T:
            if conn.in_transaction:
                return work(conn)
            conn.execute("BEGIN IMMEDIATE").close()
            try:
                result = work(conn)
            except BaseException:
                conn.execute("ROLLBACK").close()
                raise
            conn.execute("COMMIT").close()
            return result

        async with self.exclusive():
            return await self._on_thread(run)
