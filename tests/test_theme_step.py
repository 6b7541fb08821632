"""Parents code their own free-text answers (issue 10): suggestions unticked, only their ticks stored as theirs.

End to end in English, Polish, Urdu and Somali: real python-telegram-bot, the Bot API stand-in, a real SQLite
file, the real classifier and the real catalogs.
"""

from __future__ import annotations

import pytest

from bot.i18n.catalog import translator
from bot.i18n.languages import by_code
from bot.standin.user import plain
from bot.themes.parent_choice import PARENT_LABELS, PARENT_SAID_NONE, SUGGESTIONS, top_themes
from bot.themes.taxonomy import load_taxonomy
from tests.conftest import rows
from tests.helpers.answers import ASSESSMENT_ROUTE

THEMES = load_taxonomy().theme_ids

# A parent's statement per language, written for this test (not in any prototype or evaluation set).
STORIES = {
    "en": "We waited more than a year for the council to decide about the assessment, and school did nothing.",
    "pl": "Czekaliśmy ponad rok na decyzję rady w sprawie oceny potrzeb, a szkoła nic nie zrobiła.",
    "ur": "ہم نے جانچ کے فیصلے کے لیے کونسل کا ایک سال سے زیادہ انتظار کیا، اور اسکول نے کچھ نہیں کیا۔",
    "so": "Waxaan sugnay in ka badan hal sano in golaha uu go'aan ka gaaro qiimaynta, dugsiguna waxba ma qaban.",
}
SECOND = {
    "en": "The bus to school is often late and nobody tells us why.",
    "pl": "Autobus do szkoły często się spóźnia i nikt nam nie mówi dlaczego.",
    "ur": "اسکول کی بس اکثر دیر سے آتی ہے اور کوئی ہمیں وجہ نہیں بتاتا۔",
    "so": "Baska dugsiga badanaa wuu soo daahaa, qofna nooma sheego sababta.",
}


def test_every_theme_has_a_short_label_translated_in_every_catalog():
    from bot.i18n.languages import LANGUAGES

    assert set(PARENT_LABELS) == set(THEMES)
    for lang in LANGUAGES:
        t = translator(lang.code)
        for theme, label in PARENT_LABELS.items():
            assert t.has(label), (lang.code, label)
            shown = t.gettext(label)
            # One button: short enough to read whole on a phone in a one-column keyboard.
            assert len(shown) <= 42, (lang.code, theme, shown)


def test_top_themes_ranks_by_score_and_keeps_taxonomy_order_on_ties():
    scores = {"transport": 0.5, "annual_review": 0.9, "identification": 0.5, "mental_health": 0.1}
    assert top_themes(scores, THEMES) == ("annual_review", "identification", "transport")
    assert top_themes({}, THEMES) == ()
    assert len(top_themes(dict.fromkeys(THEMES, 0.0), THEMES)) == SUGGESTIONS


def _theme_buttons(parent) -> list[dict]:
    return [b for b in parent.buttons() if b.get("callback_data", "").startswith("th:")]


async def _reach_free_text(bot, user_id: int, code: str):
    lang = by_code(code)
    parent = bot.user(user_id, lang.iso)
    await parent.send("/start derby26")
    await parent.press_callback(f"lang:{code}")
    await parent.press_callback("consent:yes")
    for kind, question, choice in ASSESSMENT_ROUTE:
        await parent.press_callback(":".join(x for x in (kind, question, choice) if x))
    return parent


async def _themes(db_path, question: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"parent": set(), "classifier": set()}
    for theme, source in await rows(db_path, "SELECT theme_id, source FROM answer_themes WHERE question_id = ?",
                                    (question,)):
        found.setdefault(source, set()).add(theme)
    return found


@pytest.mark.parametrize("code", ["en", "pl", "ur", "so"])
async def test_a_parent_codes_their_own_answer_in_their_language(bot, db_path, code):
    t = translator(code)
    parent = await _reach_free_text(bot, 8600 + ["en", "pl", "ur", "so"].index(code), code)
    await parent.send(STORIES[code])

    # Up to three suggestions, none ticked, in plain words of the parent's language; then the choices.
    offered = _theme_buttons(parent)
    assert 1 <= len(offered) <= SUGGESTIONS
    labels = {t.gettext(label): theme for theme, label in PARENT_LABELS.items()}
    for button in offered:
        mark, _, label = plain(button["text"]).partition(" ")
        assert mark == "⬜" and labels[label] == button["callback_data"].split(":")[2]
        if code != "en":
            assert label != PARENT_LABELS[labels[label]]
    controls = [plain(b["text"]) for b in parent.buttons() if not b.get("callback_data", "").startswith("th:")]
    for msgid in ("Something else", "None of these", "Done"):
        assert t.gettext(msgid) in controls
    assert all(len(b["callback_data"].encode()) <= 64 for b in parent.buttons())

    # Nothing is stored as the parent's before they tick.
    assert (await _themes(db_path, "worked_well"))["parent"] == set()
    classifier = (await _themes(db_path, "worked_well"))["classifier"]

    # "Something else" shows all 17; the parent ticks one suggestion and one more, then Done.
    first = offered[0]["callback_data"].split(":")[2]
    await parent.press_callback(f"th:worked_well:{first}")
    assert plain(_theme_buttons(parent)[0]["text"]).startswith("✅")
    await parent.press_callback("thmore:worked_well")
    assert len(_theme_buttons(parent)) == len(THEMES)
    extra = next(theme for theme in THEMES if theme != first)
    await parent.press_callback(f"th:worked_well:{extra}")
    await parent.press_callback("thok:worked_well")
    stored = await _themes(db_path, "worked_well")
    assert stored["parent"] == {first, extra}
    assert stored["classifier"] == classifier  # the classifier's own guess stays, under its own name

    # The next answer: Done with nothing ticked leaves it uncoded, so no parent theme is recorded.
    assert "inspectors" in plain(parent.last_text()).lower() or t.code != "en"
    await parent.send(SECOND[code])
    assert all(plain(b["text"]).startswith("⬜") for b in _theme_buttons(parent))
    await parent.press_callback("thok:inspectors_should_know")
    stored = await _themes(db_path, "inspectors_should_know")
    assert stored["parent"] == set()
    assert await rows(db_path, "SELECT COUNT(*) FROM answers WHERE question_id = 'inspectors_should_know'") == [(1,)]

    await parent.press_callback("pick:quote_ok:yes")
    await parent.press_callback("submit")
    assert await rows(db_path, "SELECT status, language FROM responses") == [("submitted", code)]


async def test_none_of_these_is_stored_as_the_parents_word_and_forged_themes_are_refused(bot, db_path):
    parent = await _reach_free_text(bot, 8650, "en")
    await parent.send(STORIES["en"])
    classifier = (await _themes(db_path, "worked_well"))["classifier"]
    await parent.press_data("th:worked_well:not_a_theme")
    assert (await _themes(db_path, "worked_well"))["parent"] == set()
    await parent.press_callback("thno:worked_well")
    stored = await _themes(db_path, "worked_well")
    assert stored["parent"] == {PARENT_SAID_NONE}
    assert stored["classifier"] == classifier
    assert "inspectors know" in parent.last_text()


async def test_writing_the_answer_again_forgets_the_earlier_coding(bot, db_path):
    parent = await _reach_free_text(bot, 8651, "en")
    await parent.send(STORIES["en"])
    first = _theme_buttons(parent)[0]["callback_data"].split(":")[2]
    await parent.press_callback(f"th:worked_well:{first}")
    await parent.press_callback("thok:worked_well")
    await parent.press_callback("back")
    await parent.send(SECOND["en"])
    assert all(plain(b["text"]).startswith("⬜") for b in _theme_buttons(parent))
    assert (await _themes(db_path, "worked_well"))["parent"] == set()
