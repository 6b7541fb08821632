"""Pure helpers behind issue 9: typed words matched to a choice only when clear; placeholders shown translated."""

from __future__ import annotations

import pytest

from bot.i18n.catalog import translator
from bot.i18n.languages import LANGUAGES
from bot.privacy.placeholders import MSGIDS, localise_placeholders
from bot.privacy.scrub import PLACEHOLDERS
from bot.survey.typed import match_typed

SETTING = [("early_years", ("Nursery or pre-school", "1")), ("mainstream", ("A mainstream school", "2")),
           ("resourced", ("A special unit inside a mainstream school", "3")), ("special", ("A special school", "4"))]
SCALE = [("1", ("Very poor", "1")), ("2", ("Poor", "2")), ("3", ("OK", "3"))]


@pytest.mark.parametrize("typed, expected", [
    ("a mainstream school", "mainstream"), ("A MAINSTREAM SCHOOL!", "mainstream"), ("2", "mainstream"),
    ("nursery", "early_years"), ("special unit", "resourced"),
    ("mainstream", None),            # two choices mention it: not clear
    ("school", None), ("ok", None), ("", None), ("   ", None), ("my son hates school", None),
])
def test_typed_words_match_only_one_clear_choice(typed, expected):
    assert match_typed(typed, SETTING) == expected


def test_an_exact_label_beats_a_longer_one_that_contains_it():
    assert match_typed("poor", SCALE) == "2" and match_typed("very poor", SCALE) == "1"
    assert match_typed("ok", SCALE) == "3"


def test_every_scrubber_placeholder_has_a_msgid():
    assert set(PLACEHOLDERS.values()) <= set(MSGIDS)


@pytest.mark.parametrize("code", [lang.code for lang in LANGUAGES if lang.code != "en"])
def test_placeholders_are_translated_for_the_parent_and_nothing_else_changes(code):
    t = translator(code)
    text = "Mrs [name] said call [phone] or [NHS number]; [name]."
    shown = localise_placeholders(text, t)
    for token in ("[name]", "[phone]", "[NHS number]"):
        assert token not in shown and t.gettext(token) in shown
    assert shown.count(t.gettext("[name]")) == 2 and shown.startswith("Mrs ")


def test_english_keeps_the_canonical_tokens():
    text = "Call [phone] about [date of birth]"
    assert localise_placeholders(text, translator("en")) == text
