"""The pure rule for when a group message is meant for the bot (bot/telegram/groups.py)."""

from __future__ import annotations

import pytest

from bot.telegram.groups import Spoken, addressed_to_me

ME, BOT_ID = "ParentVoiceBot", 7000000001


@pytest.mark.parametrize(("said", "other_bot", "expected"), [
    (Spoken(), False, False),                                                   # members chatting
    (Spoken(mentions=("someone",)), False, False),
    (Spoken(mentions=("parentvoicebot",)), True, True),                         # @ParentVoiceBot, any case
    (Spoken(text_mention_ids=(BOT_ID,)), True, True),
    (Spoken(text_mention_ids=(42,)), False, False),
    (Spoken("help", "parentvoicebot"), True, True),                             # /help@ParentVoiceBot
    (Spoken("help", "rulesbot"), False, False),                                 # /help@RulesBot
    (Spoken("help"), False, True),                                              # bare, no other bot known
    (Spoken("help"), True, False),                                              # bare, another bot here
    (Spoken("ban"), False, False),                                              # bare, not one of ours
])
def test_addressed_to_me(said: Spoken, other_bot: bool, expected: bool) -> None:
    assert addressed_to_me(said, ME, BOT_ID, other_bot) is expected
