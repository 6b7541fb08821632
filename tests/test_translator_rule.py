"""One rule chooses the language to speak (bot.i18n.catalog.translator_for), used by every handler."""

from __future__ import annotations

from bot.i18n.catalog import translator_for


def test_a_chosen_language_wins_over_the_telegram_app():
    assert translator_for("pl", "ar").code == "pl"


def test_without_a_choice_the_telegram_language_is_used_when_it_is_shipped():
    assert translator_for(None, "ar").code == "ar"
    assert translator_for(None, "uk-UA").code == "uk"


def test_otherwise_english():
    assert translator_for(None, None).code == "en"
    assert translator_for(None, "ja").code == "en"
