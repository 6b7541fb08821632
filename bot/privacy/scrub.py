"""Removing personal data from parents' free text before it is stored.

Personal data is replaced by typed placeholders ("[name]", "[phone]", ...) so the answer still reads as a
sentence and inspectors can see that something was there.  What inspectors need is kept: durations, months and
years, service names and jargon, local area names.  See docs/scrubbing.md for the rules, the measured recall and
the known limits.

Pure: no I/O at call time apart from reading the local-area list once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from bot.privacy.normalise import normalise
from bot.privacy.scrub_formats import (
    birth_cues,
    find_addresses,
    find_dates_of_birth,
    find_emails,
    find_handles,
    find_links,
    find_nhs_numbers,
    find_phones,
    find_postcodes,
    find_schools,
)
from bot.privacy.scrub_keep import protected_spans
from bot.privacy.scrub_names import find_listed_with, find_name_candidates, find_repeats
from bot.privacy.scrub_script import Span
from bot.privacy.scrub_spelled import find_obfuscated_emails, find_spelled_dates, find_spelled_phones


def _spelled_dates_of_birth(text: str) -> list[Span]:
    return find_spelled_dates(text, birth_cues(text))


KINDS: tuple[str, ...] = (
    "name",
    "phone",
    "email",
    "postcode",
    "address",
    "date_of_birth",
    "nhs_number",
    "school",
    "handle",
    "link",
)
PLACEHOLDERS: dict[str, str] = {
    "name": "[name]",
    "phone": "[phone]",
    "email": "[email]",
    "postcode": "[postcode]",
    "address": "[address]",
    "date_of_birth": "[date of birth]",
    "nhs_number": "[NHS number]",
    "school": "[school]",
    "handle": "[handle]",
    "link": "[link]",
}

# Order matters: an email holds a handle-like "@name" and a link-like domain; an NHS number or a date can look
# like a phone number; an address can hold a capitalised pair that looks like a name.
_FORMAT_FINDERS: tuple[Callable[[str], list[Span]], ...] = (
    find_emails,
    find_obfuscated_emails,
    find_links,
    find_handles,
    find_nhs_numbers,
    find_dates_of_birth,
    _spelled_dates_of_birth,
    find_phones,
    find_spelled_phones,
    find_postcodes,
    find_addresses,
    find_schools,
)


_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Scrubbed:
    """A scrubbed text and the kinds removed, one entry per placeholder, in order of appearance."""

    text: str
    removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.removed)


def _free(span: Span, taken: list[Span]) -> bool:
    return all(span.end <= t.start or t.end <= span.start for t in taken)


def _merge_names(spans: list[Span], text: str) -> list[Span]:
    """One placeholder for "Anna Wiśniewska" even when the two words were found separately."""
    merged: list[Span] = []
    for span in sorted(spans):
        if (
            merged
            and span.kind == "name"
            and merged[-1].kind == "name"
            and text[merged[-1].end : span.start].strip(" \t") == ""
        ):
            merged[-1] = Span(merged[-1].start, span.end, "name")
        else:
            merged.append(span)
    return merged


def find_spans(text: str, language: str | None = None) -> list[Span]:
    """The non-overlapping spans of personal data in `text` (already normalised), sorted by position."""
    taken: list[Span] = []
    for finder in _FORMAT_FINDERS:
        for span in sorted(finder(text), key=lambda s: (s.start, -(s.end - s.start))):
            if _free(span, taken):
                taken.append(span)
    protected = protected_spans(text)
    candidates = find_name_candidates(text, language, protected)
    names: list[Span] = []
    for _rank, span in sorted(candidates, key=lambda c: (c[0], c[1].start, -(c[1].end - c[1].start))):
        if _free(span, taken):
            taken.append(span)
            names.append(span)
    if names:
        blocked = [(s.start, s.end) for s in taken] + protected
        for span in find_repeats(text, names, blocked):
            if _free(span, taken):
                taken.append(span)
                names.append(span)
        blocked = [(s.start, s.end) for s in taken] + protected
        for span in find_listed_with(text, names, blocked):
            if _free(span, taken):
                taken.append(span)
    return _merge_names(taken, text)


def _normalise_language(language: str | None) -> str | None:
    if not language:
        return None
    return language.replace("_", "-").split("-")[0].lower()


def scrub(text: str, language: str | None = None) -> Scrubbed:
    """Replace personal data in `text` with typed placeholders.

    `language` (a code such as "ur" or "zh-Hans") is a hint: every language's cues are applied to every text,
    because parents mix languages, but the hint picks the right stop-word list for scripts without capitals.
    The text is normalised first (bot/privacy/normalise.py: NFKC, invisible and control characters and escape
    sequences removed), and the result is in that form even when nothing was removed.
    """
    text = normalise(text)
    spans = find_spans(text, _normalise_language(language))
    if not spans:
        return Scrubbed(text, ())
    parts: list[str] = []
    cursor = 0
    for span in spans:
        parts.append(text[cursor : span.start])
        if span.start and text[span.start - 1].isalpha() and not _HAN.match(text[span.start - 1]):
            parts.append(" ")  # "MrsKhan" (an invisible character was between them): "Mrs [name]"
        parts.append(PLACEHOLDERS[span.kind])
        cursor = span.end
    parts.append(text[cursor:])
    return Scrubbed("".join(parts), tuple(s.kind for s in spans))


def _scrub_line(line: str) -> dict[str, object]:
    try:
        record = json.loads(line)
    except ValueError:
        return {"error": "line is not valid JSON"}
    if not isinstance(record, dict):
        return {"error": "line is not a JSON object"}
    text = record.get("text")
    if not isinstance(text, str):
        return {"error": 'missing "text" string'}
    language = record.get("language")
    if language is not None and not isinstance(language, str):
        return {"error": '"language" must be a string'}
    try:
        result = scrub(text, language)
    except Exception as exc:  # never crash the whole batch; the message carries no user text
        return {"error": f"scrubbing failed: {type(exc).__name__}"}
    return {"text": result.text, "removed": list(result.removed)}


def scrub_jsonl(lines: Iterable[str]) -> Iterator[str]:
    """For `parentvoice scrub`: one JSON line out per line in, in order; a bad line gives {"error": ...}."""
    for line in lines:
        yield json.dumps(_scrub_line(line), ensure_ascii=False)
