"""The survey engine, driven as a parent would drive it, with no Telegram and no database."""

import pytest

from bot.survey import engine as e
from bot.survey.model import load_questionnaire

Q = load_questionnaire()
EVERY = len(Q.questions)  # "of M" while every question may still be shown


def number(question_id: str) -> int:
    """N of "Question N of M" for a question with every earlier question shown."""
    return Q.position(question_id) + 1


class Run:
    """Applies inputs and keeps answers as the shell would store them."""

    def __init__(self) -> None:
        self.answers: dict = {}
        self.themes: dict = {}
        self.submitted = False
        self.state = e.start(Q, self.answers)
        self.last: e.Outcome | None = None

    def do(self, event) -> e.Outcome:
        out = e.step(Q, self.state, self.answers, event)
        for c in out.changes:
            if isinstance(c, e.SetAnswer):
                self.answers[c.question] = c.value
            elif isinstance(c, e.ClearAnswer):
                self.answers.pop(c.question, None)
            elif isinstance(c, e.SetThemes):
                self.themes[c.question] = c.themes
            elif isinstance(c, e.MarkSubmitted):
                self.submitted = True
        self.state = out.state
        self.last = out
        return out

    @property
    def asking(self) -> str | None:
        return self.state.current


def test_first_question_shows_progress_and_cannot_go_back_or_skip():
    run = Run()
    v = e.view(Q, run.state, run.answers)
    assert isinstance(v, e.Ask)
    assert (v.question.id, v.number, v.total) == ("respondent", 1, EVERY)  # every question that may still be shown
    assert not v.can_back and not v.can_skip
    assert run.do(e.Back()).notice is e.Notice.FIRST
    assert run.do(e.Skip("respondent")).notice is e.Notice.REQUIRED


def test_answers_advance_and_skip_logic_changes_the_count():
    run = Run()
    run.do(e.Choose("respondent", "parent_carer"))
    run.do(e.Choose("age_band", "16_to_18"))
    out = run.do(e.Choose("support", "ehc_plan"))
    assert out.changes[0] == e.SetAnswer("support", "ehc_plan")
    assert isinstance(out.view, e.Ask) and out.view.question.id == "setting"
    assert out.view.total == EVERY and out.view.number == number("setting")


def test_multi_choice_toggles_exclusive_choices_and_done():
    run = Run()
    for qid, c in (("respondent", "parent_carer"), ("age_band", "5_to_10"), ("support", "sen_support"),
                   ("setting", "mainstream")):
        run.do(e.Choose(qid, c))
    assert run.asking == "needs"
    assert run.do(e.Done("needs")).notice is e.Notice.EMPTY
    run.do(e.Toggle("needs", "medical"))
    run.do(e.Toggle("needs", "learning"))
    assert run.state.draft == ("learning", "medical")  # questionnaire order, not tap order
    run.do(e.Toggle("needs", "medical"))
    run.do(e.Done("needs"))
    assert run.answers["needs"] == ["learning"]
    for qid, v in (("identified", "2"), ("right_help", "dont_know")):
        run.do(e.Choose(qid, v))
    assert run.answers["identified"] == 2 and run.answers["right_help"] == "dont_know"
    run.do(e.Toggle("services_waited", "camhs"))
    run.do(e.Toggle("services_waited", "none"))
    assert run.state.draft == ("none",)
    run.do(e.Toggle("services_waited", "transport"))
    assert run.state.draft == ("transport",)


def test_stale_and_forged_inputs_change_nothing():
    run = Run()
    run.do(e.Choose("respondent", "parent_carer"))
    before = (run.state, dict(run.answers))
    for event in (e.Choose("respondent", "other"), e.Choose("age_band", "nope"), e.Toggle("age_band", "5_to_10"),
                  e.Edit("support"), e.Submit(), e.ThemesDone("worked_well"), e.Text(None, "hello")):
        out = run.do(event)
        assert out.notice in (e.Notice.STALE, e.Notice.USE_BUTTONS)
        assert out.changes == ()
    assert (run.state, run.answers) == before


def _answer_all(run: Run, support: str = "ehc_plan") -> None:
    plan = {
        "respondent": "parent_carer", "age_band": "5_to_10", "support": support, "setting": "mainstream",
        "identified": "3", "assessment_wait": "over_2_years", "right_help": "2", "involved": "4",
        "contact_replies": "1", "quote_ok": "yes",
    }
    while run.asking is not None:
        qid = run.asking
        question = Q.question(qid)
        if question.type.value == "multi":
            run.do(e.Toggle(qid, question.choices[0].id))
            run.do(e.Done(qid))
        elif question.type.value == "text":
            run.do(e.Text(qid, "  It took two years.  "))
        else:
            run.do(e.Choose(qid, plan[qid]))


def test_text_answers_are_trimmed_and_too_long_text_is_refused():
    run = Run()
    _answer_all(run)
    assert run.answers["worked_well"] == "It took two years."
    run.do(e.Edit("worked_well"))
    assert run.do(e.Text("worked_well", "x" * 5000)).notice is e.Notice.TOO_LONG
    assert run.answers["worked_well"] == "It took two years."


def test_text_that_is_empty_once_scrubbed_is_asked_again_and_not_stored():
    """The shell passes normalised text: a message of zero-width characters arrives here empty (issue 13.10)."""
    run = Run()
    _answer_all(run)
    run.do(e.Edit("worked_well"))
    out = run.do(e.Text("worked_well", "  "))
    assert out.notice is e.Notice.REWRITE
    assert not out.changes and run.answers["worked_well"] == "It took two years."
    assert out.view.question.id == "worked_well"


def test_review_edit_returns_to_review_and_submit():
    run = Run()
    _answer_all(run)
    v = run.last.view
    assert isinstance(v, e.Review) and not v.missing
    assert [i.question.id for i in v.items] == [q.id for q in Q.questions if q.id != "next_steps"]  # age 5 to 10
    run.do(e.Edit("contact_replies"))
    assert run.asking == "contact_replies"
    out = run.do(e.Choose("contact_replies", "5"))
    assert isinstance(out.view, e.Review) and run.answers["contact_replies"] == 5
    out = run.do(e.Submit())
    assert isinstance(out.view, e.Submitted) and run.submitted


def test_changing_an_answer_clears_answers_that_skip_logic_now_hides():
    run = Run()
    _answer_all(run, support="ehc_plan")
    assert "assessment_wait" in run.answers
    run.do(e.Edit("support"))
    out = run.do(e.Choose("support", "sen_support"))
    assert e.ClearAnswer("assessment_wait") in out.changes
    assert "assessment_wait" not in run.answers


def test_an_edit_that_reveals_a_required_question_asks_it_before_the_review(tmp_path):
    from bot.survey.model import parse_questionnaire
    from tests.helpers.questionnaire import question_by_id, raw_questionnaire

    raw = raw_questionnaire()
    question_by_id(raw, "assessment_wait")["required"] = True
    q = parse_questionnaire(raw)
    answers = {"respondent": "parent_carer", "age_band": "5_to_10", "support": "sen_support", "setting": "mainstream",
               "quote_ok": "no"}
    state = e.SurveyState(current=None)
    state = e.step(q, state, answers, e.Edit("support")).state
    out = e.step(q, state, answers, e.Choose("support", "assessment_requested"))
    assert out.state.current == "assessment_wait" and out.state.from_review


def test_submit_with_a_missing_required_answer_goes_to_it():
    answers = {"respondent": "parent_carer", "age_band": "5_to_10", "support": "none", "setting": "mainstream"}
    out = e.step(Q, e.SurveyState(current=None), answers, e.Submit())
    assert out.notice is e.Notice.REQUIRED and out.state.current == "quote_ok"


def test_back_goes_to_the_previous_visible_question_with_its_draft():
    run = Run()
    for qid, c in (("respondent", "parent_carer"), ("age_band", "5_to_10"), ("support", "sen_support"),
                   ("setting", "mainstream")):
        run.do(e.Choose(qid, c))
    run.do(e.Toggle("needs", "medical"))
    run.do(e.Done("needs"))
    run.do(e.Back())
    assert run.asking == "needs" and run.state.draft == ("medical",)
    run.do(e.Skip("needs"))
    assert "needs" not in run.answers and run.asking == "identified"


def test_free_text_with_themes_waits_for_the_parents_confirmation():
    run = Run()
    _answer_all(run)
    run.do(e.Edit("inspectors_should_know"))
    out = run.do(e.Text("inspectors_should_know", "We waited two years", ("ehc_assessment_delay",), ("name",)))
    assert isinstance(out.view, e.ConfirmThemes) and out.view.removed == ("name",)
    assert run.answers["inspectors_should_know"] == "We waited two years"
    run.do(e.ThemeToggle("inspectors_should_know", "ehc_assessment_delay"))
    run.do(e.ThemeToggle("inspectors_should_know", "ehc_assessment_delay"))
    run.do(e.MoreThemes("inspectors_should_know"))
    assert run.state.confirming.expanded
    run.do(e.ThemeToggle("inspectors_should_know", "transport"))
    out = run.do(e.ThemesDone("inspectors_should_know"))
    assert run.themes["inspectors_should_know"] == ("transport",)
    assert isinstance(out.view, e.Review)


SUGGESTED = ("ehc_assessment_delay", "transport", "school_places")


def _theme_step(run: Run) -> e.ConfirmThemes:
    _answer_all(run)
    run.do(e.Edit("inspectors_should_know"))
    out = run.do(e.Text("inspectors_should_know", "We waited two years", SUGGESTED))
    assert isinstance(out.view, e.ConfirmThemes)
    return out.view


def test_the_theme_step_ticks_nothing_for_the_parent():
    view = _theme_step(Run())
    assert view.suggested == SUGGESTED and view.selected == ()


def test_done_with_nothing_ticked_never_codes_the_answer():
    run = Run()
    _theme_step(run)
    out = run.do(e.ThemesDone("inspectors_should_know"))
    assert not any(isinstance(c, e.SetThemes) for c in out.changes)
    assert isinstance(out.view, e.Review) and "inspectors_should_know" not in run.themes


def test_ticked_themes_are_stored_as_exactly_what_was_ticked():
    run = Run()
    _theme_step(run)
    for theme in ("school_places", "ehc_assessment_delay", "transport", "transport"):
        run.do(e.ThemeToggle("inspectors_should_know", theme))
    out = run.do(e.ThemesDone("inspectors_should_know"))
    assert [c for c in out.changes if isinstance(c, e.SetThemes)] == [
        e.SetThemes("inspectors_should_know", ("school_places", "ehc_assessment_delay"))]


def test_none_of_these_records_that_the_parent_said_none():
    run = Run()
    _theme_step(run)
    run.do(e.ThemeToggle("inspectors_should_know", "transport"))
    out = run.do(e.NoThemes("inspectors_should_know"))
    assert [c for c in out.changes if isinstance(c, e.SetThemes)] == [
        e.SetThemes("inspectors_should_know", (), said_none=True)]


def test_a_theme_that_was_not_offered_cannot_be_ticked_until_all_are_shown():
    run = Run()
    _theme_step(run)
    assert run.do(e.ThemeToggle("inspectors_should_know", "annual_review")).notice is e.Notice.STALE
    run.do(e.MoreThemes("inspectors_should_know"))
    assert run.do(e.ThemeToggle("inspectors_should_know", "annual_review")).notice is None
    assert run.state.confirming.selected == ("annual_review",)


def test_typing_during_the_theme_check_rewrites_the_answer():
    run = Run()
    _answer_all(run)
    run.do(e.Edit("worked_well"))
    run.do(e.Text("worked_well", "first", ("positive",)))
    out = run.do(e.Text(None, "second version"))
    assert run.answers["worked_well"] == "second version"
    assert isinstance(out.view, e.Review)


@pytest.mark.parametrize("state", [
    e.SurveyState(current="needs", draft=("learning",), from_review=True),
    e.SurveyState(current="assessment_wait", from_review=True, pending=("next_steps",)),
    e.SurveyState(current=None, submitted=True,
                  confirming=e.Confirming("worked_well", ("positive",), (), ("phone",), True)),
])
def test_state_round_trips_through_json(state):
    assert e.SurveyState.from_json(state.to_json()) == state


# ---------------------------------------------------------------- progress and branches (issue 9, point 5)


def _random_path(seed: int) -> list[tuple[int, int]]:
    """Answer a whole survey at random (choices, skips, multi ticks); the (N, M) seen at each question."""
    import random

    rng = random.Random(seed)
    run = Run()
    seen = []
    while run.asking is not None:
        v = e.view(Q, run.state, run.answers)
        assert isinstance(v, e.Ask)
        seen.append((v.number, v.total))
        question = v.question
        if v.can_skip and rng.random() < 0.3:
            run.do(e.Skip(question.id))
        elif question.type.value == "multi":
            run.do(e.Toggle(question.id, rng.choice(v.choices).id))
            run.do(e.Done(question.id))
        elif question.type.value == "text":
            run.do(e.Text(question.id, "It helped."))
        else:
            run.do(e.Choose(question.id, rng.choice(v.choices).id))
    return seen


@pytest.mark.parametrize("seed", range(60))
def test_question_n_of_m_never_jumps_up_on_the_way_forward(seed):
    seen = _random_path(seed)
    totals = [m for _, m in seen]
    assert totals == sorted(totals, reverse=True), seen         # M never grows
    assert [n for n, _ in seen] == list(range(1, len(seen) + 1)), seen
    assert seen[-1][0] == seen[-1][1]                           # the last question is "M of M"


def test_m_counts_branches_until_their_question_is_answered():
    run = Run()
    assert e.view(Q, run.state, run.answers).total == EVERY
    run.do(e.Choose("respondent", "parent_carer"))
    out = run.do(e.Choose("age_band", "5_to_10"))               # no "next steps" question for under-14s
    assert (out.view.number, out.view.total) == (number("support"), EVERY - 1)
    out = run.do(e.Choose("support", "sen_support"))            # no assessment question
    assert (out.view.number, out.view.total) == (number("setting"), EVERY - 2)


def _reviewed(support: str, wait: str | None) -> tuple[dict, e.SurveyState]:
    answers = {"respondent": "parent_carer", "age_band": "5_to_10", "support": support, "setting": "mainstream",
               "quote_ok": "no"}
    if wait:
        answers["assessment_wait"] = wait
    return answers, e.SurveyState(current=None)


def test_an_edit_that_shows_an_optional_question_asks_it_before_the_review():
    answers, state = _reviewed("sen_support", None)
    state = e.step(Q, state, answers, e.Edit("support")).state
    out = e.step(Q, state, answers, e.Choose("support", "assessment_requested"))
    assert out.state.current == "assessment_wait" and out.state.from_review
    answers["support"] = "assessment_requested"
    out = e.step(Q, out.state, answers, e.Choose("assessment_wait", "1_to_2_years"))
    assert isinstance(out.view, e.Review) and out.state.pending == ()


def test_an_edit_to_ehc_plan_drops_still_waiting_and_asks_again_without_that_choice():
    answers, state = _reviewed("assessment_requested", "still_waiting")
    state = e.step(Q, state, answers, e.Edit("support")).state
    out = e.step(Q, state, answers, e.Choose("support", "ehc_plan"))
    assert e.ClearAnswer("assessment_wait") in out.changes
    assert isinstance(out.view, e.Ask) and out.view.question.id == "assessment_wait"
    assert "still_waiting" not in [c.id for c in out.view.choices]
    answers = {**answers, "support": "ehc_plan"}
    del answers["assessment_wait"]
    assert e.step(Q, out.state, answers, e.Choose("assessment_wait", "still_waiting")).notice is e.Notice.STALE
    skipped = e.step(Q, out.state, answers, e.Skip("assessment_wait"))
    assert isinstance(skipped.view, e.Review)


def test_an_edit_that_hides_a_branch_drops_its_answers_and_goes_straight_back():
    answers, state = _reviewed("assessment_requested", "still_waiting")
    state = e.step(Q, state, answers, e.Edit("support")).state
    out = e.step(Q, state, answers, e.Choose("support", "none"))
    assert e.ClearAnswer("assessment_wait") in out.changes and isinstance(out.view, e.Review)
    assert "assessment_wait" not in [i.question.id for i in out.view.items]
