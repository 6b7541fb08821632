"""Property-based fuzzing: random updates never raise out of a handler, and a private message is always answered."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.callbacks import KINDS
from bot.demo import running_bot, sample_inspection

QUESTION_IDS = ["respondent", "age_band", "support", "needs", "worked_well", "quote_ok", "nope", ""]
CHOICES = ["parent_carer", "5_to_10", "ehc_plan", "learning", "none", "1", "dont_know", "yes", "x" * 40]

callback_data = st.one_of(
    st.builds(lambda k, a: ":".join([k, *a]), st.sampled_from(sorted(KINDS)),
              st.lists(st.sampled_from(QUESTION_IDS + CHOICES), max_size=3)),
    st.text(max_size=80),
)
actions = st.one_of(
    st.tuples(st.just("text"), st.text(min_size=1, max_size=300).filter(lambda s: s.strip())),
    st.tuples(st.just("text"), st.sampled_from(["English", "Yes, I agree", "Derby", "1", "a parent or carer",
                                                  "/start derby26", "/start", "/start ../../etc", "/delete",
                                                  "/language", "/mydata", "/withdraw", "/redeem x", "/stop",
                                                  "/help", "/pause", "/unknown@ParentVoiceBot"])),
    st.tuples(st.just("press"), callback_data),
    st.tuples(st.just("press_visible"), st.integers(min_value=0, max_value=30)),
    st.tuples(st.just("kind"), st.sampled_from(["sticker", "photo", "voice", "document", "video", "location"])),
)


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def play(db_path: Path, steps: list[tuple[str, object]]) -> None:
    errors = Errors()
    logging.getLogger().addHandler(errors)
    try:
        async with running_bot(db_path, sample_inspection()) as run:
            parent = run.user(4242, "pl")
            await parent.send("/start")  # a button can only be pressed in a chat that exists
            for kind, value in steps:
                before = len(run.standin.sent(4242))
                if kind == "text":
                    await parent.send(str(value))
                elif kind == "press":
                    await parent.press_data(str(value))
                elif kind == "press_visible":
                    buttons = [b for b in parent.buttons() if b.get("callback_data")]
                    if not buttons:
                        continue
                    await parent.press(int(value) % len(buttons))  # type: ignore[call-overload]
                else:
                    await parent.send_kind(str(value))
                assert len(run.standin.sent(4242)) > before, (kind, value)
            assert run.standin.unanswered_callbacks() == []
    finally:
        logging.getLogger().removeHandler(errors)
    assert not errors.records, [r.getMessage() for r in errors.records]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(actions, min_size=1, max_size=25))
def test_random_updates_never_crash_and_always_get_an_answer(tmp_path_factory, steps):
    asyncio.run(play(tmp_path_factory.mktemp("fuzz") / "pv.db", steps))
