"""Parents must never be stuck or alarmed (issue 9): each test drives the real bot through the stand-in.

The stand-in refuses what Telegram refuses (cut HTML tags, bad button URLs), so a message the bot could not
really send fails here too.
"""

from __future__ import annotations

import re

from bot.demo import running_bot
from bot.i18n.catalog import translator
from bot.survey.model import load_questionnaire
from bot.telegram.render_language import PROMPT_LANGUAGES
from tests.conftest import add_inspection, rows
from tests.helpers.journey import answer_until, begin, finish, to_free_text

# About 4,000 characters in paragraphs, with a phone number: the scrubbed text is quoted back in a
# <blockquote>, and the confirmation passes Telegram's 4,096-character limit.
PARAGRAPH = "The speech & language therapist helped a lot with his words & with his confidence at school."
LONG_ANSWER = "\n\n".join([PARAGRAPH] * 40) + "\n\nPlease ring me on 07700 900461 if you want to know more."


def refused(bot, chat: int) -> int:
    return bot.standin.attempts(chat) - bot.standin.successes(chat)


async def test_a_long_scrubbed_answer_is_quoted_back_in_valid_parts_and_start_still_works(bot, db_path):
    parent = await begin(bot, 9101)
    await to_free_text(parent)
    assert len(LONG_ANSWER) <= 4000
    # Classifying ~4,000 characters takes seconds on a busy machine: wait longer than a user step does.
    typed = await bot.standin.send_message(9101, LONG_ANSWER, language_code="en")
    await bot.tracker.wait(typed["update_id"], 300)
    texts = parent.texts()
    assert not any("something went wrong" in t for t in texts), texts[-1]
    assert refused(bot, 9101) == 0
    quoted = [r for r in bot.standin.sent(9101) if "<blockquote>" in (r.get("raw_text") or "")]
    assert len(quoted) >= 2                      # the quote runs over two messages, each a real blockquote
    assert all(any(e["type"] == "blockquote" for e in r["entities"]) for r in quoted)
    assert "07700" not in "".join(texts) and "[phone]" in "".join(texts)
    await parent.send("/start")
    assert refused(bot, 9101) == 0
    assert not any("something went wrong" in t for t in parent.texts())
    before = len(parent.buttons())
    await parent.press("Something else")          # redraws the last part in place: it must still fit
    assert len(parent.buttons()) > before
    await parent.press("Done")
    assert "inspectors know" in parent.last_text() or "inspectors should know" in parent.last_text()
    stored = await rows(db_path, "SELECT value FROM answers WHERE question_id = 'worked_well'")
    assert "[phone]" in stored[0][0]


async def test_a_message_telegram_refuses_is_sent_again_as_plain_text(bot):
    parent = bot.user(9102)
    bot.standin.fail(9102, status=400, times=1, methods=["sendMessage"],
                     description='Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start '
                                 'tag "b"')
    await parent.send("/start derby26")
    assert "Choose your language" in parent.last_text()
    assert parent.buttons()                       # the language keyboard came with it


async def test_a_bad_official_survey_link_in_the_database_never_blocks_submitting(db_path, secret, caplog):
    await add_inspection(db_path, "badurl1", official_survey_url="notaurl")
    async with running_bot(db_path, None, secret=secret) as run:
        parent = run.user(9103)
        await parent.send("/start badurl1")
        await parent.press("English")
        await parent.press("Yes, I agree")
        await to_free_text(parent)
        await finish(parent)
        shown = parent.last_text()
        assert "Thank you. Your answers have been sent." in shown
        assert re.search(r"withdrawal code is \W*[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", shown), shown
        assert "notaurl" not in shown
        assert all(b.get("url") != "notaurl" for b in parent.buttons())
        assert refused(run, 9103) == 0
    assert await rows(db_path, "SELECT status FROM responses") == [("submitted",)]
    assert any("official survey link" in r.getMessage() and "badurl1" in r.getMessage() for r in caplog.records)


QUESTION = re.compile(r"Question (\d+) of (\d+)")


async def test_question_n_of_m_never_jumps_up_through_a_whole_survey(bot):
    parent = await begin(bot, 9104)
    seen: list[tuple[int, int]] = []
    presses = ["A parent or carer", "16 to 18", "We asked for an EHC needs assessment", "A mainstream school"]
    while "Please check your answers" not in parent.last_text():
        found = QUESTION.search(parent.last_text())
        assert found, parent.last_text()
        seen.append((int(found.group(1)), int(found.group(2))))
        labels = [b["text"] for b in parent.buttons()]
        if presses:
            await parent.press(presses.pop(0))
        elif "Skip" in labels:
            await parent.press("Skip")
        else:
            await parent.press("Yes")
    totals = [m for _, m in seen]
    assert totals == sorted(totals, reverse=True), seen
    every = len(load_questionnaire().questions)          # this path may show every question
    assert [n for n, _ in seen] == list(range(1, len(seen) + 1)) and seen[-1] == (every, every)


async def test_changing_support_to_an_ehc_plan_drops_still_waiting_and_asks_again(bot, db_path):
    parent = await begin(bot, 9105)
    for label in ["A parent or carer", "5 to 10", "We asked for an EHC needs assessment", "A mainstream school"]:
        await parent.press(label)
    await answer_until(parent, "assessment_wait")
    await parent.press("We are still waiting")
    await finish(parent)
    assert await rows(db_path, "SELECT value FROM answers WHERE question_id = 'assessment_wait'") == [
        ('"still_waiting"',)]
    await parent.press("Check or change my answers")
    await parent.press("Change: Support now")
    await parent.press("An EHC plan")
    assert "How long did it take" in parent.last_text()           # asked again: its answer no longer fits
    labels = [b["text"] for b in parent.buttons()]
    assert "We are still waiting" not in labels and "More than 2 years" in labels
    assert await rows(db_path, "SELECT value FROM answers WHERE question_id = 'assessment_wait'") == []
    await parent.press("More than 2 years")
    assert "Please check your answers" in parent.last_text()
    assert "More than 2 years" in parent.last_text()


async def test_typed_words_that_name_a_choice_answer_it_and_say_so(bot, db_path):
    parent = await begin(bot, 9106)
    await parent.press("A parent or carer")
    await parent.send("under 5!")
    texts = parent.texts()
    assert any("We chose this answer from what you typed: Under 5" in t for t in texts[-3:]), texts[-3:]
    assert "What support does the child have now" in parent.last_text()
    assert await rows(db_path, "SELECT value FROM answers WHERE question_id = 'age_band'") == [('"under_5"',)]


async def test_other_typed_words_are_kept_scrubbed_as_a_note_and_can_be_deleted(bot, db_path):
    parent = await begin(bot, 9107)
    await parent.send("I am his nan really, ring me on 07700 900461")
    shown = parent.texts()[-2]
    assert "kept what you typed as a note" in shown and "[phone]" in shown and "07700" not in shown
    assert "Who is answering" in parent.last_text()               # the question is asked again below
    notes = await rows(db_path, "SELECT question_id, text FROM answer_comments")
    assert notes == [("respondent", "I am his nan really, ring me on [phone]")]
    await parent.send("/mydata")
    assert "Your note: I am his nan really" in parent.last_text()
    note = next(r for r in bot.standin.sent(9107) if "Delete my note" in str(r.get("reply_markup")))
    await parent.press_data("nodel:respondent", note["message_id"])
    assert await rows(db_path, "SELECT * FROM answer_comments") == []
    assert any("Your note has been deleted" in t for t in parent.texts()[-3:])


async def test_the_first_screen_asks_in_many_languages_when_telegram_says_english_or_nothing(bot):
    for user_id, code in ((9108, "en"), (9109, None)):
        parent = bot.user(user_id, code)
        await parent.send("/start derby26")
        first = parent.last_text()
        lines = {translator(language).gettext("Choose your language") for language in PROMPT_LANGUAGES}
        assert len(lines) == len(PROMPT_LANGUAGES) >= 8          # each in its own words, from its own catalog
        assert all(line in first for line in lines), first
        assert "Proszę wybrać język" in first                      # not only English
        assert "Polski" in [b["text"] for b in parent.buttons()]
    polish = bot.user(9110, "pl")
    await polish.send("/start derby26")
    assert "Polski" in polish.last_text() and "اپنی زبان" not in polish.last_text()


async def test_removed_details_are_named_in_the_parents_language_but_stored_canonical(bot, db_path):
    parent = bot.user(9111, "pl")
    await parent.send("/start derby26")
    await parent.press_callback("lang:pl")
    await parent.press_callback("consent:yes")
    for data in ("pick:respondent:parent_carer", "pick:age_band:5_to_10", "pick:support:sen_support",
                 "pick:setting:mainstream"):
        await parent.press_callback(data)
    await answer_until(parent, "worked_well")
    await parent.send("Logopeda bardzo pomógł. Proszę dzwonić pod 07700 900461.")
    shown = parent.texts()
    assert any("[telefon]" in t for t in shown[-3:]) and not any("[phone]" in t for t in shown[-3:]), shown[-3:]
    stored = await rows(db_path, "SELECT value FROM answers WHERE question_id = 'worked_well'")
    assert "[phone]" in stored[0][0] and "[telefon]" not in stored[0][0]
    await parent.send("/mydata")
    assert "[telefon]" in parent.last_text() and "[phone]" not in parent.last_text()


async def test_the_rewrite_hint_names_the_button_as_it_is_labelled(bot):
    parent = await begin(bot, 9112)
    await to_free_text(parent)
    await parent.send("07700 900462")                    # nothing to suggest a theme for: the plain hint
    shown = parent.texts()[-1]
    assert "Tap Done to keep your answer, or Write it again to change it." in shown, shown
    labels = [b["text"] for b in parent.buttons()]
    assert "Done" in labels and "Write it again" in labels and "Back" not in labels
