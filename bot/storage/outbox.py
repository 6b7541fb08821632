"""The persistent outbox in SQL: broadcasts, their rendered texts, and one row per message to send.

Every write here is its own statement in autocommit mode, so 'sending' is on disk before the API call and
'sent' after it: after a crash the rows tell exactly which messages went, which did not, and which were in
flight (see ``bot.broadcast.delivery``). States are stored by their value; ``bot.broadcast.outbox`` turns
them and the texts into the broadcaster's types.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.replies import Button
from bot.storage.db import Database, now_iso

#: Rows of URL buttons under a message.
Buttons = tuple[tuple[Button, ...], ...]

CHAT_PREFIX = "chat:"


def chat_recipient(chat_id: int) -> str:
    return f"{CHAT_PREFIX}{chat_id}"


@dataclass(frozen=True)
class Row:
    id: int
    broadcast_id: int
    recipient: str
    respondent: str | None
    variant: str
    part: int
    attempts: int
    not_before: float

    @property
    def chat_id(self) -> int | None:
        """The forum chat this row goes to; None for a parent (their chat id is sealed elsewhere)."""
        return int(self.recipient.removeprefix(CHAT_PREFIX)) if self.recipient.startswith(CHAT_PREFIX) else None


def _row(r: aiosqlite.Row) -> Row:
    return Row(r["id"], r["broadcast_id"], r["recipient"], r["respondent"], r["variant"], r["part"], r["attempts"],
               r["not_before"])


# ---------------------------------------------------------------- creating


async def create_broadcast(db: Database, kind: str, inspection_id: str, *, created_by: str, dedupe_key: str,
                           forum_code: str | None = None, languages: Sequence[str] = ()) -> int | None:
    """A new broadcast, or None when one with this ``dedupe_key`` exists already."""
    added = await db.execute(
        "INSERT OR IGNORE INTO broadcasts (kind, inspection_id, forum_code, languages, created_by, created_at,"
        " dedupe_key) VALUES (?,?,?,?,?,?,?)",
        (kind, inspection_id, forum_code, json.dumps(list(languages)), created_by, now_iso(), dedupe_key))
    if not added:
        return None
    row = await db.fetchone("SELECT id FROM broadcasts WHERE dedupe_key = ?", (dedupe_key,))
    assert row is not None
    return int(row[0])


def _buttons_json(buttons: Buttons) -> str | None:
    if not buttons:
        return None
    return json.dumps([[{"text": b.text, "url": b.url} for b in row] for row in buttons], ensure_ascii=False)


async def add_texts(db: Database, broadcast_id: int, variant: str, messages: Sequence[tuple[str, Buttons]]) -> None:
    """The parts of one variant (a language, or the forum post), each as (Telegram HTML, buttons)."""
    for part, (text, buttons) in enumerate(messages):
        await db.execute(
            "INSERT OR IGNORE INTO broadcast_texts (broadcast_id, variant, part, text, buttons) VALUES (?,?,?,?,?)",
            (broadcast_id, variant, part, text, _buttons_json(buttons)))


async def enqueue(db: Database, broadcast_id: int, topic: str, recipient: str, variant: str, parts: int, *,
                  respondent: str | None = None) -> int:
    """Queue every part for one recipient; parts already queued under this topic are not queued again."""
    now = now_iso()
    added = 0
    for part in range(parts):
        added += await db.execute(
            "INSERT OR IGNORE INTO outbox (broadcast_id, topic, recipient, respondent, variant, part, created_at,"
            " updated_at) VALUES (?,?,?,?,?,?,?,?)",
            (broadcast_id, topic, recipient, respondent, variant, part, now, now))
    return added


# ---------------------------------------------------------------- sending


async def pending(db: Database, limit: int = 500) -> list[Row]:
    rows = await db.fetchall("SELECT * FROM outbox WHERE state = 'queued' ORDER BY id LIMIT ?", (limit,))
    return [_row(r) for r in rows]


async def message_of(db: Database, row: Row) -> tuple[str, Buttons] | None:
    """The text and buttons this row sends, or None when they are gone."""
    found = await db.fetchone("SELECT text, buttons FROM broadcast_texts WHERE broadcast_id = ? AND variant = ?"
                              " AND part = ?", (row.broadcast_id, row.variant, row.part))
    if found is None:
        return None
    rows = json.loads(found[1]) if found[1] else []
    return found[0], tuple(tuple(Button(b["text"], url=b["url"]) for b in r) for r in rows)


@dataclass(frozen=True)
class Claimed:
    """A row just claimed ('sending', committed), with everything its request needs, read in the same transaction."""

    row: Row
    text: str | None           # None: the broadcast's text is gone
    buttons: Buttons
    sealed_chat: str | None    # a parent's sealed chat id; None when not subscribed (or stopped)
    linked: bool               # a forum chat that is still linked
    thread_id: int | None      # the forum topic to post in


def _buttons(raw: str | None) -> Buttons:
    rows = json.loads(raw) if raw else []
    return tuple(tuple(Button(b["text"], url=b["url"]) for b in r) for r in rows)


_CLAIMED = (
    "SELECT o.*, t.text, t.buttons, CASE WHEN p.stopped = 0 THEN c.sealed_chat END AS sealed_chat"
    " FROM outbox o"
    " LEFT JOIN broadcast_texts t ON t.broadcast_id = o.broadcast_id AND t.variant = o.variant AND t.part = o.part"
    " LEFT JOIN contacts c ON c.respondent = o.respondent"
    " LEFT JOIN parents p ON p.respondent = o.respondent"
    " WHERE o.id IN ({marks})"
)


async def claim_batch(db: Database, row_ids: Sequence[int]) -> list[Claimed]:
    """queued -> sending for these rows (those still queued), committed, with their texts, sealed chat ids and
    forum links: one transaction in one round trip, one UPDATE however many rows.

    The caller claims only rows whose requests go out now, so that 'sending' keeps meaning "may have reached
    Telegram" (after a crash such rows are in doubt, and not resent unless configured).
    """
    if not row_ids:
        return []
    ids = list(dict.fromkeys(row_ids))
    marks = ",".join("?" * len(ids))

    def work(conn: sqlite3.Connection) -> list[Claimed]:
        cur = conn.execute(f"UPDATE outbox SET state = 'sending', updated_at = ? WHERE state = 'queued'"
                           f" AND id IN ({marks}) RETURNING id", (now_iso(), *ids))
        claimed = {r[0] for r in cur.fetchall()}
        cur.close()
        if not claimed:
            return []
        got = [i for i in ids if i in claimed]
        got_marks = ",".join("?" * len(got))
        by_id = {r["id"]: r for r in conn.execute(_CLAIMED.format(marks=got_marks), got).fetchall()}
        chats = [int(r["recipient"].removeprefix(CHAT_PREFIX)) for r in by_id.values()
                 if r["recipient"].startswith(CHAT_PREFIX)]
        links = {}
        if chats:
            links = {f["chat_id"]: f for f in conn.execute(
                f"SELECT chat_id, state, thread_id FROM forum_chats WHERE chat_id IN ({','.join('?' * len(chats))})",
                chats).fetchall()}
        found: list[Claimed] = []
        for row_id in got:  # in the caller's order
            r = by_id[row_id]
            row = Row(r["id"], r["broadcast_id"], r["recipient"], r["respondent"], r["variant"], r["part"],
                      r["attempts"], r["not_before"])
            link = links.get(row.chat_id) if row.chat_id is not None else None
            found.append(Claimed(row, r["text"], _buttons(r["buttons"]), r["sealed_chat"],
                                 link is not None and link["state"] == "linked", link["thread_id"] if link else None))
        return found

    return await db.atomic(work)


async def claim(db: Database, row_id: int) -> bool:
    """queued -> sending, committed before the request goes out."""
    return await db.execute("UPDATE outbox SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'queued'",
                            (now_iso(), row_id)) == 1


async def finish(db: Database, row_id: int, state: str, attempts: int, not_before: float, reason: str = "") -> bool:
    """sending -> ``state`` (a retry goes back to queued with a not-before time); False if not 'sending'."""
    return await db.execute(
        "UPDATE outbox SET state = ?, attempts = ?, not_before = ?, last_error = ?, updated_at = ?"
        " WHERE id = ? AND state = 'sending'",
        (state, attempts, not_before, reason or None, now_iso(), row_id)) == 1


@dataclass(frozen=True)
class Finish:
    """One row's move out of 'sending' (see ``finish``)."""

    row_id: int
    state: str
    attempts: int
    not_before: float
    reason: str = ""


async def finish_many(db: Database, done: Sequence[Finish]) -> list[bool]:
    """``finish`` for several rows in one transaction and one round trip; for each, False if it was not 'sending'."""
    if not done:
        return []
    stamp = now_iso()

    def work(conn: sqlite3.Connection) -> list[bool]:
        moved = []
        for f in done:
            cur = conn.execute("UPDATE outbox SET state = ?, attempts = ?, not_before = ?, last_error = ?,"
                               " updated_at = ? WHERE id = ? AND state = 'sending'",
                               (f.state, f.attempts, f.not_before, f.reason or None, stamp, f.row_id))
            moved.append(cur.rowcount == 1)
            cur.close()
        return moved

    return await db.atomic(work)


async def repoint(db: Database, row_id: int, recipient: str) -> None:
    await db.execute("UPDATE OR IGNORE outbox SET recipient = ? WHERE id = ?", (recipient, row_id))


async def recover(db: Database, state: str) -> int:
    """At start-up: rows left 'sending' by a stopped process move to ``state``."""
    return await db.execute("UPDATE outbox SET state = ?, last_error = 'interrupted', updated_at = ?"
                            " WHERE state = 'sending'", (state, now_iso()))


# ---------------------------------------------------------------- observing


async def counts(db: Database, broadcast_id: int | None = None) -> dict[str, int]:
    if broadcast_id is None:
        rows = await db.fetchall("SELECT state, COUNT(*) FROM outbox GROUP BY state")
    else:
        rows = await db.fetchall("SELECT state, COUNT(*) FROM outbox WHERE broadcast_id = ? GROUP BY state",
                                 (broadcast_id,))
    return {r[0]: r[1] for r in rows}


async def open_rows(db: Database) -> int:
    """Rows still to send or in flight."""
    row = await db.fetchone("SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'sending')")
    return int(row[0]) if row else 0


async def purge(db: Database, days: int = 30) -> int:
    """Finished broadcasts older than ``days`` go, with their texts and rows: keep the database small."""
    return await db.execute(
        "DELETE FROM broadcasts WHERE created_at < strftime('%Y-%m-%dT%H:%M:%S', 'now', ?)"
        " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.broadcast_id = broadcasts.id"
        " AND o.state IN ('queued', 'sending'))", (f"-{int(days)} days",))
