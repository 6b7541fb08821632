"""The questionnaire is data, and a broken one is refused before any parent meets it."""

import copy

import pytest

from bot.survey.model import (
    QuestionnaireError,
    QuestionType,
    load_questionnaire,
    parse_questionnaire,
)
from tests.helpers.questionnaire import question_by_id as by_id
from tests.helpers.questionnaire import raw_questionnaire


@pytest.fixture
def raw() -> dict:
    return raw_questionnaire()


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
        (lambda d: d["questions"].append(copy.deepcopy(by_id(d, "respondent"))), "duplicate question id 'respondent'"),
        (lambda d: by_id(d, "assessment_wait")["show_if"].update(question="nope"), "not an earlier question"),
        (lambda d: by_id(d, "support").update(show_if={"question": "support", "any_of": ["ehc_plan"]}),
         "not an earlier question"),  # a question cannot depend on itself, wherever it stands
        (lambda d: by_id(d, "assessment_wait")["show_if"].update(any_of=["unicorn"]), "not a choice of 'support'"),
        (lambda d: by_id(d, "respondent").update(type="slider"), "unknown type"),
        (lambda d: by_id(d, "respondent")["choices"].append({"id": "other", "text": "Again"}), "duplicate choice id"),
        (lambda d: by_id(d, "respondent").update(id="Bad Id"), "malformed id"),
        (lambda d: by_id(d, "respondent").update(text=""), "has no text"),
        (lambda d: d.pop("version"), "missing 'version'"),
    ],
)
def test_broken_questionnaires_are_refused_with_a_clear_message(raw, mutate, message):
    mutate(raw)
    with pytest.raises(QuestionnaireError, match=message):
        parse_questionnaire(raw, "test.yaml")


def test_a_cycle_is_refused(raw):
    # a -> b -> a cannot be written with backward-only references; the forward half is what fails.
    first, later = raw["questions"][0], raw["questions"][1]  # by place on purpose: the first refers forward
    later["show_if"] = {"question": first["id"], "any_of": [first["choices"][0]["id"]]}
    first["show_if"] = {"question": later["id"], "any_of": [later["choices"][0]["id"]]}
    with pytest.raises(QuestionnaireError,
                       match=f"question '{first['id']}': show_if refers to '{later['id']}'"):
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
    by_id(raw, "respondent")["text"] = "A question nobody has translated yet?"
    with pytest.raises(QuestionnaireError, match="not translated in every shipped language"):
        require_translations(parse_questionnaire(raw))
