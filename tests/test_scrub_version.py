"""The scrubber's version (issue 11.3): it covers what decides the scrubber's output, and it is stored honestly.

A report takes a quote as stored when its version is the running scrubber's, so a version that failed to change
with the scrubber would let text cleaned by an older scrubber through unscrubbed.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.demo import sample_inspection
from bot.privacy import scrub_version
from bot.privacy.scrub_version import data_files, digest, scrubber_modules, scrubber_version
from bot.storage import comments
from bot.storage import inspections as inspections_repo
from bot.storage import parents as parents_repo
from bot.storage.db import Database
from bot.survey.engine import SurveyState

#: A data file named in a module's source: `"data" / "x.json"` or `bot/data/x.json`.
_DATA_REFERENCE = re.compile(r'"data"\s*/\s*"([^"]+)"|bot/data/(\w[\w-]*\.\w+)')


def test_the_version_covers_every_module_and_data_file_the_scrubber_reads() -> None:
    modules, others = scrubber_modules()
    for name in ("scrub", "scrub_formats", "scrub_keep", "scrub_names", "scrub_script", "scrub_spelled",
                 "normalise", "cues", "given_names"):
        assert f"bot.privacy.{name}" in modules
    assert "phonenumbers" in others
    covered = {path.name for path in data_files(modules)}
    assert {"given_names.json", "local_areas.csv"} <= covered
    # A lexicon read from bot/data/ must be named by a module-level Path constant, or the digest misses it.
    for name in modules:
        source = Path(__import__(name, fromlist=["_"]).__file__).read_text(encoding="utf-8")
        for match in _DATA_REFERENCE.finditer(source):
            assert (match.group(1) or match.group(2)) in covered, (name, match.group(0))


def test_the_version_changes_with_any_data_file_source_or_package(tmp_path: Path) -> None:
    modules, _ = scrubber_modules()
    lexicon = tmp_path / "given_names.json"
    lexicon.write_text('{"names": ["Oliver"]}', encoding="utf-8")
    base = digest(modules, [lexicon], ["phonenumbers==9.0.43"])
    assert len(base) == scrub_version.LENGTH and base == digest(modules, [lexicon], ["phonenumbers==9.0.43"])
    lexicon.write_text('{"names": ["Oliver", "Amara"]}', encoding="utf-8")
    assert digest(modules, [lexicon], ["phonenumbers==9.0.43"]) != base
    lexicon.write_text('{"names": ["Oliver"]}', encoding="utf-8")
    assert digest(modules, [lexicon], ["phonenumbers==9.0.44"]) != base
    assert digest([m for m in modules if m != "bot.privacy.cues"], [lexicon], ["phonenumbers==9.0.43"]) != base
    assert scrubber_version() == scrubber_version()  # once per process


async def _response(db: Database) -> int:
    inspection = sample_inspection()
    await inspections_repo.create(db, inspection)
    await parents_repo.save_parent(db, parents_repo.Parent("p1", language="en"))
    return await parents_repo.create_response(db, "p1", inspection.id, "area_send", 1, "en", SurveyState("respondent"),
                                              None)


async def test_a_note_that_grows_under_another_scrubber_loses_its_version(tmp_path: Path) -> None:
    """A note is appended to: it keeps a version only while every part of it was cleaned by that scrubber."""
    db = await Database.open(tmp_path / "notes.db")
    try:
        response = await _response(db)
        current = scrubber_version()
        await comments.add_note(db, response, "respondent", "first part", "en", current)
        await comments.add_note(db, response, "respondent", "second part", "en", current)
        row = await db.fetchone("SELECT text, scrubber_version FROM answer_comments")
        assert tuple(row) == ("first part\nsecond part", current)
        await db.execute("UPDATE answer_comments SET scrubber_version = 'older'")
        await comments.add_note(db, response, "respondent", "third part", "en", current)
        row = await db.fetchone("SELECT text, scrubber_version FROM answer_comments")
        assert tuple(row) == ("first part\nsecond part\nthird part", None)
    finally:
        await db.close()


def test_relative_imports_are_followed_too(tmp_path: Path) -> None:
    """A helper imported as "from .x import y" is part of the scrubber like any other."""
    source = tmp_path / "helper.py"
    source.write_text("import re\nfrom .cues import MONTHS\nfrom . import normalise\nfrom phonenumbers import parse\n",
                      encoding="utf-8")
    ours, others = scrub_version._imports("bot.privacy.helper", source)
    assert {"bot.privacy.cues", "bot.privacy.normalise"} <= ours
    assert {"re", "phonenumbers"} <= others
