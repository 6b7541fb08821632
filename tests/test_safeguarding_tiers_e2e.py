"""Two tiers of safeguarding reply, end to end through the stand-in (issue 9 point 3).

A wrong crisis message (999, Samaritans, NSPCC) alarms a parent who wrote something ordinary, so only
CONFIDENT risk (since round six: a phrase that proves it, the parent's own plain words) gets it at once and
counts the flag. POSSIBLE risk (whatever the risk model raises, however sure) gets one calm line with a "Get
help now" button that shows the crisis message; nothing is counted and the survey goes on either way.
"""

from __future__ import annotations

from bot.i18n.catalog import translator
from tests.conftest import rows
from tests.test_privacy_e2e import answer_first_free_text

CALM = "If you or your child are not safe right now, help is here."
CRISIS_NUMBER = "116 123"
FLAGS = "SELECT flag_id FROM answer_flags WHERE flag_id = 'safeguarding'"


def calm_line_message(parent) -> dict:
    """The calm line as sent (with its button), wherever later messages put it in the chat."""
    for record in reversed(parent.standin.sent(parent.chat)):
        if CALM in (record.get("text") or ""):
            return parent.standin.message(parent.chat, record["message_id"])
    raise LookupError("no calm line")


async def press_get_help(parent) -> None:
    message = calm_line_message(parent)
    button = message["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "Get help now"
    await parent.press_data(button["callback_data"], message["message_id"], label=button["text"])


async def test_the_model_alone_gets_a_calm_line_whose_button_shows_help_and_a_phrase_gets_help_at_once(
        bot, db_path):
    # Ordinary for a family of a child with SEND; the model alone raises it (before: the crisis message).
    parent = await answer_first_free_text(bot, 3501, "en", "He kicks and hits us when he is overwhelmed after school.")
    assert not [t for t in parent.texts() if CRISIS_NUMBER in t]
    assert [t for t in parent.texts() if CALM in t]
    assert await rows(db_path, FLAGS) == []  # not counted for inspectors
    stored = await rows(db_path, "SELECT value FROM answers WHERE question_id = 'worked_well'")
    assert len(stored) == 1  # the answer is kept and the survey goes on
    before = len(parent.texts())
    await press_get_help(parent)
    shown = parent.texts(before)
    assert any(CRISIS_NUMBER in t and "999" in t and "0808 800 5000" in t for t in shown)
    assert await rows(db_path, FLAGS) == []

    # A phrase that proves risk on its own: the crisis message at once, no calm line, and the flag counted.
    other = await answer_first_free_text(bot, 3502, "ro", "Fiica mea se taie pe brațe cu lama.")
    help_message = next(t for t in reversed(other.texts()) if CRISIS_NUMBER in t)
    assert "999" in help_message
    assert not [t for t in other.texts() if translator("ro").gettext(CALM) in t]
    assert await rows(db_path, FLAGS) == [("safeguarding",)]


async def test_the_model_at_its_surest_still_gets_only_the_calm_line(bot, db_path):
    # Blind set 8 (sg8-en-o22): the risk model scores it 0.97 with the cue words "ran off" and "found him", and
    # round six as first trained showed the crisis message. Since then the model never does (docs/themes.md).
    text = ("He ran off in Tesco last week, I found him about 30 seconds later by the freezers but my heart was "
            "in my mouth. The OT's been really helpful with ideas for shopping trips.")
    parent = await answer_first_free_text(bot, 3505, "en", text)
    assert not [t for t in parent.texts() if CRISIS_NUMBER in t]
    assert [t for t in parent.texts() if CALM in t]
    assert await rows(db_path, FLAGS) == []


async def test_the_calm_line_and_its_button_are_in_the_parents_language(bot, db_path):
    parent = await answer_first_free_text(
        bot, 3503, "it", "Sono sola, non dormo da mesi e sento che sto per crollare.")
    t = translator("it")
    assert not [x for x in parent.texts() if CRISIS_NUMBER in x]
    assert t.gettext(CALM) != CALM and [x for x in parent.texts() if t.gettext(CALM) in x]
    message = next(parent.standin.message(parent.chat, r["message_id"]) for r in parent.standin.sent(parent.chat)
                   if t.gettext(CALM) in (r.get("text") or ""))
    button = message["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == t.gettext("Get help now")
    await parent.press_data(button["callback_data"], message["message_id"], label=button["text"])
    help_message = parent.last_text()
    assert CRISIS_NUMBER in help_message and t.gettext("If you are worried about a child, call the NSPCC on "
                                                       "%(number)s.").split("%")[0] in help_message


async def test_get_help_survives_deleted_answers_and_a_forged_press_is_stale(bot, db_path):
    parent = await answer_first_free_text(bot, 3504, "en", "He kicks and hits us when he is overwhelmed after school.")
    message = calm_line_message(parent)
    # A forged "Get help now" with an argument is not a press the bot knows: the kind "that button is old" reply.
    before = len(parent.texts())
    await parent.press_data("sgh:x", message["message_id"])
    assert not [t for t in parent.texts(before) if CRISIS_NUMBER in t]
    assert any("earlier message" in t for t in parent.texts(before)), parent.texts(before)
    await parent.send("/delete")
    await parent.press("Yes, delete everything")
    assert await rows(db_path, "SELECT * FROM answers") == []
    # Help is never stale: pressed after everything was deleted, it is still shown.
    await parent.press_data(message["reply_markup"]["inline_keyboard"][0][0]["callback_data"], message["message_id"])
    assert CRISIS_NUMBER in parent.last_text()


async def test_an_accidental_cut_in_the_playground_gets_no_crisis_message(bot, db_path):
    # "se cortó" (cut herself) is a self-harm phrase; a fall in the playground is not (an idiom guard).
    parent = await answer_first_free_text(
        bot, 3505, "es", "Se cayó en el patio y se cortó la barbilla; el colegio nos llamó enseguida.")
    assert not [t for t in parent.texts() if CRISIS_NUMBER in t]
    assert await rows(db_path, FLAGS) == []
