"""Before the survey: language, consent and area, and finding the parent's inspection and response.

``next_screen`` derives what comes next from what is filled in, so a parent can leave at any step and
come back to the right one.
"""

from __future__ import annotations

import logging

from bot import areas
from bot.callbacks import Press
from bot.i18n.catalog import Translator, translator, translator_for
from bot.i18n.languages import LANGUAGES, by_code
from bot.inspection import Inspection, SurveyStatus
from bot.replies import Reply
from bot.storage import inspections as inspections_repo
from bot.storage import parents as repo
from bot.storage.db import now_iso
from bot.storage.parents import Parent, Response
from bot.survey import engine
from bot.telegram import consent, links, render, screens
from bot.telegram.deps import Deps

log = logging.getLogger(__name__)

Replies = list[Reply]

#: Presses handled here, before the survey.
KINDS = ("lang", "consent", "area", "retype")


async def press(deps: Deps, parent: Parent, t: Translator, p: Press) -> Replies:
    """A press of the language, consent or area steps (``KINDS``)."""
    if p.kind == "lang":
        return await choose_language(deps, parent, p.arg(0))
    if p.kind == "consent":
        if parent.consent_at is not None or parent.language is None:
            return screens.stale(t) + await next_screen(deps, parent, t)
        if p.arg(0) == "more":
            return consent.more_about_data(t, deps.notice)
        if p.arg(0) != "yes":
            return [render.no_consent(t)]
        parent = parent.with_(consent_at=now_iso())
        await repo.save_parent(deps.db, parent)
        return await next_screen(deps, parent, t)
    if p.kind in ("area", "retype"):
        if parent.consent_at is None or parent.area_code is not None:
            return screens.stale(t) + await next_screen(deps, parent, t)
        if p.kind == "retype":
            return [render.ask_area(t)]
        area = areas.by_code(p.arg(0))
        if area is None:
            return [*screens.stale(t), render.ask_area(t)]
        return await set_area(deps, parent, t, area.code, area.name)
    raise ValueError(f"not a press before the survey: {p.kind}")


async def next_screen(deps: Deps, parent: Parent, t: Translator) -> Replies:
    """Whatever comes next for this parent, derived from what is filled in."""
    if parent.language is None:
        return [render.language_menu(t, None)]
    if parent.consent_at is None:
        return [consent.consent(t, deps.notice)]
    if parent.area_code is None:
        return [render.ask_area(t)]
    inspection = await inspection_of(deps, parent)
    if inspection is None:
        return [render.no_inspection(t, screens.area_name(parent.area_code))]
    status = inspection.status(deps.today())
    if status is SurveyStatus.NOT_OPEN:
        return [render.not_open_yet(t, screens.area_name(inspection.area_code), inspection)]
    if status is SurveyStatus.CLOSED:
        return [render.survey_closed(t, screens.area_name(inspection.area_code), inspection)]
    response = await response_of(deps, parent, inspection)
    return screens.first_or_current(t, deps.questionnaire(response.questionnaire_id), response, inspection)


async def inspection_of(deps: Deps, parent: Parent) -> Inspection | None:
    """The parent's inspection, with any link Telegram would refuse left out (links.for_parents)."""
    found = await inspections_repo.get(deps.db, parent.inspection_id) if parent.inspection_id else None
    if found is None and parent.area_code is not None:
        found = await inspections_repo.current_for_area(deps.db, parent.area_code, deps.today())
    return links.for_parents(found) if found is not None else None


async def response_of(deps: Deps, parent: Parent, inspection: Inspection) -> Response:
    """The response being answered: the remembered one, else the latest for this inspection, else a new one."""
    if parent.response_id is not None:
        found = await repo.get_response(deps.db, parent.response_id, parent.respondent)
        if found is not None and found.inspection_id == inspection.id:
            return found
    existing = await repo.responses_of(deps.db, parent.respondent, inspection.id)
    if existing:
        response = existing[-1]
    else:
        response = await new_response(deps, parent, inspection)
    await repo.save_parent(deps.db, parent.with_(inspection_id=inspection.id, response_id=response.id))
    return response


async def new_response(deps: Deps, parent: Parent, inspection: Inspection) -> Response:
    q = deps.questionnaire(inspection.questionnaire_id)
    state = engine.start(q, {})
    response_id = await repo.create_response(deps.db, parent.respondent, inspection.id, q.id, q.version,
                                             parent.language or "en", state, parent.source)
    found = await repo.get_response(deps.db, response_id, parent.respondent)
    assert found is not None
    await repo.save_parent(deps.db, parent.with_(inspection_id=inspection.id, response_id=response_id))
    return found


async def choose_language(deps: Deps, parent: Parent, code: str) -> Replies:
    language = by_code(code)
    if language is None or language not in LANGUAGES:
        t = translator_for(parent.language)
        return screens.stale(t) + await next_screen(deps, parent, t)
    parent = parent.with_(language=language.code)
    await repo.save_parent(deps.db, parent)
    if parent.response_id is not None:
        await repo.set_response_language(deps.db, parent.response_id, language.code)
    t = translator(language.code)
    return await next_screen(deps, parent, t)


async def typed_area(deps: Deps, parent: Parent, t: Translator, message: str) -> Replies:
    area = areas.resolve(message)
    if area is not None:
        return await set_area(deps, parent, t, area.code, area.name)
    candidates = areas.match(message, limit=3)
    if candidates:
        return [render.area_suggestions(t, [(a.code, a.name) for a, _score in candidates])]
    return [render.area_unknown(t)]


async def set_area(deps: Deps, parent: Parent, t: Translator, code: str, name: str) -> Replies:
    parent = parent.with_(area_code=code, inspection_id=None, response_id=None)
    await repo.save_parent(deps.db, parent)
    return [render.area_chosen(t, name), *await next_screen(deps, parent, t)]
