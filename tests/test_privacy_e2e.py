"""Privacy and safety, end to end: what a parent types is scrubbed before storage, rights work, roles hold."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from bot.i18n.catalog import translator
from bot.privacy.scrub_version import scrubber_version
from bot.storage import roles
from bot.storage.db import Database
from bot.storage.evidence import records_for
from tests.conftest import rows
from tests.helpers.journey import begin, finish, to_free_text


async def db_bytes(bot, db_path) -> bytes:
    await bot.app.bot_data["deps"].db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))


async def test_names_phones_and_postcodes_never_reach_the_database(bot, db_path):
    parent = await begin(bot, 3001)
    await to_free_text(parent)
    await parent.send("My son Oliver's teacher Mrs Hargreaves is great. Ring me on 07700 900461, we live at "
                      "14 Elm Road, DE22 3XY.")
    shown = parent.texts()[-1]
    assert "We removed names" in shown and "Oliver" not in shown and "07700" not in shown
    await finish(parent)
    data = await db_bytes(bot, db_path)
    for secret in ("Oliver", "Hargreaves", "07700 900461", "07700900461", "DE22 3XY", "Elm Road"):
        assert secret.encode() not in data, secret
    assert bot.app.config.secret.encode() not in data  # the pseudonym key never enters the database
    stored = await rows(db_path, "SELECT value FROM answers WHERE question_id = 'worked_well'")
    assert "[phone]" in stored[0][0] and "[postcode]" in stored[0][0]


async def test_free_text_is_stored_with_the_version_of_the_scrubber_that_cleaned_it(bot, db_path):
    """Issue 11.3: a report takes a quote as stored only when the running scrubber cleaned it, so every free
    text the bot stores (answers, notes typed at buttons) carries that scrubber's version; closed answers none."""
    parent = await begin(bot, 3010)
    await parent.send("I am his nan really, ring me on 07700 900461")  # typed at a button question: a note
    await to_free_text(parent)
    await parent.send("Mrs Hargreaves at nursery helped a lot")
    await finish(parent)
    current = scrubber_version()
    versions = dict(await rows(db_path, "SELECT question_id, scrubber_version FROM answers"))
    assert versions.pop("worked_well") == current
    assert versions and set(versions.values()) == {None}
    assert await rows(db_path, "SELECT text, scrubber_version FROM answer_comments") == [
        ("I am his nan really, ring me on [phone]", current)]
    [record] = await records_for(bot.app.bot_data["deps"].db, bot.inspection.id)
    assert record.answers["worked_well"] == "Mrs [name] at nursery helped a lot"
    assert record.scrubbed_by == {"worked_well": current}


async def test_parent_can_rewrite_an_answer_after_seeing_the_scrubbed_text(bot, db_path):
    parent = await begin(bot, 3002)
    await to_free_text(parent)
    await parent.send("Call 07700 900462 please")
    await parent.press("Write it again")
    await parent.send("The speech therapist helped a lot")
    stored = await rows(db_path, "SELECT value FROM answers WHERE question_id = 'worked_well'")
    assert stored == [('"The speech therapist helped a lot"',)]


async def test_withdrawal_code_deletes_the_response_even_from_another_account(bot, db_path):
    parent = await begin(bot, 3003)
    await to_free_text(parent)
    await finish(parent)
    code = re.search(r"code is \W*([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", parent.last_text()).group(1)
    assert len(await rows(db_path, "SELECT * FROM responses")) == 1
    assert code.encode() not in await db_bytes(bot, db_path)
    stranger = bot.user(3004)
    await stranger.send("/withdraw AAAA-BBBB-CCCC")
    assert "does not match" in stranger.last_text()
    await stranger.send(f"/withdraw {code.lower()}")
    assert "have been deleted" in stranger.last_text()
    for table in ("responses", "answers", "answer_themes", "answer_flags"):
        assert await rows(db_path, f"SELECT * FROM {table}") == [], table


@pytest.mark.parametrize(("code", "text"), [
    ("en", "I can't go on like this, some days I want to end my life."),
    ("pl", "Nie daję już rady, czasem myślę, żeby odebrać sobie życie."),
    ("ur", "میں اب اور برداشت نہیں کر سکتی، کبھی کبھی دل کرتا ہے کہ خودکشی کر لوں۔"),
])
async def test_safeguarding_text_gets_help_at_once_in_the_parents_language(bot, db_path, code, text):
    parent = await answer_first_free_text(bot, 3005, code, text)
    help_message = next(t for t in reversed(parent.texts()) if "116 123" in t)
    assert "999" in help_message and "SENDIASS" in help_message
    expected = translator(code).gettext("We have saved your answer. The survey carries on below.")
    assert expected in help_message
    assert await rows(db_path, "SELECT flag_id FROM answer_flags WHERE flag_id = 'safeguarding'") == [
        ("safeguarding",)]


async def answer_first_free_text(bot, user_id: int, code: str, text: str):
    parent = bot.user(user_id, code)
    await parent.send("/start derby26")
    await parent.press_callback(f"lang:{code}")
    await parent.press_callback("consent:yes")
    for data in ("pick:respondent:parent_carer", "pick:age_band:5_to_10", "pick:support:sen_support",
                 "pick:setting:mainstream", *(f"skip:{q}" for q in ("needs", "identified", "right_help",
                 "services_waited", "involved", "contact_replies", "excluded"))):
        await parent.press_callback(data)
    await parent.send(text)
    return parent


# Ordinary answers that showed the crisis message before (issue 9; the first three are quoted there), from
# the dev part of tests/data/safeguarding_ordinary.jsonl.
ORDINARY_ANSWERS = [
    ("pl", "Pani w świetlicy jest cierpliwa i syn lubi do niej chodzić."),
    ("ro", "Logopedul a fost minunat cu fiica mea."),
    ("so", "Wiilkayga ma helin daawaynta hadalka."),
    ("sk", "Logopédka bola s mojou dcérou úžasná."),
    ("ur", "اسپیچ تھراپسٹ میری بیٹی کے ساتھ بہت اچھی تھیں۔"),
    ("en", "I am exhausted from fighting for every bit of support."),
    ("pl", "Nie dam rady odbierać go codziennie o dwunastej, bo pracuję."),
]


async def test_ordinary_answers_in_other_languages_get_no_crisis_message_but_risk_does(bot, db_path):
    for n, (code, text) in enumerate(ORDINARY_ANSWERS):
        parent = await answer_first_free_text(bot, 3100 + n, code, text)
        assert not [t for t in parent.texts() if "116 123" in t], (code, text)
    assert await rows(db_path, "SELECT flag_id FROM answer_flags WHERE flag_id = 'safeguarding'") == []
    parent = await answer_first_free_text(bot, 3199, "ro", "Fiica mea se taie pe brațe cu lama.")
    help_message = next(t for t in reversed(parent.texts()) if "116 123" in t)
    assert "999" in help_message
    assert await rows(db_path, "SELECT flag_id FROM answer_flags WHERE flag_id = 'safeguarding'") == [
        ("safeguarding",)]


# Issue 9 round two: false alarms of the first fix on its blind set (an idiom of waiting, "desperately need
# a place"), and a kind of risk its phrases lacked (an eating disorder).
async def test_idioms_of_waiting_get_no_crisis_message_and_an_eating_disorder_does(bot, db_path):
    for n, (code, text) in enumerate([("tr", "Bu bekleyiş beni öldürüyor."),
                                      ("pt", "Precisamos desesperadamente de uma vaga numa escola especializada.")]):
        parent = await answer_first_free_text(bot, 3300 + n, code, text)
        assert not [t for t in parent.texts() if "116 123" in t], (code, text)
    assert await rows(db_path, "SELECT flag_id FROM answer_flags WHERE flag_id = 'safeguarding'") == []
    parent = await answer_first_free_text(
        bot, 3399, "es", "Mi hija se provoca el vómito después de cada comida y ha adelgazado muchísimo.")
    help_message = next(t for t in reversed(parent.texts()) if "116 123" in t)
    assert "999" in help_message
    assert await rows(db_path, "SELECT flag_id FROM answer_flags WHERE flag_id = 'safeguarding'") == [
        ("safeguarding",)]


async def test_an_invite_code_works_once_and_a_parent_cannot_use_staff_commands(bot, db_path, secret):
    db = await Database.open(db_path)
    code = await roles.create_invite(db, secret, "forum", label="Derby Parent Carer Forum",
                                     expires=timedelta(days=1))
    await db.close()
    assert code.encode() not in db_path.read_bytes()
    parent = bot.user(3006)
    await parent.send("/summary")
    refused = parent.last_text()
    await parent.send("/frobnicate")
    assert refused == parent.last_text()  # a refusal reveals nothing: it reads like an unknown command
    forum = bot.user(3007)
    await forum.send(f"/redeem {code}")
    assert "Welcome" in forum.last_text()
    other = bot.user(3008)
    await other.send(f"/redeem {code}")
    assert "does not work" in other.last_text()
    assert await rows(db_path, "SELECT user_id, role FROM roles") == [(3007, "forum")]
    actions = [r[0] for r in await rows(db_path, "SELECT action FROM audit ORDER BY id")]
    assert actions == ["invite.created", "role.refused", "role.granted", "invite.refused"]


async def test_redeem_attempts_are_rate_limited(bot):
    guesser = bot.user(3009)
    for n in range(5):
        await guesser.send(f"/redeem wrong-code-{n}")
        assert "does not work" in guesser.last_text()
    await guesser.send("/redeem wrong-code-6")
    assert "Too many tries" in guesser.last_text()


async def test_logs_of_a_whole_survey_hold_no_answer_text_and_no_telegram_id(bot, caplog):
    from bot.logging_setup import setup_logging

    setup_logging(logging.DEBUG)  # the most verbose the bot ever logs (`parentvoice -v run`)
    logging.getLogger().addHandler(caplog.handler)
    user_id = 55511122233
    parent = await begin(bot, user_id)
    await to_free_text(parent)
    await parent.send("Zebedee waited forever for speech therapy")
    await finish(parent)
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert any(r.name.startswith("bot.") for r in caplog.records)  # the bot did log
    assert "Zebedee" not in logged and "speech therapy" not in logged
    assert str(user_id) not in logged


async def test_a_flood_gets_one_slow_down_and_others_are_still_served(db_path, secret):
    from bot.demo import running_bot, sample_inspection

    async with running_bot(db_path, sample_inspection(), secret=secret, flood_burst=5, flood_rate=0.01) as run:
        flooder = run.user(3010)
        for n in range(12):
            await flooder.send(f"message {n}")
        warnings = [t for t in flooder.texts() if "very quickly" in t]
        assert len(warnings) == 1
        assert len(flooder.texts()) <= 5 * 2 + 1  # at most the burst got work done, then one warning
        calm = run.user(3011)
        await calm.send("/start")
        assert "Choose your language" in calm.last_text()
