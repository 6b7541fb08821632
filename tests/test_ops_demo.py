"""`parentvoice demo`: logs out of the chat, progress while the script runs, and a second run on one database."""

from __future__ import annotations

import json

from tests.helpers.cli import run_cli

SENT = "Thank you. Your answers have been sent."


def json_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("{") and '"event"' in line]


def test_demo_keeps_logs_out_of_the_chat_shows_progress_and_runs_twice_on_one_database(tmp_path):
    db = tmp_path / "demo.db"
    first = run_cli("--db", str(db), "demo", "--script", timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    assert SENT in first.stdout
    assert json_lines(first.stdout) == [] and json_lines(first.stderr) == []
    log = tmp_path / "demo.db.log"
    assert f"logs go to {log}" in first.stderr
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert logged and all({"time", "level", "event"} <= set(entry) for entry in logged)
    progress = [line for line in first.stderr.splitlines() if line.startswith("demo: ")]
    assert len(progress) >= 4 and any("step 10 of" in line for line in progress)

    second = run_cli("--db", str(db), "demo", "--script", timeout=300)
    assert second.returncode == 0, second.stderr[-2000:]
    assert SENT in second.stdout  # not silent: the new stand-in's updates are not taken for old ones

    chat = run_cli("--db", str(db), "demo", input="/quit\n", timeout=300)
    assert chat.returncode == 0, chat.stderr[-2000:]
    assert "Welcome back" in chat.stdout or "[1]" in chat.stdout
    assert json_lines(chat.stdout + chat.stderr) == []
