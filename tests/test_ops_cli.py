"""Operator commands against bad databases, missing files and wrong input, run as the real CLI (issues 9, 13)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from bot.standin.server import StandIn

SECRET = "s" * 32


def run_cli(*args: str, env: dict | None = None, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PARENTVOICE_SECRET": SECRET, **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout, check=False, **kwargs)


async def run_against_standin(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """`parentvoice run` with a live stand-in, so that without the fix it would get as far as the database."""
    async with StandIn() as standin:
        base = standin.base_url.removesuffix("/bot")
        return await asyncio.to_thread(run_cli, *args, env={"TELEGRAM_BOT_TOKEN": "1:X",
                                                            "TELEGRAM_API_BASE_URL": base, **(env or {})},
                                       timeout=60, **kwargs)


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
