"""Submitted responses read back as the pure records that reports are built from."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from typing import Any

from bot.records import ResponseRecord, ThemeAssignment
from bot.storage.db import Database

#: Responses read per round of queries: memory stays bounded by one chunk, whatever the inspection's size
#: (all 100,000 responses' rows read at once took some 750 MiB, issue 11.3).
CHUNK = 1_000
#: Distinct stored values whose parsed form is kept for reuse: closed answers repeat ('"ehc_plan"'), free text
#: rarely does, so the bound only stops a cache of unique texts from growing.
_VALUE_CACHE = 4_096

_PAGE = ("SELECT id FROM responses WHERE inspection_id = ? AND status = 'submitted' AND id > ?"
         " ORDER BY id LIMIT ?")


async def iter_records(db: Database, inspection_id: str, *, chunk: int = CHUNK) -> AsyncIterator[ResponseRecord]:
    """Every submitted response of one inspection, in id order, ``chunk`` responses at a time.

    A chunk's four queries run in one hop with no other statement of the bot between them (a response
    withdrawn meanwhile is wholly in or wholly out); between chunks the bot carries on.
    """
    after = 0
    reader = _Reader()
    while True:
        page = (inspection_id, after, chunk)
        responses, answer_rows, theme_rows, flag_rows = await db.fetch_many([
            (_PAGE.replace("SELECT id ", "SELECT id, language, source ", 1), page),
            ("SELECT response_id, question_id, value, text_language, scrubber_version FROM answers"
             f" WHERE response_id IN ({_PAGE})", page),
            (f"SELECT response_id, question_id, theme_id, source FROM answer_themes WHERE response_id IN ({_PAGE})",
             page),
            (f"SELECT DISTINCT response_id, flag_id FROM answer_flags WHERE response_id IN ({_PAGE})", page),
        ])
        if not responses:
            return
        for record in reader.records(responses, answer_rows, theme_rows, flag_rows):
            yield record
        after = responses[-1][0]


class _Reader:
    """Rows to records, reusing what repeats: parsed closed answers and theme assignments (both immutable)."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.assignments: dict[tuple[str, str, str], ThemeAssignment] = {}

    def value(self, raw: str) -> object:
        parsed = self.values.get(raw)
        if parsed is None:
            parsed = json.loads(raw)
            if isinstance(parsed, list):
                parsed = tuple(parsed)
            if len(self.values) < _VALUE_CACHE and isinstance(parsed, str | int | tuple):
                self.values[raw] = parsed
        return list(parsed) if isinstance(parsed, tuple) else parsed

    def assignment(self, question: str, theme: str, source: str) -> ThemeAssignment:
        key = (question, theme, source)
        found = self.assignments.get(key)
        if found is None:
            found = self.assignments[key] = ThemeAssignment(theme, question, source)
        return found

    def records(self, responses: Sequence[tuple[Any, ...]], answer_rows: Sequence[tuple[Any, ...]],
                theme_rows: Sequence[tuple[Any, ...]], flag_rows: Sequence[tuple[Any, ...]]) -> list[ResponseRecord]:
        answers: dict[int, dict[str, object]] = defaultdict(dict)
        text_languages: dict[int, dict[str, str]] = defaultdict(dict)
        scrubbed_by: dict[int, dict[str, str]] = defaultdict(dict)
        themes: dict[int, list[ThemeAssignment]] = defaultdict(list)
        flags: dict[int, list[str]] = defaultdict(list)
        for response, question, raw, language, version in answer_rows:
            answers[response][question] = self.value(raw)
            if language:
                text_languages[response][question] = language
            if version:
                scrubbed_by[response][question] = version
        for response, question, theme, source in theme_rows:
            themes[response].append(self.assignment(question, theme, source))
        for response, flag in flag_rows:
            flags[response].append(flag)
        return [
            ResponseRecord(language=language, answers=answers[rid], text_languages=text_languages[rid],
                           themes=tuple(themes[rid]), flags=tuple(sorted(flags[rid])), forum=source,
                           scrubbed_by=scrubbed_by[rid])
            for rid, language, source in responses
        ]


async def records_for(db: Database, inspection_id: str) -> list[ResponseRecord]:
    """Every submitted response of one inspection, all at once (reports stream them with ``iter_records``)."""
    return [record async for record in iter_records(db, inspection_id)]
