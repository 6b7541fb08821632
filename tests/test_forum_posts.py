"""A forum's long announcement in many languages, through the stand-in: every part has its own buttons, so
no part says "tap the button below" without one (issue 10)."""

from __future__ import annotations

import pytest

from bot.demo import sample_inspection
from bot.i18n.catalog import translator
from bot.i18n.languages import LANGUAGES
from bot.standin.user import plain
from tests.test_broadcast_fixtures import (
    announce,
    features,  # noqa: F401 - the fixture, used by pytestmark
    forum_bot,
    link_channel,
    make_forum,
)

pytestmark = pytest.mark.usefixtures("features")

FORUM = 5101
CHANNEL = -1002000000077


async def test_a_long_announcement_in_every_language_has_buttons_under_every_part(db_path, secret):
    async with forum_bot(db_path, secret, sample_inspection()) as (run, service):
        forum = run.user(FORUM)
        await make_forum(run, secret, FORUM)
        await forum.send("/chats")
        await link_channel(run, forum, CHANNEL, "Derby families")
        others = [lang.native_name for lang in LANGUAGES if lang.code != "en"]
        await announce(forum, "Derby", others)
        await service.drained()
        posted = [run.standin.message(CHANNEL, r["message_id"]) for r in run.standin.sent(CHANNEL)
                  if r.get("message_id") is not None]
    assert len(posted) > 1, "the sample should be long enough to be split"
    found = set()
    for message in posted:
        assert message is not None
        text = plain(message["text"])
        buttons = [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
        assert buttons, f"a part without buttons: {text[:80]!r}"
        labels = {b["text"] for b in buttons}
        for lang in LANGUAGES:
            if f"〰〰〰 {lang.native_name} 〰〰〰" in text:
                found.add(lang.code)
                # The section's "tap the button below" has its own language's button under it.
                assert translator(lang.code).gettext("Share your experience") in labels, (lang.code, labels)
        assert all(b.get("url") for b in buttons)
    assert found == {lang.code for lang in LANGUAGES}
