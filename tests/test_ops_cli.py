"""Operator commands against bad databases, missing files and wrong input, run as the real CLI (issues 9, 13)."""

from __future__ import annotations

import asyncio
import os
import subprocess

import pytest

from bot.standin.server import StandIn
from tests.conftest import rows
from tests.helpers.cli import run_against_standin, run_cli

# ---------------------------------------------------------------- 13.5: a bad database never hangs start-up


async def test_run_on_a_garbage_file_exits_non_zero_with_a_clear_message(tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(8192))
    result = await run_against_standin("--db", str(garbage), "run")
    assert result.returncode == 2, result.stderr[-2000:]
    assert f"cannot use the database {garbage}" in result.stderr
    assert "Traceback" not in result.stderr


async def test_run_in_a_read_only_directory_exits_non_zero_with_a_clear_message(tmp_path):
    """SQLite cannot create the -wal beside the file: the directory is read-only."""
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "parentvoice.db"
    made = run_cli("--db", str(db), "migrate")
    assert made.returncode == 0, made.stderr
    for side in folder.glob("parentvoice.db-*"):
        side.unlink()
    if os.geteuid() == 0:
        # Root ignores directory modes; a directory where the -wal must go fails the same way for root.
        (folder / "parentvoice.db-wal").mkdir()
    folder.chmod(0o555)
    try:
        result = await run_against_standin("--db", str(db), "run")
    finally:
        folder.chmod(0o755)
    assert result.returncode == 2, result.stderr[-2000:]
    assert f"cannot use the database {db}" in result.stderr and "directory" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- 9.14: a mistyped --db is not a new database


@pytest.mark.parametrize("command", [
    ["audit"], ["inspection", "list"], ["report", "--inspection", "x"], ["outbox"],
    ["invite", "--role", "forum"], ["publish", "--inspection", "x", "--url", "https://example.org/r"],
    ["inspection", "publish", "x", "--url", "https://example.org/r"], ["purge", "--due"],
    ["inspection", "create", "--area", "Derby", "--survey-opens", "2030-01-05", "--survey-closes", "2030-01-09"],
])
def test_a_missing_database_is_refused_not_created(tmp_path, command):
    typo = tmp_path / "parentvoce.db"
    result = run_cli("--db", str(typo), *command)
    assert result.returncode == 2
    assert f"there is no database at {typo} (from --db)" in result.stderr
    assert not typo.exists()
    result = run_cli(*command, env={"PARENTVOICE_DB": str(typo)})
    assert result.returncode == 2 and "(from PARENTVOICE_DB)" in result.stderr and not typo.exists()


def test_migrate_still_creates_the_database_and_tools_without_one_still_run(tmp_path):
    path = tmp_path / "new.db"
    assert run_cli("--db", str(path), "migrate").returncode == 0 and path.exists()
    scrub = run_cli("--db", str(tmp_path / "none.db"), "scrub", input='{"text": "hello"}\n')
    assert scrub.returncode == 0 and "hello" in scrub.stdout


# ---------------------------------------------------------------- 9.2, 9.13, 9.14: inspection create


def create(db, *args: str, env: dict | None = None, opens: str = "2030-01-05", closes: str = "2030-01-20",
           ) -> subprocess.CompletedProcess:
    return run_cli("--db", str(db), "inspection", "create", "--area", "Derby", "--survey-opens", opens,
                   "--survey-closes", closes, *args, env={"PARENTVOICE_BOT_USERNAME": "", **(env or {})})


@pytest.fixture
def made_db(tmp_path):
    path = tmp_path / "parentvoice.db"
    assert run_cli("--db", str(path), "migrate").returncode == 0
    return path


@pytest.mark.parametrize("url", ["notaurl", "http://example.org/s", "https://", "https://localhost/s",
                                 "https://exa mple.org/s", "https://example.org/my survey", "javascript:alert(1)",
                                 "https://example/s", "ftp://example.org/s", " https://example.org/s"])
def test_every_command_refuses_the_same_bad_links_and_names_the_option(made_db, url):
    created = create(made_db, "--official-survey-url", url)
    assert created.returncode == 2 and "--official-survey-url" in created.stderr and "https://" in created.stderr
    assert asyncio.run(rows(made_db, "SELECT COUNT(*) FROM inspections")) == [(0,)]
    good = create(made_db, "--official-survey-url", "https://www.example.org/survey?id=1")
    assert good.returncode == 0, good.stderr
    inspection_id = good.stdout.split()[1]
    for command in (["inspection", "publish", inspection_id, "--url", url],
                    ["publish", "--inspection", inspection_id, "--url", url]):
        published = run_cli("--db", str(made_db), *command)
        assert published.returncode == 2 and "--url" in published.stderr, (command, published.stderr)
    assert asyncio.run(rows(made_db, "SELECT report_url FROM inspections")) == [(None,)]


@pytest.mark.parametrize(("args", "expected"), [
    (["--visit-starts", "2030-02-30", "--visit-ends", "2030-03-01"], "--visit-starts '2030-02-30' is not a date: "
                                                                     "use the form YYYY-MM-DD"),
    (["--visit-starts", "5/2/2030", "--visit-ends", "2030-03-01"], "--visit-starts '5/2/2030' is not a date"),
    (["--visit-starts", "2030-01-10"], "--visit-starts is given without --visit-ends"),
    (["--visit-ends", "2030-01-10"], "--visit-ends is given without --visit-starts"),
    (["--visit-starts", "2030-01-01", "--visit-ends", "2030-01-03"], "the visit must start after the survey opens"),
    (["--visit-starts", "2030-01-05", "--visit-ends", "2030-01-07"], "the visit must start after the survey opens"),
    (["--visit-starts", "2030-01-25", "--visit-ends", "2030-01-22"], "the visit cannot end before it starts"),
])
def test_bad_dates_are_refused_naming_the_option(made_db, args, expected):
    result = create(made_db, *args)
    assert result.returncode == 2 and expected in result.stderr, result.stderr


def test_a_survey_closing_before_it_opens_names_both_options(made_db):
    result = create(made_db, opens="2030-01-20", closes="2030-01-05")
    assert result.returncode == 2
    assert "--survey-closes 2030-01-05 is before --survey-opens 2030-01-20" in result.stderr
    bad = create(made_db, opens="20300105")
    assert bad.returncode == 2 and "--survey-opens '20300105' is not a date: use the form YYYY-MM-DD" in bad.stderr


def test_a_visit_overlapping_the_survey_close_is_accepted(made_db):
    result = create(made_db, "--visit-starts", "2030-01-15", "--visit-ends", "2030-01-22")
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr


def test_a_past_survey_and_a_duplicate_are_created_with_a_warning(made_db):
    past = create(made_db, opens="2020-01-05", closes="2020-01-20")
    assert past.returncode == 0 and "Warning: the survey closed on 2020-01-20, before today" in past.stderr
    first = create(made_db)
    assert first.returncode == 0 and "Warning" not in first.stderr
    again = create(made_db, "--visit-starts", "2030-01-25", "--visit-ends", "2030-01-27")
    assert again.returncode == 0
    assert f"Warning: inspection {first.stdout.split()[1]} already covers this area" in again.stderr
    listed = run_cli("--db", str(made_db), "inspection", "list")
    assert listed.stdout.count("Derby ") == 3


async def test_the_deep_link_names_the_bot_telegram_reports_or_is_marked_a_placeholder(made_db):
    async with StandIn(bot_username="DerbyFamiliesBot") as standin:
        base = standin.base_url.removesuffix("/bot")
        asked = await asyncio.to_thread(create, made_db, env={"TELEGRAM_BOT_TOKEN": "7:ABC",
                                                              "TELEGRAM_API_BASE_URL": base})
    assert asked.returncode == 0, asked.stderr
    assert "Deep link: https://t.me/DerbyFamiliesBot?start=" in asked.stdout
    placeholder = create(made_db, env={"TELEGRAM_BOT_TOKEN": ""})
    assert placeholder.returncode == 0
    assert "https://t.me/<your-bot-username>?start=" in placeholder.stdout
    assert "ParentVoiceBot" not in placeholder.stdout
    assert "PLACEHOLDER" in placeholder.stderr and "PARENTVOICE_BOT_USERNAME" in placeholder.stderr
    given = create(made_db, "--bot-username", "@SomeOtherBot")
    assert "Deep link: https://t.me/SomeOtherBot?start=" in given.stdout
