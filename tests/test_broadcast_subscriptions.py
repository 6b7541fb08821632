"""Parents subscribing and every way a subscription ends, through the real bot."""

from __future__ import annotations

import pytest

from bot.demo import sample_inspection
from bot.privacy.chat_seal import unseal
from bot.privacy.pseudonym import pseudonym
from bot.storage import contacts
from tests.conftest import rows
from tests.helpers.broadcast import (
    db_of,
    forum_bot,
)

pytestmark = pytest.mark.usefixtures("features")

USER = 987654321123


async def onboard(run, user_id: int):
    parent = run.user(user_id, "pl")
    await parent.send("/start")
    await parent.press(0)           # Polski, suggested from the Telegram language
    await parent.press(0)           # yes, I agree
    await parent.send("Leeds")      # an area with no inspection
    return parent


async def test_subscribing_stores_only_a_sealed_chat_id(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, _service):
        early = run.user(USER + 1)
        await early.send("/subscribe")
        assert "tell me your local area" in early.last_text()
        parent = await onboard(run, USER)
        await parent.send("/subscribe")
        assert "/unsubscribe" in parent.last_text() and "Leeds" in parent.last_text()
        db = db_of(run)
        assert await contacts.chat_of(db, secret, pseudonym(secret, USER)) == USER
        await db.conn.execute("PRAGMA wal_checkpoint(FULL)")
        data = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
        for needle in (str(USER).encode(), USER.to_bytes(8, "big"), USER.to_bytes(8, "little")):
            assert needle not in data
    [(sealed,)] = await rows(db_path, "SELECT sealed_chat FROM contacts")
    assert unseal(secret, sealed) == USER and unseal("another secret entirely", sealed) is None


async def test_unsubscribe_stop_block_and_delete_each_end_the_subscription(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, _service):
        parent = await onboard(run, USER)
        db = db_of(run)
        me = pseudonym(secret, USER)

        await parent.send("/subscribe")
        await parent.send("/unsubscribe")
        assert "/subscribe" in parent.last_text()
        assert not await contacts.is_subscribed(db, me)

        await parent.send("/subscribe")
        replies = await parent.send("/stop")
        assert len(replies) == 1                                          # the /stop reply still comes
        assert not await contacts.is_subscribed(db, me)

        await parent.send("/subscribe")                                   # asking again undoes /stop
        assert await rows(db_path, "SELECT stopped FROM parents") == [(0,)]
        update = run.standin.block(USER)
        await run.tracker.wait(update["update_id"])
        assert not await contacts.is_subscribed(db, me)
        update = run.standin.unblock(USER)
        await run.tracker.wait(update["update_id"])
        assert not await contacts.is_subscribed(db, me)                   # unblocking is not subscribing

        await parent.press_data("sub:yes")                                # the "tell me" button
        assert await contacts.is_subscribed(db, me)
        await parent.send("/delete")
        await parent.press(0)                                             # yes, delete everything
    assert await rows(db_path, "SELECT * FROM contacts") == []
    assert await rows(db_path, "SELECT * FROM parents") == []
