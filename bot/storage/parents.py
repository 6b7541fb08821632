"""Parents, their responses and answers, keyed only by pseudonym."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.storage.db import Database, now_iso
from bot.survey.engine import SurveyState
from bot.survey.model import Value


@dataclass(frozen=True)
class Parent:
    respondent: str
    language: str | None = None
    consent_at: str | None = None
    area_code: str | None = None
    inspection_id: str | None = None
    response_id: int | None = None
    source: str | None = None
    stopped: bool = False

    def with_(self, **changes: Any) -> Parent:
        return replace(self, **changes)


@dataclass(frozen=True)
class Response:
    id: int
    inspection_id: str
    child: int
    questionnaire_id: str
    questionnaire_version: int
    language: str
    status: str
    state: SurveyState
    source: str | None = None
    submitted_at: str | None = None
    answers: Mapping[str, Value] = field(default_factory=dict)


_PARENT_FIELDS = ("language", "consent_at", "area_code", "inspection_id", "response_id", "source", "stopped")


async def get_parent(db: Database, respondent: str) -> Parent | None:
    row = await db.fetchone("SELECT * FROM parents WHERE respondent = ?", (respondent,))
    if row is None:
        return None
    return Parent(respondent, **{f: (bool(row[f]) if f == "stopped" else row[f]) for f in _PARENT_FIELDS})


async def save_parent(db: Database, parent: Parent) -> None:
    now = now_iso()
    values = tuple(int(getattr(parent, f)) if f == "stopped" else getattr(parent, f) for f in _PARENT_FIELDS)
    await db.execute(
        f"INSERT INTO parents (respondent, {', '.join(_PARENT_FIELDS)}, created_at, updated_at)"
        f" VALUES (?, {', '.join('?' for _ in _PARENT_FIELDS)}, ?, ?)"
        f" ON CONFLICT (respondent) DO UPDATE SET {', '.join(f'{f} = excluded.{f}' for f in _PARENT_FIELDS)},"
        " updated_at = excluded.updated_at",
        (parent.respondent, *values, now, now),
    )


async def delete_parent(db: Database, respondent: str) -> None:
    """Everything about one parent: responses, answers, themes and flags go with it (ON DELETE CASCADE).

    Refused code attempts audited under their pseudonym go too; the -wal is emptied once this commits,
    so the free text is not left in the log file.
    """
    await db.execute("DELETE FROM parents WHERE respondent = ?", (respondent,))
    await db.execute("DELETE FROM audit WHERE actor = ?", (f"pseudonym:{respondent}",))
    await db.wiped()


async def responses_of(db: Database, respondent: str, inspection_id: str | None = None) -> list[Response]:
    sql = "SELECT * FROM responses WHERE respondent = ?"
    params: tuple[object, ...] = (respondent,)
    if inspection_id is not None:
        sql += " AND inspection_id = ?"
        params += (inspection_id,)
    rows = await db.fetchall(sql + " ORDER BY inspection_id, child", params)
    return [await _response(db, row) for row in rows]


async def get_response(db: Database, response_id: int, respondent: str) -> Response | None:
    row = await db.fetchone("SELECT * FROM responses WHERE id = ? AND respondent = ?", (response_id, respondent))
    return await _response(db, row) if row else None


async def _response(db: Database, row: Any) -> Response:
    return Response(
        id=row["id"], inspection_id=row["inspection_id"], child=row["child"],
        questionnaire_id=row["questionnaire_id"], questionnaire_version=row["questionnaire_version"],
        language=row["language"], status=row["status"], state=SurveyState.from_json(json.loads(row["state"])),
        source=row["source"], submitted_at=row["submitted_at"], answers=await answers_of(db, row["id"]),
    )


async def create_response(db: Database, respondent: str, inspection_id: str, questionnaire_id: str,
                          version: int, language: str, state: SurveyState, source: str | None) -> int:
    row = await db.fetchone(
        "SELECT COALESCE(MAX(child), 0) + 1 FROM responses WHERE respondent = ? AND inspection_id = ?",
        (respondent, inspection_id),
    )
    child = row[0] if row else 1
    now = now_iso()
    return await db.insert(
        "INSERT INTO responses (respondent, inspection_id, child, questionnaire_id, questionnaire_version,"
        " language, source, state, started_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (respondent, inspection_id, child, questionnaire_id, version, language, source,
         json.dumps(state.to_json()), now, now),
    )


async def save_state(db: Database, response_id: int, state: SurveyState, *, language: str,
                     submitted: bool = False) -> None:
    now = now_iso()
    if submitted:
        await db.execute(
            "UPDATE responses SET state = ?, language = ?, status = 'submitted', submitted_at = ?, updated_at = ?"
            " WHERE id = ?", (json.dumps(state.to_json()), language, now, now, response_id))
    else:
        await db.execute("UPDATE responses SET state = ?, language = ?, updated_at = ? WHERE id = ?",
                         (json.dumps(state.to_json()), language, now, response_id))


async def answers_of(db: Database, response_id: int) -> dict[str, Value]:
    rows = await db.fetchall("SELECT question_id, value FROM answers WHERE response_id = ?", (response_id,))
    return {r["question_id"]: json.loads(r["value"]) for r in rows}


async def set_answer(db: Database, response_id: int, question_id: str, value: Value, version: int,
                     text_language: str | None = None, scrubber_version: str | None = None) -> None:
    """Store one answer. ``scrubber_version``: the scrubber that cleaned a free-text ``value`` (None for a closed
    answer); a report takes the text as stored only when it matches the running scrubber's version."""
    await db.execute(
        "INSERT INTO answers (response_id, question_id, value, questionnaire_version, text_language, answered_at,"
        " scrubber_version) VALUES (?,?,?,?,?,?,?) ON CONFLICT (response_id, question_id) DO UPDATE SET"
        " value = excluded.value, questionnaire_version = excluded.questionnaire_version,"
        " text_language = excluded.text_language, answered_at = excluded.answered_at,"
        " scrubber_version = excluded.scrubber_version",
        (response_id, question_id, json.dumps(value, ensure_ascii=False), version, text_language, now_iso(),
         scrubber_version),
    )


async def clear_answer(db: Database, response_id: int, question_id: str) -> None:
    for table in ("answers", "answer_themes", "answer_flags"):
        await db.execute(f"DELETE FROM {table} WHERE response_id = ? AND question_id = ?", (response_id, question_id))


async def set_themes(db: Database, response_id: int, question_id: str, themes: tuple[str, ...] | list[str],
                     source: str) -> None:
    """Replace the themes of one answer from one source (classifier, rule or parent)."""
    await db.execute("DELETE FROM answer_themes WHERE response_id = ? AND question_id = ? AND source = ?",
                     (response_id, question_id, source))
    for theme in themes:
        await db.execute("INSERT OR IGNORE INTO answer_themes VALUES (?,?,?,?)",
                         (response_id, question_id, theme, source))


async def set_rule_themes(db: Database, response_id: int, themes: Iterable[tuple[str, str]]) -> None:
    """Replace every theme the rules derived from a response's closed answers: (theme, question) pairs."""
    await db.execute("DELETE FROM answer_themes WHERE response_id = ? AND source = 'rule'", (response_id,))
    for theme, question in themes:
        await db.execute("INSERT OR IGNORE INTO answer_themes VALUES (?,?,?, 'rule')", (response_id, question, theme))


async def set_response_language(db: Database, response_id: int, language: str) -> None:
    """A response still being answered follows the language the parent chose; a submitted one keeps its own."""
    await db.execute("UPDATE responses SET language = ? WHERE id = ? AND status = 'in_progress'",
                     (language, response_id))


async def set_flags(db: Database, response_id: int, question_id: str, flags: tuple[str, ...] | list[str]) -> None:
    await db.execute("DELETE FROM answer_flags WHERE response_id = ? AND question_id = ?", (response_id, question_id))
    for flag in flags:
        await db.execute("INSERT OR IGNORE INTO answer_flags VALUES (?,?,?)", (response_id, question_id, flag))


async def themes_of(db: Database, response_id: int) -> list[tuple[str, str, str]]:
    rows = await db.fetchall(
        "SELECT question_id, theme_id, source FROM answer_themes WHERE response_id = ? ORDER BY question_id, theme_id",
        (response_id,))
    return [(r[0], r[1], r[2]) for r in rows]


@dataclass(frozen=True)
class Timing:
    """When a response was started and sent, in what language, from which forum's link: no answers, no parent."""

    started_at: str
    submitted_at: str | None
    language: str
    source: str | None


async def response_timings(db: Database, inspection_id: str) -> list[Timing]:
    rows = await db.fetchall("SELECT started_at, submitted_at, language, source FROM responses"
                             " WHERE inspection_id = ?", (inspection_id,))
    return [Timing(r[0], r[1], r[2], r[3]) for r in rows]


async def was_processed(db: Database, update_id: int) -> bool:
    return await db.fetchone("SELECT 1 FROM processed_updates WHERE update_id = ?", (update_id,)) is not None


async def mark_processed(db: Database, update_id: int) -> bool:
    """Record an update id; False when it was already handled (a redelivery)."""
    changed = await db.execute("INSERT OR IGNORE INTO processed_updates VALUES (?, ?)", (update_id, now_iso()))
    if changed and update_id % 500 == 0:
        # Telegram redelivers within hours; after a quiet week it may restart ids at random, so prune by age.
        await db.execute("DELETE FROM processed_updates WHERE processed_at < strftime('%Y-%m-%dT%H:%M:%S', 'now', '-2 days')")
    return changed == 1


async def count_parents(db: Database) -> int:
    row = await db.fetchone("SELECT COUNT(*) FROM parents")
    return int(row[0]) if row else 0


async def last_processed_update(db: Database) -> int:
    """The highest update id handled so far (0 for none): a fresh stand-in must start above it."""
    row = await db.fetchone("SELECT COALESCE(MAX(update_id), 0) FROM processed_updates")
    return int(row[0]) if row else 0


async def set_withdraw_hash(db: Database, response_id: int, code_hash: str) -> None:
    await db.execute("UPDATE responses SET withdraw_hash = ? WHERE id = ?", (code_hash, response_id))


async def withdraw(db: Database, code_hash: str) -> bool:
    """Delete the response a withdrawal code belongs to (answers, themes and flags go with it)."""
    row = await db.fetchone("SELECT id, respondent FROM responses WHERE withdraw_hash = ?", (code_hash,))
    if row is None:
        return False
    await db.execute("DELETE FROM responses WHERE id = ?", (row["id"],))
    await db.execute("UPDATE parents SET response_id = NULL WHERE respondent = ? AND response_id = ?",
                     (row["respondent"], row["id"]))
    await db.wiped()
    return True
