"""Notes a parent typed at a button question (scrubbed), one per question of a response."""

from __future__ import annotations

from bot.storage.db import Database, now_iso


async def add_note(db: Database, response_id: int, question_id: str, text: str, language: str | None,
                   scrubber_version: str | None = None) -> str:
    """Keep ``text`` (already scrubbed, by the scrubber of ``scrubber_version``) as the note on this question,
    after any note already there.

    A note that grows keeps a version only if its older part was cleaned by the same scrubber; otherwise the
    version becomes NULL (unknown), so anything quoting the note scrubs it again. Returns the whole note.
    """
    row = await db.fetchone(
        "SELECT text, scrubber_version FROM answer_comments WHERE response_id = ? AND question_id = ?",
        (response_id, question_id))
    note = f"{row['text']}\n{text}" if row is not None else text
    if row is not None and row["scrubber_version"] != scrubber_version:
        scrubber_version = None
    await db.execute(
        "INSERT INTO answer_comments (response_id, question_id, text, text_language, updated_at, scrubber_version)"
        " VALUES (?,?,?,?,?,?) ON CONFLICT (response_id, question_id) DO UPDATE SET text = excluded.text,"
        " text_language = excluded.text_language, updated_at = excluded.updated_at,"
        " scrubber_version = excluded.scrubber_version",
        (response_id, question_id, note, language, now_iso(), scrubber_version))
    return note


async def delete_note(db: Database, response_id: int, question_id: str) -> bool:
    return await db.execute("DELETE FROM answer_comments WHERE response_id = ? AND question_id = ?",
                            (response_id, question_id)) > 0


async def notes_of(db: Database, response_id: int) -> dict[str, str]:
    rows = await db.fetchall("SELECT question_id, text FROM answer_comments WHERE response_id = ?", (response_id,))
    return {r["question_id"]: r["text"] for r in rows}
