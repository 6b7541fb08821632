"""A forum's long announcement in many languages, through the stand-in: every part has its own buttons, so
no part says "tap the button below" without one (issue 10)."""

from __future__ import annotations

from html import unescape

import pytest

from bot.broadcast.sharekit import share_kit, share_texts
from bot.broadcast.sms import sms_length
from bot.demo import sample_inspection
from bot.i18n.catalog import translator
from bot.i18n.languages import LANGUAGES
from bot.standin.user import plain
from tests.helpers.broadcast import (
    announce,
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


# ---------------------------------------------------------------- text messages


@pytest.mark.parametrize(("text", "encoding", "length", "parts"), [
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),
    ("a" * 306, "GSM-7", 306, 2),
    ("a" * 307, "GSM-7", 307, 3),
    ("€" * 80, "GSM-7", 160, 1),                 # extension characters count twice
    ("a" + "€" * 80, "GSM-7", 161, 2),
    ("[]{}^~|\\", "GSM-7", 16, 1),
    ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),  # the escape pair is never cut between two parts
    ("Zażółć" + "a" * 64, "UCS-2", 70, 1),       # one letter outside GSM-7 makes the whole text UCS-2
    ("ą" * 71, "UCS-2", 71, 2),
    ("ą" * 134, "UCS-2", 134, 2),
    ("ą" * 135, "UCS-2", 135, 3),
    ("😀" * 35, "UCS-2", 70, 1),                 # a surrogate pair is two units
    ("ä ö ñ ü à é Ç ¿ ¡ £ ¥ § Δ", "GSM-7", 25, 1),
])
def test_text_message_length_is_counted_as_a_phone_counts_it(text: str, encoding: str, length: int,
                                                            parts: int) -> None:
    counted = sms_length(text)
    assert (counted.encoding, counted.length, counted.parts) == (encoding, length, parts)


LINK = "https://t.me/ParentVoiceBot?start=derby26-f1a2b3c4"


@pytest.mark.parametrize("code", [lang.code for lang in LANGUAGES])
def test_share_sms_fits_one_message_where_the_language_allows_and_shows_its_length(code: str) -> None:
    inspection = sample_inspection()
    t = translator(code)
    texts = share_texts(t, inspection, LINK)
    length = sms_length(texts.sms)
    assert texts.sms_length == length
    assert LINK in texts.sms
    if code in ("en", "so", "it", "fr"):  # Latin letters inside the GSM-7 alphabet: one message of 160
        assert length.encoding == "GSM-7" and length.parts == 1, (texts.sms, length)
    else:
        # Letters outside GSM-7: 70 a message, and the 50-character link alone leaves little room; keep it
        # to two messages.
        assert length.parts <= 2, (texts.sms, length)
    kit = share_kit(inspection, [code], LINK, translator("en"))
    shown = "\n".join(unescape(m) for m in kit.messages)
    if length.parts == 1:
        assert f"Length in characters: {length.length} of {length.limit}. It fits in one text message." in shown
    else:
        assert f"Length in characters: {length.length}. It is sent as {length.parts} text messages." in shown
    assert "Length in characters" in kit.document.decode("utf-8")
