"""A parent's whole journey, end to end: real python-telegram-bot, real HTTP, the stand-in, a real SQLite file."""

from __future__ import annotations

import json

from bot.demo import running_bot, sample_inspection
from bot.survey.model import load_questionnaire
from tests.conftest import add_inspection, rows
from tests.helpers.journey import FIRST_FOUR, PAYLOAD, answer_until, asking, begin, progress


async def test_full_survey_with_every_question_type_and_skip_logic(bot, db_path):
    parent = bot.user(1001, "en")
    await parent.send(f"/start {PAYLOAD}")
    assert "Choose your language" in parent.last_text()
    await parent.press("English")
    assert "health and disability" in parent.last_text()
    await parent.press("Yes, I agree")
    assert progress("respondent") in parent.last_text()  # every question that may be shown: never jumps up
    await answer_until(parent, "needs", FIRST_FOUR)  # age 16-18 + assessment: every question may be shown
    assert progress("needs") in parent.last_text()
    await parent.press("Learning")
    await parent.press("Medical needs")
    assert "✅ Learning" in [b["text"] for b in parent.buttons()]
    await parent.press("Done")
    await parent.press("Poor")                          # scale: identified
    assert "How long did it take" in parent.last_text()  # the skip-logic branch
    await parent.press("More than 2 years")
    await parent.press("Don't know")                    # scale with "don't know"
    await parent.press("Speech and language therapy")
    await parent.press("Done")
    await parent.press("Very poor")
    await parent.press("Poor")
    assert "next steps" in parent.last_text()           # shown because the child is 16-18
    await parent.press("OK")
    await parent.press("None of these")
    await parent.press("Done")
    await parent.send("The speech therapist helped a lot.")
    if "Is your answer about" in parent.last_text() or "Tap Done to keep" in parent.last_text():
        await parent.press("Done")
    await parent.press("Skip")                          # optional free text
    assert asking(parent) == "quote_ok" and progress("quote_ok") in parent.last_text()
    await parent.press("Yes")                           # yes/no
    assert "Please check your answers" in parent.last_text()
    await parent.press("Send my answers")
    assert "Thank you. Your answers have been sent." in parent.last_text()

    answers = dict(await rows(db_path, "SELECT question_id, value FROM answers"))
    assert json.loads(answers["needs"]) == ["learning", "medical"]
    assert json.loads(answers["identified"]) == 2 and json.loads(answers["right_help"]) == "dont_know"
    assert json.loads(answers["assessment_wait"]) == "over_2_years"
    assert json.loads(answers["next_steps"]) == 3
    assert "inspectors_should_know" not in answers
    assert await rows(db_path, "SELECT DISTINCT questionnaire_version FROM answers") == [(load_questionnaire().version,)]
    assert await rows(db_path, "SELECT status FROM responses") == [("submitted",)]


async def test_every_answer_survives_a_restart_mid_survey(db_path, secret):
    async with running_bot(db_path, sample_inspection(), secret=secret) as run:
        parent = await begin(run, 1002)
        await answer_until(parent, "needs", FIRST_FOUR)
        await parent.press("Learning")  # a multi-choice draft in progress
    async with running_bot(db_path, sample_inspection(), secret=secret) as run:
        run.standin.world.next_update_id = 10_000  # Telegram's ids carry on across a restart of the bot
        parent = run.user(1002)
        await parent.send("/start")
        assert "Welcome back" in parent.texts()[0]
        assert asking(parent) == "needs" and progress("needs") in parent.last_text()
        assert "✅ Learning" in [b["text"] for b in parent.buttons()]
        await parent.press("Done")
        assert asking(parent) == "identified" and progress("identified") in parent.last_text()
    assert len(await rows(db_path, "SELECT * FROM answers")) == len(FIRST_FOUR) + 1


async def test_back_skip_and_edit_from_the_review(bot, db_path):
    parent = await begin(bot, 1003)
    await parent.press("A parent or carer")
    await parent.press("Under 5")
    await parent.press("Back")
    assert "How old is" in parent.last_text()
    await parent.press("5 to 10")
    await parent.press("SEN support at school or nursery")
    await parent.press("Nursery or pre-school")
    await answer_until(parent, "quote_ok")       # skip every optional question
    await parent.press("No")
    assert "Please check your answers" in parent.last_text()
    await parent.press("Change: Support now")
    await parent.press("An EHC plan")
    assert "How long did it take" in parent.last_text()   # newly shown by the edit: asked before the review
    await parent.press("Skip")
    assert "Please check your answers" in parent.last_text()
    assert "An EHC plan" in parent.last_text()
    await parent.press("Send my answers")
    assert await rows(db_path, "SELECT value FROM answers WHERE question_id = 'support'") == [('"ehc_plan"',)]


async def test_delete_removes_everything_about_the_parent(bot, db_path):
    parent = await begin(bot, 1004)
    await answer_until(parent, "needs", FIRST_FOUR)
    await parent.send("/delete")
    await parent.press("Yes, delete everything")
    assert "has been deleted" in parent.last_text()
    for table in ("parents", "responses", "answers", "answer_themes", "answer_flags"):
        assert await rows(db_path, f"SELECT * FROM {table}") == [], table


async def test_stale_and_forged_buttons_get_a_kind_reply_and_change_nothing(bot, db_path):
    parent = await begin(bot, 1005)
    first = parent.keyboard_message()["message_id"]
    await parent.press("A parent or carer")
    await parent.press_data("pick:respondent:other", message_id=first)          # stale
    assert "earlier message" in bot.standin.callback_answers()[-1]["text"]
    await parent.press_data("pick:age_band:eleventy")                          # forged choice
    await parent.press_data("\u0000;DROP TABLE answers")                        # garbage
    await parent.press_data("submit")                                           # out of place
    assert "How old is" in parent.last_text()
    assert await rows(db_path, "SELECT question_id, value FROM answers") == [("respondent", '"parent_carer"')]


async def test_stickers_photos_and_edits_get_a_kind_reply_and_lose_nothing(bot, db_path):
    parent = await begin(bot, 1006)
    await parent.press("A parent or carer")
    for kind in ("sticker", "photo", "voice", "document"):
        await parent.send_kind(kind)
        texts = parent.texts()
        assert any("I can only read typed text" in t for t in texts[-2:])
        assert "How old is" in parent.last_text()
    await parent.send("/frobnicate")
    assert "do not know that command" in parent.last_text()
    typed = await bot.standin.send_message(1006, "5 to 10", language_code="en")
    await bot.tracker.wait(typed["update_id"])
    update = await bot.standin.edit_message(1006, typed["message"]["message_id"], "11 to 13")
    await bot.tracker.wait(update["update_id"])
    assert "Editing a message does not change your answer" in bot.standin.sent(1006)[-1]["text"]
    assert await rows(db_path, "SELECT question_id, value FROM answers ORDER BY question_id") == [
        ("age_band", '"5_to_10"'), ("respondent", '"parent_carer"')]


async def test_typing_instead_of_pressing_and_over_long_text(bot):
    parent = await begin(bot, 1007)
    await parent.send("hello?")
    assert "kept what you typed as a note" in parent.texts()[-2]   # never thrown away (issue 9)
    assert "Who is answering" in parent.last_text()
    await parent.send("a parent or carer")            # typing a button's words works too
    assert "How old is" in parent.last_text()
    await parent.send("x" * 5000)
    assert any("too long" in t for t in parent.texts()[-3:])


async def test_group_messages_get_a_private_pointer_and_no_survey_content(bot):
    member = bot.user(1008)
    member.chat_id = -100123
    await bot.standin.send_message(1008, "/start", chat_id=-100123, chat_type="supergroup", chat_title="Forum")
    records = await bot.standin.wait_for_sent(-100123, 1)
    text = records[-1]["text"]
    assert "message me privately" in text
    assert "Question" not in text and "privacy" not in text.lower().replace("privately", "")


async def test_a_duplicate_update_is_processed_once(bot, db_path):
    parent = await begin(bot, 1009)
    message_id = parent.keyboard_message()["message_id"]
    update = await bot.standin.press(1009, message_id, "pick:respondent:parent_carer")
    await bot.tracker.wait(update["update_id"])
    count = len(bot.standin.sent(1009))
    again = bot.standin.inject(dict(update))
    await bot.tracker.wait(again["update_id"])
    assert len(bot.standin.sent(1009)) == count
    assert len(await rows(db_path, "SELECT * FROM answers")) == 1


async def test_surveys_before_opening_and_after_closing(db_path, secret):
    await add_inspection(db_path, "early1", opens_in=3, closes_in=10)
    await add_inspection(db_path, "late1", opens_in=-10, closes_in=-1)
    async with running_bot(db_path, None, secret=secret) as run:
        early = run.user(1010)
        await early.send("/start early1")
        await early.press("English")
        await early.press("Yes, I agree")
        assert "opens on" in early.last_text()
        late = run.user(1011)
        await late.send("/start late1")
        await late.press("English")
        await late.press("Yes, I agree")
        assert "closed on" in late.last_text() and "/mydata" in late.last_text()
        await late.send("anything")
        assert "closed on" in late.last_text()


async def test_typed_area_with_a_typo_finds_the_inspection(bot):
    parent = bot.user(1012)
    await parent.send("/start")
    await parent.press("English")
    await parent.press("Yes, I agree")
    assert "Which local council area" in parent.last_text()
    await parent.send("Derbby")
    texts = " ".join(parent.texts()[-3:])
    assert "Your local area: Derby" in texts or "Did you mean" in texts
    if "Did you mean" in texts:
        await parent.press("Derby")
    assert "Question 1 of" in parent.last_text()


async def test_commands_win_over_the_current_question(bot, db_path):
    parent = await begin(bot, 1013)
    await parent.press("A parent or carer")
    await parent.send("/help")
    assert "/delete" in parent.last_text()
    await parent.send("/pause")
    assert "Your answers are saved" in parent.last_text()
    await parent.send("/mydata")
    assert "A parent or carer" in parent.last_text()
    await parent.send("/language")
    await parent.press("English")
    assert "How old is" in parent.last_text()
    await parent.send("/stop")
    assert "not send you any more messages" in parent.last_text()
    assert await rows(db_path, "SELECT stopped FROM parents") == [(1,)]


async def test_the_database_never_holds_the_parents_telegram_id_or_name(bot, db_path):
    user_id = 987654321123
    parent = bot.user(user_id)
    parent.first_name, parent.username = "Zofia", "zofia_k"
    await parent.send(f"/start {PAYLOAD}")
    await parent.press("English")
    await parent.press("Yes, I agree")
    await answer_until(parent, "needs", FIRST_FOUR)
    await bot.app.bot_data["deps"].db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    data = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    for needle in (str(user_id), "Zofia", "zofia_k", user_id.to_bytes(8, "big"), user_id.to_bytes(8, "little")):
        assert (needle.encode() if isinstance(needle, str) else needle) not in data
    assert db_path.stat().st_mode & 0o777 == 0o600
