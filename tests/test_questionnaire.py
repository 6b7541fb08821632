"""The questionnaire is data, and a broken one is refused before any parent meets it."""

import copy

import pytest
import yaml

from bot.survey.model import (
    QUESTIONNAIRE_DIR,
    QuestionnaireError,
    QuestionType,
    load_questionnaire,
    parse_questionnaire,
)


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load((QUESTIONNAIRE_DIR / "area_send.yaml").read_text())


def test_default_questionnaire_has_the_sixteen_questions_of_the_design():
    q = load_questionnaire()
    assert q.id == "area_send" and q.version >= 1
    assert [x.id for x in q.questions] == [
        "respondent", "age_band", "support", "setting", "needs", "identified", "assessment_wait", "right_help",
        "services_waited", "involved", "contact_replies", "next_steps", "excluded", "worked_well",
        "inspectors_should_know", "quote_ok",
    ]
    types = {x.type for x in q.questions}
    assert types == set(QuestionType)


def test_skip_logic_hides_the_assessment_wait_without_an_assessment():
    q = load_questionnaire()
    shown = [x.id for x in q.visible({"support": "sen_support", "age_band": "5_to_10"})]
    assert "assessment_wait" not in shown and "next_steps" not in shown
    shown = [x.id for x in q.visible({"support": "ehc_plan", "age_band": "16_to_18"})]
    assert "assessment_wait" in shown and "next_steps" in shown


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])), "duplicate question id 'respondent'"),
        (lambda d: d["questions"][6]["show_if"].update(question="nope"), "not an earlier question"),
        (lambda d: d["questions"][1].update(show_if={"question": "support", "any_of": ["ehc_plan"]}),
         "not an earlier question"),
        (lambda d: d["questions"][6]["show_if"].update(any_of=["unicorn"]), "not a choice of 'support'"),
        (lambda d: d["questions"][0].update(type="slider"), "unknown type"),
        (lambda d: d["questions"][0]["choices"].append({"id": "other", "text": "Again"}), "duplicate choice id"),
        (lambda d: d["questions"][0].update(id="Bad Id"), "malformed id"),
        (lambda d: d["questions"][0].update(text=""), "has no text"),
        (lambda d: d.pop("version"), "missing 'version'"),
    ],
)
def test_broken_questionnaires_are_refused_with_a_clear_message(raw, mutate, message):
    mutate(raw)
    with pytest.raises(QuestionnaireError, match=message):
        parse_questionnaire(raw, "test.yaml")


def test_a_cycle_is_refused(raw):
    # a -> b -> a cannot be written with backward-only references; the forward half is what fails.
    raw["questions"][0]["show_if"] = {"question": "age_band", "any_of": ["under_5"]}
    with pytest.raises(QuestionnaireError, match="question 'respondent': show_if refers to 'age_band'"):
        parse_questionnaire(raw)


def test_values_are_checked_against_the_question():
    q = load_questionnaire()
    assert q.question("support").valid_value("ehc_plan")
    assert not q.question("support").valid_value("forged")
    assert q.question("needs").valid_value(["learning", "medical"])
    assert not q.question("needs").valid_value([])
    assert q.question("identified").valid_value(3) and q.question("identified").valid_value("dont_know")
    assert not q.question("identified").valid_value(9)


def test_a_questionnaire_with_an_untranslated_text_is_refused(raw):
    from bot.survey.coverage import require_translations

    require_translations(load_questionnaire())  # the shipped one is complete
    raw["questions"][0]["text"] = "A question nobody has translated yet?"
    with pytest.raises(QuestionnaireError, match="not translated in every shipped language"):
        require_translations(parse_questionnaire(raw))
