"""Driving one parent through the survey in end-to-end tests, finding questions by id, not by position.

The question on the parent's screen is read from its buttons' callback data (``pick:<id>:...``,
``skip:<id>`` and so on), so these helpers keep working when questions are added, removed or reordered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.demo import Running
from bot.standin.user import SimulatedUser
from bot.survey.model import load_questionnaire

PAYLOAD = "derby26"

#: Answers to the four required opening questions that keep every later question possible (a 16 to 18 year
#: old, an assessment asked for), as button labels.
FIRST_FOUR = ["A parent or carer", "16 to 18", "We asked for an EHC needs assessment", "A mainstream school"]

_ASKING = re.compile(r"(?:pick|tog|done|skip):([a-z0-9_]+)")


async def begin(run: Running, user_id: int, language_code: str = "en") -> SimulatedUser:
    """A parent who opened the inspection's link, chose English and agreed: at the first question."""
    parent = run.user(user_id, language_code)
    await parent.send(f"/start {PAYLOAD}")
    await parent.press("English")
    await parent.press("Yes, I agree")
    return parent


def asking(parent: SimulatedUser) -> str | None:
    """The id of the question on the parent's screen, or None when no question is asked (review, theme check)."""
    for button in parent.buttons():
        found = _ASKING.match(str(button.get("callback_data") or ""))
        if found:
            return found.group(1)
    return None


async def answer_until(parent: SimulatedUser, question_id: str, presses: Iterable[str] = ()) -> None:
    """Press ``presses`` (button labels), then skip optional questions until ``question_id`` is asked.

    Fails, rather than loops, at a question that cannot be skipped or when no question is asked.
    """
    for label in presses:
        await parent.press(label)
    for _ in load_questionnaire().questions:
        current = asking(parent)
        if current == question_id:
            return
        assert current is not None, f"no question is asked: {parent.last_text()}"
        skip = f"skip:{current}"
        assert skip in [b.get("callback_data") for b in parent.buttons()], f"{current!r} cannot be skipped"
        await parent.press_callback(skip)
    assert asking(parent) == question_id, parent.last_text()


def progress(question_id: str) -> str:
    """The "Question N of M" line for a question while every question may still be shown (FIRST_FOUR's path)."""
    questionnaire = load_questionnaire()
    return f"Question {questionnaire.position(question_id) + 1} of {len(questionnaire.questions)}"


async def to_free_text(parent: SimulatedUser) -> None:
    """From the first question to the first free-text question ("worked_well"), answering nothing optional."""
    await answer_until(parent, "worked_well",
                       [*FIRST_FOUR[:2], "SEN support at school or nursery", "A mainstream school"])
    assert "worked well" in parent.last_text(), parent.last_text()


async def finish(parent: SimulatedUser) -> None:
    """Skip or accept whatever is left, then send the answers from the review."""
    while "Please check your answers" not in parent.last_text():
        labels = [b["text"] for b in parent.buttons()]
        if "Skip" in labels:
            await parent.press("Skip")
        elif "Done" in labels:
            await parent.press("Done")
        else:
            await parent.press("Yes")
    await parent.press("Send my answers")
