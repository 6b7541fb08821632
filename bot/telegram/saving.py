"""Storing what a survey step changed, in the caller's transaction, before anything is sent."""

from __future__ import annotations

import logging

from bot.evidence import FreeText
from bot.privacy import withdrawal
from bot.storage import parents as repo
from bot.storage.parents import Parent, Response
from bot.survey import engine
from bot.survey.model import Questionnaire
from bot.telegram.deps import Deps
from bot.themes.parent_choice import PARENT_SAID_NONE
from bot.themes.rules import themes_from_answers

log = logging.getLogger(__name__)


async def apply_outcome(deps: Deps, parent: Parent, response: Response, q: Questionnaire, outcome: engine.Outcome,
                        analysed: FreeText | None = None) -> str | None:
    """Store what a step changed, in the caller's transaction, before anything is sent.

    Returns a new withdrawal code when this step first submitted the response (shown once, stored hashed).
    """
    answers = dict(response.answers)
    submitted = False
    for change in outcome.changes:
        if isinstance(change, engine.SetAnswer):
            language = analysed.language if isinstance(analysed, FreeText) else None
            # The version vouches for the stored text, so it goes only with the text the scrubber returned
            # (the engine stores it stripped); any other value would be stored as unknown and re-scrubbed.
            scrubbed_by = (analysed.scrubber_version if isinstance(analysed, FreeText)
                           and change.value == analysed.text.strip() else None)
            await repo.set_answer(deps.db, response.id, change.question, change.value, q.version, language,
                                  scrubbed_by)
            answers[change.question] = change.value
            if isinstance(analysed, FreeText):
                await repo.set_themes(deps.db, response.id, change.question, analysed.themes, "classifier")
                await repo.set_themes(deps.db, response.id, change.question, (), "parent")
                await repo.set_flags(deps.db, response.id, change.question, analysed.flags)
        elif isinstance(change, engine.ClearAnswer):
            await repo.clear_answer(deps.db, response.id, change.question)
            answers.pop(change.question, None)
        elif isinstance(change, engine.SetThemes):
            # Only what the parent ticked is theirs. The classifier's themes stay stored as "classifier";
            # a report counts them only for answers the parent did not code (bot.records).
            themes = (PARENT_SAID_NONE,) if change.said_none else change.themes
            await repo.set_themes(deps.db, response.id, change.question, themes, "parent")
        elif isinstance(change, engine.MarkSubmitted):
            submitted = True
    if outcome.changes:
        await repo.set_rule_themes(deps.db, response.id, themes_from_answers(answers))
    await repo.save_state(deps.db, response.id, outcome.state, language=parent.language or response.language,
                          submitted=submitted)
    log.info("survey step: %s", ",".join(f"{type(c).__name__}:{getattr(c, 'question', '')}" for c in outcome.changes)
             or "no change")
    if submitted and response.status != "submitted":
        log.info("response submitted")
        code = withdrawal.new_code()
        await repo.set_withdraw_hash(deps.db, response.id, withdrawal.code_hash(deps.secret, code))
        return code
    return None
