"""The end of `parentvoice demo --script`: what the database now holds, as an inspector would be told it."""

from __future__ import annotations

from typing import Any


async def print_summary(run: Any) -> None:
    from bot.storage.db import Database

    db = await Database.open(run.db_path)
    try:
        total = await db.fetchone("SELECT COUNT(*) FROM responses WHERE status = 'submitted'")
        print(f"Submitted responses: {total[0] if total else 0}")
    finally:
        await db.close()
