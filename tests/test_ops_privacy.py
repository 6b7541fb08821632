"""What stays on disk: deleted text, Telegram ids, deep-link junk, file modes (issue 13 points 7, 8, 9, 11)."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

from bot.inspection import make_payload
from bot.privacy.pseudonym import pseudonym
from bot.storage import roles
from tests.conftest import add_inspection, rows
from tests.helpers.cli import run_cli
from tests.helpers.journey import begin, finish, to_free_text

FREE_TEXT = "Our caseworker Zebedee-Quillfeather never answered the phone about the transport."


def on_disk(db_path) -> bytes:
    """The database and its -wal/-shm exactly as they are now: no checkpoint first."""
    return b"".join(p.read_bytes() for p in sorted(db_path.parent.glob(db_path.name + "*")))


async def test_after_delete_the_free_text_is_in_neither_the_database_nor_the_wal(bot, db_path):
    parent = await begin(bot, 6101)
    await to_free_text(parent)
    await parent.send(FREE_TEXT)
    await parent.press("Done")
    assert b"Zebedee" in on_disk(db_path) or b"never answered" in on_disk(db_path)
    await parent.send("/delete")
    await parent.press("Yes, delete everything")
    assert await rows(db_path, "SELECT COUNT(*) FROM answers") == [(0,)]
    data = on_disk(db_path)
    assert b"never answered the phone" not in data and b"transport" not in data


async def test_after_withdraw_the_free_text_is_in_neither_the_database_nor_the_wal(bot, db_path):
    import re

    parent = await begin(bot, 6102)
    await to_free_text(parent)
    await parent.send(FREE_TEXT)
    await parent.press("Done")
    await finish(parent)
    code = re.search(r"code is \W*([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", parent.last_text()).group(1)
    await parent.send(f"/withdraw {code}")
    assert "have been deleted" in parent.last_text()
    data = on_disk(db_path)
    assert b"never answered the phone" not in data and b"transport" not in data


async def test_a_refused_redeem_never_stores_the_telegram_id(bot, db_path):
    stranger = bot.user(987654321)
    await stranger.send("/redeem not-a-real-code-at-all-xx")
    assert "does not work" in stranger.last_text()
    audited = await rows(db_path, "SELECT actor, action FROM audit WHERE action = 'invite.refused'")
    assert len(audited) == 1 and audited[0][0].startswith("pseudonym:")
    await bot.app.bot_data["deps"].db.checkpoint()
    assert b"987654321" not in on_disk(db_path)
    # /delete takes the pseudonymous audit row with the rest of the parent's data.
    await stranger.send("/start")
    await stranger.press("English")
    await stranger.send("/delete")
    await stranger.press("Yes, delete everything")
    assert await rows(db_path, "SELECT COUNT(*) FROM audit WHERE action = 'invite.refused'") == [(0,)]


async def test_the_forum_part_of_a_deep_link_is_kept_only_when_it_names_a_forum(bot, db_path):
    deps = bot.app.bot_data["deps"]
    code = await roles.create_invite(deps.db, deps.secret, "forum", label="Derby PCF", expires=timedelta(days=1))
    forum_user = bot.user(6200)
    await forum_user.send(f"/redeem {code}")
    forum_code = (await roles.grants_of(deps.db, 6200))[0].forum_code
    junk = bot.user(6201)
    await junk.send(f"/start {bot.inspection.id}-JohnSmith07700900123")
    await junk.press("English")
    await junk.press("Yes, I agree")
    assert "Question 1" in junk.last_text()  # still taken to the inspection
    real = bot.user(6202)
    await real.send(f"/start {make_payload(bot.inspection.id, forum_code)}")
    stored = await rows(db_path, "SELECT source, inspection_id FROM parents WHERE respondent IN (?, ?)",
                        (pseudonym(deps.secret, 6201), pseudonym(deps.secret, 6202)))
    assert sorted(stored, key=str) == sorted([(None, bot.inspection.id), (forum_code, bot.inspection.id)], key=str)
    await deps.db.checkpoint()
    assert b"JohnSmith" not in on_disk(db_path) and b"07700900123" not in on_disk(db_path)


def test_an_existing_database_and_its_sidecars_are_made_private_and_reports_are_written_private(db_path, tmp_path):
    asyncio.run(add_inspection(db_path, "mode1"))
    sidecars = [db_path.parent / f"{db_path.name}{s}" for s in ("-wal", "-shm")]
    for path in [db_path, *sidecars]:
        path.touch()
        os.chmod(path, 0o644)
    assert run_cli("--db", str(db_path), "audit").returncode == 0
    for path in [db_path, *(p for p in sidecars if p.exists())]:
        assert path.stat().st_mode & 0o777 == 0o600, path.name
    out = tmp_path / "report.html"
    out.write_bytes(b"old")
    os.chmod(out, 0o644)
    fresh = tmp_path / "fresh.csv"
    for target, fmt in ((out, "html"), (fresh, "csv")):
        result = run_cli("--db", str(db_path), "report", "--inspection", "mode1", "--format", fmt,
                         "--output", str(target))
        assert result.returncode == 0, result.stderr
        assert target.stat().st_mode & 0o777 == 0o600 and target.stat().st_size > 3
