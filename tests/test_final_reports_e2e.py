"""The ten-minute housekeeping job: final reports to inspectors once each, and the retention purge, end to end."""

from __future__ import annotations

from telegram.ext import CallbackContext

from bot.telegram.app import housekeeping
from tests.conftest import add_inspection, rows
from tests.helpers.staff import inspector_of


def _documents(run, user_id: int) -> list[dict]:
    return [r for r in run.standin.sent(user_id) if r["method"] == "sendDocument"]


async def test_a_blocked_inspector_neither_stops_the_others_report_nor_the_purge(bot, db_path, secret):
    await add_inspection(bot.db_path, "closed1", opens_in=-20, closes_in=-1)
    await add_inspection(bot.db_path, "old1", opens_in=-200, closes_in=-120)       # past the 90-day retention
    blocked = await inspector_of(bot, db_path, secret, 7101, "closed1")
    await inspector_of(bot, db_path, secret, 7102, "closed1")
    await inspector_of(bot, db_path, secret, 7103, "closed1")
    await bot.tracker.wait(bot.standin.block(blocked.user_id)["update_id"])
    bot.standin.fail(7103, 502, times=1)                                            # a passing server error

    tried = bot.standin.attempts(7101)
    context = CallbackContext(bot.app)
    for _ in range(3):                                                              # three ten-minute runs
        await housekeeping(context)

    assert len(_documents(bot, 7102)) == 1                                          # once, not every run
    assert len(_documents(bot, 7103)) == 1                                          # after one retry
    assert _documents(bot, 7101) == [] and bot.standin.attempts(7101) == tried + 1  # given up at once
    assert await rows(db_path, "SELECT user_id, state, last_error FROM final_report_recipients ORDER BY user_id") == [
        (7101, "failed", "Forbidden"), (7102, "sent", None), (7103, "sent", None)]
    assert await rows(db_path, "SELECT id FROM inspections WHERE final_report_sent_at IS NOT NULL ORDER BY id") == [
        ("closed1",), ("old1",)]
    assert await rows(db_path, "SELECT id FROM inspections WHERE purged_at IS NOT NULL") == [("old1",)]
