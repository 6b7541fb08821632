"""A changed PARENTVOICE_SECRET is refused, and `rotate-secret` changes it without losing anyone (issue 13.2)."""

from __future__ import annotations

import re

from bot.demo import running_bot, sample_inspection
from tests.conftest import rows
from tests.helpers.cli import run_against_standin, run_cli
from tests.helpers.journey import begin, finish, to_free_text

SECRET_A = "a-first-secret-" + "a" * 20
SECRET_B = "b-second-secret-" + "b" * 20


async def test_another_secret_is_refused_until_rotated_and_then_parents_can_still_delete(db_path):
    async with running_bot(db_path, sample_inspection(), secret=SECRET_A) as run:
        deleter = await begin(run, 5101)
        await to_free_text(deleter)
        await deleter.send("The speech therapist was kind and patient with us.")
        withdrawer = await begin(run, 5102)
        await to_free_text(withdrawer)
        await finish(withdrawer)
        code = re.search(r"code is \W*([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", withdrawer.last_text()).group(1)
    assert len(await rows(db_path, "SELECT * FROM parents")) == 2

    # Every way in with B is refused, with the reason and the way out.
    with_b = {"PARENTVOICE_SECRET": SECRET_B}
    refused = await run_against_standin("--db", str(db_path), "run", env=with_b)
    assert refused.returncode == 2 and "is not the secret this database" in refused.stderr
    assert "rotate-secret --old-secret-env" in refused.stderr
    invite = run_cli("--db", str(db_path), "invite", "--role", "forum", env=with_b)
    assert invite.returncode == 2 and "is not the secret this database" in invite.stderr
    demo = run_cli("--db", str(db_path), "demo", "--script", env=with_b)
    assert demo.returncode == 2 and "is not the secret this database" in demo.stderr

    wrong_old = run_cli("--db", str(db_path), "rotate-secret", "--old-secret-env", "OLD",
                        env={**with_b, "OLD": "c" * 32})
    assert wrong_old.returncode == 2 and "nothing changed" in wrong_old.stderr
    rotated = run_cli("--db", str(db_path), "rotate-secret", "--old-secret-env", "OLD", env={**with_b, "OLD": SECRET_A})
    assert rotated.returncode == 0, rotated.stderr
    assert run_cli("--db", str(db_path), "invite", "--role", "forum", env={"PARENTVOICE_SECRET": SECRET_A}
                   ).returncode == 2  # the old secret no longer opens it
    data = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert SECRET_A.encode() not in data and SECRET_B.encode() not in data

    async with running_bot(db_path, sample_inspection(), secret=SECRET_B) as run:
        deleter = run.user(5101)
        await deleter.send("/delete")
        await deleter.press("Yes, delete everything")
        stranger = run.user(5103)
        await stranger.send(f"/withdraw {code}")
        assert "have been deleted" in stranger.last_text()
    assert await rows(db_path, "SELECT COUNT(*) FROM answers") == [(0,)]
    assert await rows(db_path, "SELECT COUNT(*) FROM responses") == [(0,)]
    assert len(await rows(db_path, "SELECT * FROM parents")) == 1  # the withdrawer's row, with no answers
