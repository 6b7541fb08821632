"""The parent's conversation: one input in, replies out, every step one transaction.

This is the imperative shell around the pure core (engine, areas, scrubbing, themes). It knows the
database but not Telegram: the handlers turn updates into these calls and replies into API calls, so a
second channel can reuse it unchanged. Parents are only ever known by their pseudonym here.

These are the entry points and the parent's commands; the steps before the survey are in ``onboarding``,
the survey step in ``survey_step``, storing its outcome in ``saving``, and shaping replies in ``screens``.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.callbacks import Press, decode
from bot.i18n.catalog import Translator, translator_for
from bot.i18n.languages import by_code, from_telegram
from bot.inspection import parse_payload
from bot.privacy import withdrawal
from bot.replies import Reply
from bot.storage import comments, roles
from bot.storage import inspections as inspections_repo
from bot.storage import parents as repo
from bot.storage.parents import Parent
from bot.survey import engine
from bot.telegram import consent, onboarding, render, render_notes, screens, survey_step
from bot.telegram.deps import Deps

log = logging.getLogger(__name__)

Replies = list[Reply]


def _t(parent: Parent | None, telegram_language: str | None = None) -> Translator:
    """The parent's translator, by the one rule (``translator_for``)."""
    return translator_for(parent.language if parent else None, telegram_language)


# ---------------------------------------------------------------- entry points


async def start(deps: Deps, respondent: str, payload: str | None, telegram_language: str | None) -> Replies:
    """/start, with or without a deep-link payload naming the inspection and the sharing forum."""
    parent = await repo.get_parent(deps.db, respondent)
    sp = parse_payload(payload)
    inspection = await inspections_repo.get(deps.db, sp.inspection_id) if sp else None
    # The forum part is stored only when it names a known forum: anything else typed there is ignored.
    forum = sp.forum if sp and sp.forum and await roles.is_forum_code(deps.db, sp.forum) else None
    async with deps.db.transaction():
        if parent is None:
            parent = Parent(respondent)
        elif parent.stopped:
            parent = parent.with_(stopped=False)
        if inspection is not None and inspection.id != parent.inspection_id:
            parent = parent.with_(inspection_id=inspection.id, area_code=inspection.area_code, response_id=None,
                                  source=forum)
        if parent.language is None:
            await repo.save_parent(deps.db, parent)
            return [render.language_menu(translator_for(None, telegram_language), from_telegram(telegram_language))]
        await repo.save_parent(deps.db, parent)
        t = _t(parent)
        replies = [render.welcome_back(t)] if parent.consent_at else []
        return replies + await onboarding.next_screen(deps, parent, t)


async def text(deps: Deps, respondent: str, message: str, telegram_language: str | None) -> Replies:
    parent = await repo.get_parent(deps.db, respondent)
    if parent is None or parent.language is None:
        return await start(deps, respondent, None, telegram_language)
    t = _t(parent)
    async with deps.db.transaction():
        if parent.consent_at is None:
            return [consent.consent(t, deps.notice)]
        if parent.area_code is None:
            return await onboarding.typed_area(deps, parent, t, message)
        return await survey_step.survey_text(deps, parent, t, message)


async def press(deps: Deps, respondent: str, data: str | None, telegram_language: str | None) -> Replies:
    p = decode(data)
    parent = await repo.get_parent(deps.db, respondent)
    if p is not None and p.kind == "sgh":
        # "Get help now" is never stale: whatever happened since (answers deleted, survey closed), help is shown.
        return [render.safeguarding(_t(parent, telegram_language))]
    if parent is None:
        return await start(deps, respondent, None, telegram_language)
    t = _t(parent, telegram_language)
    async with deps.db.transaction():
        if p is None:
            return [Reply(render.notice(t, engine.Notice.STALE), toast=render.notice(t, engine.Notice.STALE)),
                    *await onboarding.next_screen(deps, parent, t)]
        return await _press(deps, parent, t, p)


async def command(deps: Deps, respondent: str, name: str, telegram_language: str | None) -> Replies:
    """Commands that win over the current step. Unknown commands get help, never an error."""
    parent = await repo.get_parent(deps.db, respondent)
    t = _t(parent, telegram_language)
    if name == "help":
        return [render.help_text(t)]
    if name == "language":
        current = parent.language if parent else None
        return [render.language_menu(t, from_telegram(telegram_language) if current is None else None, current)]
    if name == "pause":
        return [render.paused(t)]
    if name == "mydata":
        return [await _mydata(deps, parent, t)]
    if name == "delete":
        return [render.delete_confirm(t)]
    if name == "stop":
        if parent is not None:
            async with deps.db.transaction():
                await repo.save_parent(deps.db, parent.with_(stopped=True))
        return [render.stopped(t)]
    return [Reply(render.unknown_command(t))]


async def withdraw(deps: Deps, respondent: str, code: str, telegram_language: str | None) -> Replies:
    """/withdraw CODE: delete one submitted response, whoever sends the code."""
    parent = await repo.get_parent(deps.db, respondent)
    t = _t(parent, telegram_language)
    if not code.strip():
        return [render.withdraw_usage(t)]
    async with deps.db.transaction():
        deleted = await repo.withdraw(deps.db, withdrawal.code_hash(deps.secret, code))
    if deleted:
        log.info("response withdrawn with a code")
        return [render.withdrawn(t)]
    return [render.withdraw_unknown(t)]


async def resume(deps: Deps, respondent: str, telegram_language: str | None) -> Replies:
    """Show where the parent is, without changing anything (after a notice)."""
    parent = await repo.get_parent(deps.db, respondent)
    if parent is None:
        return await start(deps, respondent, None, telegram_language)
    t = _t(parent)
    async with deps.db.transaction():
        return await onboarding.next_screen(deps, parent, t)


# ---------------------------------------------------------------- presses


async def _press(deps: Deps, parent: Parent, t: Translator, p: Press) -> Replies:
    if p.kind in onboarding.KINDS:
        return await onboarding.press(deps, parent, t, p)
    if p.kind == "del":
        if p.arg(0) == "yes":
            await repo.delete_parent(deps.db, parent.respondent)
            log.info("parent deleted their data")
            return [render.deleted(t)]
        return [render.delete_cancelled(t)]
    if p.kind == "resume":
        return await onboarding.next_screen(deps, parent, t)
    return await survey_step.survey_press(deps, parent, t, p)


# ---------------------------------------------------------------- /mydata


async def _mydata(deps: Deps, parent: Parent | None, t: Translator) -> Reply:
    if parent is None:
        return render.mydata(t, {}, [])
    language = by_code(parent.language or "")
    summary: dict[str, object] = {
        "language": language.native_name if language else None,
        "area": screens.area_name(parent.area_code) if parent.area_code else None,
        "consent_at": t.date(datetime.fromisoformat(parent.consent_at).date()) if parent.consent_at else None,
    }
    rows: list[tuple[str, str, str]] = []
    for response in await repo.responses_of(deps.db, parent.respondent):
        q = deps.questionnaire(response.questionnaire_id)
        inspection = await inspections_repo.get(deps.db, response.inspection_id)
        area = screens.area_name(inspection.area_code if inspection else None)
        heading = t.gettext("Child %(number)s, survey for %(area)s", number=t.number(response.child),
                            area=t.isolate(area))
        notes = await comments.notes_of(deps.db, response.id)
        for question in q.questions:
            if question.id in response.answers:
                rows.append((heading, t.gettext(question.text),
                             render.answer_label(t, question, response.answers[question.id])))
            if question.id in notes:
                rows.append((heading, t.gettext(question.text), render_notes.note_line(t, notes[question.id])))
    return render.mydata(t, summary, rows)
