"""The `parentvoice` command as an operator uses it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.cli import main
from tests.conftest import rows


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env,
                          timeout=120, check=False)


def test_inspection_create_prints_id_and_deep_link_and_list_shows_it(db_path, capsys):
    assert main(["--db", str(db_path), "migrate"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "inspection", "create", "--area", "Derbyshire", "--survey-opens",
                 "2026-01-05", "--survey-closes", "2026-01-09", "--visit-starts", "2026-01-19", "--visit-ends",
                 "2026-01-23", "--official-survey-url", "https://example.org/s", "--bot-username", "ParentVoiceBot"]) == 0
    out = capsys.readouterr().out
    assert "Derbyshire (E10000007)" in out and "https://t.me/ParentVoiceBot?start=" in out
    inspection_id = out.split()[1]
    assert main(["--db", str(db_path), "inspection", "list"]) == 0
    listed = capsys.readouterr().out
    assert inspection_id in listed and "closed" in listed


@pytest.mark.parametrize(("args", "message"), [
    (["--area", "Atlantis"], "No local area matches"),
    (["--area", "Leeds", "--survey-opens", "2026-02-05", "--survey-closes", "2026-02-01"], "cannot close before"),
])
def test_inspection_create_refuses_bad_input(db_path, capsys, args, message):
    base = {"--survey-opens": "2026-01-05", "--survey-closes": "2026-01-09"}
    for k, v in zip(args[::2], args[1::2], strict=True):
        base[k] = v
    argv = ["--db", str(db_path), "inspection", "create", *[x for kv in base.items() for x in kv]]
    assert main(["--db", str(db_path), "migrate"]) == 0
    capsys.readouterr()
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.out + captured.err


async def test_migrate_creates_a_private_database(db_path):
    result = run_cli("--db", str(db_path), "migrate")
    assert result.returncode == 0, result.stderr
    assert db_path.stat().st_mode & 0o777 == 0o600
    tables = {r[0] for r in await rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"inspections", "parents", "responses", "answers", "schema_migrations"} <= tables


def test_run_without_a_secret_says_what_to_do(tmp_path):
    result = run_cli("run", env={"TELEGRAM_BOT_TOKEN": "1:X", "PARENTVOICE_SECRET": "",
                                 "PARENTVOICE_DB": str(tmp_path / "x.db")})
    assert result.returncode == 2
    assert "PARENTVOICE_SECRET is not set" in result.stderr
    result = run_cli("run", env={"TELEGRAM_BOT_TOKEN": "", "PARENTVOICE_SECRET": "x" * 32})
    assert result.returncode == 2 and "parentvoice demo" in result.stderr


def test_demo_script_plays_a_whole_conversation_and_exits_cleanly():
    result = run_cli("demo", "--script")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Thank you. Your answers have been sent." in result.stdout
    # The phone number the parent typed appears once, in their own line; what was stored shows [phone].
    assert result.stdout.count("07700 900123") == 1
    assert "[phone]" in result.stdout


def test_inspection_publish_records_the_report_url(db_path, capsys):
    import asyncio

    from tests.conftest import add_inspection

    asyncio.run(add_inspection(db_path, "pub1", opens_in=-20, closes_in=-10))
    assert main(["--db", str(db_path), "inspection", "publish", "pub1", "--url", "ftp://nope"]) == 2
    assert main(["--db", str(db_path), "inspection", "publish", "pub1", "--url",
                 "https://reports.ofsted.gov.uk/x"]) == 0
    assert "Report recorded for pub1" in capsys.readouterr().out
    assert asyncio.run(rows(db_path, "SELECT report_url FROM inspections")) == [("https://reports.ofsted.gov.uk/x",)]


def test_invite_prints_a_long_code_and_audit_shows_it_without_the_code(db_path):
    env = {"PARENTVOICE_SECRET": "x" * 32}
    assert run_cli("--db", str(db_path), "migrate").returncode == 0
    result = run_cli("--db", str(db_path), "invite", "--role", "forum", "--label", "Derby PCF", "--expires", "2d",
                     env=env)
    assert result.returncode == 0, result.stderr
    code = result.stdout.strip()
    assert len(code) >= 22 and "/redeem" in result.stderr
    assert code.encode() not in db_path.read_bytes()
    refused = run_cli("--db", str(db_path), "invite", "--role", "inspector", env=env)
    assert refused.returncode == 2 and "--inspection" in refused.stderr
    audit = run_cli("--db", str(db_path), "audit")
    assert "invite.created" in audit.stdout and code not in audit.stdout


def test_scrub_and_themes_classify_read_and_write_json_lines():
    import json

    lines = [json.dumps({"text": "Call me on 07700 900123 about my son Adam", "language": "en"}), "not json"]
    result = subprocess.run([sys.executable, "-m", "bot", "scrub"], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, timeout=120, check=False)
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(out) == 2 and "[phone]" in out[0]["text"] and "Adam" not in out[0]["text"]
    assert "phone" in out[0]["removed"] and "error" in out[1]
    result = subprocess.run([sys.executable, "-m", "bot", "themes", "classify"], capture_output=True, text=True,
                            input=json.dumps({"id": "a", "text": "Czekamy dwa lata na ocenę potrzeb EHC."}) + "\n",
                            timeout=180, check=False)
    got = json.loads(result.stdout)
    assert got["id"] == "a" and got["language"] == "pl" and "ehc_assessment_delay" in got["themes"]


def test_report_command_writes_each_format(db_path, tmp_path):
    import asyncio
    import json

    from tests.conftest import add_inspection

    asyncio.run(add_inspection(db_path, "rep1"))
    for fmt in ("text", "html", "csv", "json"):
        out = tmp_path / f"report.{fmt}"
        result = run_cli("--db", str(db_path), "report", "--inspection", "rep1", "--format", fmt, "--output", str(out))
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "report.json").read_text())["inspection"]["id"] == "rep1"
    assert run_cli("--db", str(db_path), "report", "--inspection", "nope").returncode == 2
