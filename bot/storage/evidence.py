"""Submitted responses read back as the pure records that reports are built from."""

from __future__ import annotations

import json
from collections import defaultdict

from bot.records import ResponseRecord, ThemeAssignment
from bot.storage.db import Database


async def records_for(db: Database, inspection_id: str) -> list[ResponseRecord]:
    """Every submitted response of one inspection, in four queries whatever the number of responses."""
    responses = await db.fetchall(
        "SELECT id, language, source FROM responses WHERE inspection_id = ? AND status = 'submitted' ORDER BY id",
        (inspection_id,))
    answers: dict[int, dict[str, object]] = defaultdict(dict)
    text_languages: dict[int, dict[str, str]] = defaultdict(dict)
    scrubbed_by: dict[int, dict[str, str]] = defaultdict(dict)
    themes: dict[int, list[ThemeAssignment]] = defaultdict(list)
    flags: dict[int, list[str]] = defaultdict(list)
    sub = "SELECT id FROM responses WHERE inspection_id = ? AND status = 'submitted'"
    for r in await db.fetchall(
            f"SELECT response_id, question_id, value, text_language, scrubber_version FROM answers"
            f" WHERE response_id IN ({sub})", (inspection_id,)):
        answers[r[0]][r[1]] = json.loads(r[2])
        if r[3]:
            text_languages[r[0]][r[1]] = r[3]
        if r[4]:
            scrubbed_by[r[0]][r[1]] = r[4]
    for r in await db.fetchall(
            f"SELECT response_id, question_id, theme_id, source FROM answer_themes WHERE response_id IN ({sub})",
            (inspection_id,)):
        themes[r[0]].append(ThemeAssignment(r[2], r[1], r[3]))
    for r in await db.fetchall(
            f"SELECT DISTINCT response_id, flag_id FROM answer_flags WHERE response_id IN ({sub})", (inspection_id,)):
        flags[r[0]].append(r[1])
    return [
        ResponseRecord(language=row[1], answers=answers[row[0]], text_languages=text_languages[row[0]],
                       themes=tuple(themes[row[0]]), flags=tuple(sorted(flags[row[0]])), forum=row[2],
                       scrubbed_by=scrubbed_by[row[0]])
        for row in responses
    ]
