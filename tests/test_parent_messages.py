"""Messages a parent can read on a phone (issue 10): a short, plain consent with the detail one tap away, the
survey's length said at the start, a paginated review naming each question, and no message repeating itself.
"""

from __future__ import annotations

import itertools
import re

import pytest

from bot.demo import running_bot, sample_inspection
from bot.i18n.catalog import translator
from bot.i18n.readability import measure, syllables
from bot.privacy.notice import DEFAULT_OPERATOR_NAME, NoticeSettings
from bot.standin.user import plain
from bot.survey import length
from bot.survey.model import load_questionnaire
from bot.telegram import consent
from bot.telegram.review import PAGE_SIZE
from tests.conftest import rows
from tests.helpers.answers import ASSESSMENT_ROUTE

PAYLOAD = "derby26"

# ---------------------------------------------------------------- consent


def test_readability_formula_on_known_text():
    assert [syllables(w) for w in ("cat", "table", "answer", "disability", "agree")] == [1, 2, 2, 5, 2]
    easy = measure("The cat sat on the mat. It was a sunny day.")
    assert easy.words == 11 and easy.sentences == 2 and easy.grade < 1
    hard = measure("Notwithstanding the aforementioned considerations, processing of special category information "
                   "necessitates an appropriate lawful basis.")
    assert hard.grade > 12 and hard.reading_ease < 30


@pytest.mark.parametrize("settings", [NoticeSettings(), NoticeSettings("Derbyshire Parent Carer Forum", 30,
                                                                       "https://example.org/privacy")])
def test_the_consent_is_short_plain_and_says_who_how_long_and_health(settings):
    reply = consent.consent(translator("en"), settings)
    text = plain(reply.text)
    assert len(text) <= 500, len(text)
    # Our own words, measured with the one-word default name (an operator's long name is not ours to simplify).
    r = measure(plain(consent.consent(translator("en"), NoticeSettings()).text))
    # Flesch-Kincaid grade 5 or below is a reading age of about 10; reading ease 70+ is "fairly easy".
    assert r.grade <= 5 and r.reading_ease >= 70, (r.grade, r.reading_ease)
    assert settings.operator_name in text
    assert f"{settings.retention_days} days" in text
    assert "health and disability" in text
    labels = [b.text for row in reply.buttons for b in row]
    assert "More about your data" in labels
    assert [b.url for row in reply.buttons for b in row if b.url] == ([settings.privacy_url] if settings.privacy_url
                                                                     else [])


def test_notice_settings_come_from_the_environment():
    s = NoticeSettings.from_env({"PARENTVOICE_OPERATOR_NAME": "  Kent  PCF ", "PARENTVOICE_RETENTION_DAYS": "30",
                                 "PARENTVOICE_PRIVACY_URL": "https://kentpcf.example/privacy"})
    assert (s.operator_name, s.retention_days, s.privacy_url) == ("Kent PCF", 30, "https://kentpcf.example/privacy")
    s = NoticeSettings.from_env({"PARENTVOICE_PRIVACY_URL": "docs/PRIVACY.md"})
    assert (s.operator_name, s.retention_days, s.privacy_url) == (DEFAULT_OPERATOR_NAME, 90, None)


async def test_more_about_your_data_shows_the_notice_then_asks_again(bot, db_path):
    parent = bot.user(8700)
    await parent.send(f"/start {PAYLOAD}")
    await parent.press("English")
    first = parent.last_text()
    assert "ParentVoice" in first and "90 days" in first and "special category" not in first
    await parent.press("More about your data")
    detail, question = parent.texts()[-2:]
    for needle in ("special category data", "Inspectors only see totals", "/delete", "90 days", "only because you "
                   "said yes"):
        assert needle in detail, needle
    assert "health and disability" in question
    assert await rows(db_path, "SELECT consent_at FROM parents") == [(None,)]
    await parent.press("Yes, I agree")
    assert "Question 1 of" in parent.last_text()


async def test_a_configured_operator_and_privacy_url_are_shown(db_path, secret, monkeypatch):
    monkeypatch.setenv("PARENTVOICE_OPERATOR_NAME", "Derby Parent Carer Forum")
    monkeypatch.setenv("PARENTVOICE_RETENTION_DAYS", "1")
    monkeypatch.setenv("PARENTVOICE_PRIVACY_URL", "https://derbypcf.example/privacy")
    async with running_bot(db_path, sample_inspection(), secret=secret) as run:
        parent = run.user(8701, "pl")
        await parent.send(f"/start {PAYLOAD}")
        await parent.press_callback("lang:pl")
        text = parent.last_text()
        assert "Derby Parent Carer Forum" in text and "1 dzień" in text
        assert any(b.get("url") == "https://derbypcf.example/privacy" for b in parent.buttons())
        await parent.press_callback("consent:more")
        assert "https://derbypcf.example/privacy" in parent.texts()[-2]


# ---------------------------------------------------------------- survey length


def test_survey_length_walks_every_branch_through_the_engine():
    q = load_questionnaire()
    measured = length.measure(q)
    assert len(measured.paths) == 6 * 5  # age bands x kinds of support: the two questions skip logic reads
    shown = {p.questions for p in measured.paths}
    assert shown == {14, 15, 16}  # neither branch, one of them, both
    assert all(p.texts == 2 for p in measured.paths)
    assert measured.questions == 15 and measured.taps >= measured.questions
    assert 3 <= measured.minutes <= 10


@pytest.mark.parametrize("code", ["en", "pl", "ar"])
async def test_the_start_says_how_long_the_survey_takes(bot, code):
    measured = length.estimate(load_questionnaire())
    t = translator(code)
    parent = bot.user(8710 + ["en", "pl", "ar"].index(code), code)
    await parent.send(f"/start {PAYLOAD}")
    await parent.press_callback(f"lang:{code}")
    await parent.press_callback("consent:yes")
    said = parent.texts()[-2]
    questions = plain(t.ngettext("This survey has about %(count)s question.",
                                 "This survey has about %(count)s questions.", measured.questions))
    assert questions in said and t.number(measured.questions) in questions
    assert plain(t.ngettext("It takes about %(count)s minute.", "It takes about %(count)s minutes.",
                            measured.minutes)) in said
    # Said once, at the start: not again once the parent has answered.
    await parent.press_callback("pick:respondent:parent_carer")
    await parent.send("/start")
    assert not any(questions in text for text in parent.texts()[-3:])


# ---------------------------------------------------------------- review


async def _to_review(parent, code: str) -> None:
    await parent.send(f"/start {PAYLOAD}")
    await parent.press_callback(f"lang:{code}")
    await parent.press_callback("consent:yes")
    for kind, question, choice in ASSESSMENT_ROUTE:
        await parent.press_callback(":".join(x for x in (kind, question, choice) if x))
    await parent.press_callback("skip:worked_well")
    await parent.press_callback("skip:inspectors_should_know")
    await parent.press_callback("pick:quote_ok:yes")


@pytest.mark.parametrize("code", ["en", "ur"])
async def test_the_review_fits_a_phone_and_names_each_question(bot, db_path, code):
    t = translator(code)
    q = load_questionnaire()
    parent = bot.user(8720 + ["en", "ur"].index(code), code)
    await _to_review(parent, code)
    seen: list[str] = []
    pages = 0
    while True:
        pages += 1
        text = parent.last_text()
        assert len(text) <= 900 and len(parent.keyboard_message()["reply_markup"]["inline_keyboard"]) <= PAGE_SIZE + 2
        changes = [b for b in parent.buttons() if b.get("callback_data", "").startswith("edit:")]
        assert 1 <= len(changes) <= PAGE_SIZE
        for b in changes:
            question = q.question(b["callback_data"].split(":")[1])
            assert plain(b["text"]) == plain(t.gettext("Change: %(question)s", question=t.gettext(question.short)))
            seen.append(question.id)
        nxt = [b for b in parent.buttons() if b.get("callback_data", "").startswith("rv:")
               and int(b["callback_data"][3:]) > pages]
        if not nxt:
            break
        await parent.press_callback(nxt[0]["callback_data"])
    assert pages >= 2
    answered = {r[0] for r in await rows(db_path, "SELECT question_id FROM answers")}
    assert answered <= set(seen) and len(seen) == len(set(seen))

    # Change something on the last page: the review comes back on that page, and old page buttons are stale.
    stale = t.gettext("That button is from an earlier message. Here is where you are now.")
    last = seen[-1]
    old_page = parent.keyboard_message()["message_id"]
    await parent.press_callback(f"edit:{last}")
    await parent.press_data("rv:1", message_id=old_page)
    assert bot.standin.callback_answers()[-1]["text"] == stale
    assert t.gettext(q.question(last).text) in parent.last_text()
    await parent.press_callback(f"pick:{last}:no")
    assert any(b.get("callback_data") == f"edit:{last}" for b in parent.buttons())
    await parent.press_data("rv:99")
    assert bot.standin.callback_answers()[-1]["text"] == stale
    assert await rows(db_path, "SELECT value FROM answers WHERE question_id = ?", (last,)) == [('"no"',)]
    await parent.press_callback("submit")
    assert await rows(db_path, "SELECT status FROM responses") == [("submitted",)]


# ---------------------------------------------------------------- no repeats

_SENTENCE = re.compile(r"(?<=[.!?。？؟۔])\s+|\n+")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 12 and not s.strip().startswith("→")]


@pytest.mark.parametrize("code", ["en", "pl", "ur", "so"])
async def test_no_message_repeats_a_sentence_and_none_repeats_the_last(bot, code):
    parent = bot.user(8730 + ["en", "pl", "ur", "so"].index(code), code)
    await parent.send(f"/start {PAYLOAD}")
    await parent.press_callback(f"lang:{code}")
    await parent.press_callback("consent:more")
    await parent.press_callback("consent:yes")
    for kind, question, choice in ASSESSMENT_ROUTE:
        await parent.press_callback(":".join(x for x in (kind, question, choice) if x))
    await parent.send("The speech therapist helped a lot and the school listened to us.")
    await parent.press_callback("thok:worked_well")
    await parent.send("We waited two years for the assessment and nobody answered our emails.")
    await parent.press_callback("thno:inspectors_should_know")
    await parent.press_callback("pick:quote_ok:yes")
    await parent.press_callback("rv:2")
    await parent.press_callback("submit")
    messages = [plain(r["text"]) for r in bot.standin.sent(parent.chat, methods=("sendMessage",)) if r.get("text")]
    assert len(messages) > 20
    for text in messages:
        sentences = _sentences(text)
        assert len(sentences) == len(set(sentences)), text
    for before, after in itertools.pairwise(messages):
        assert before != after, after
