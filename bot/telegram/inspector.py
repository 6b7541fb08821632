"""Inspectors in Telegram: /summary and /report for their own inspection, and the final report at close.

An inspector's role is tied to one inspection. Admins may name any inspection (`/summary ID`).
"""

from __future__ import annotations

import logging
from datetime import date
from types import ModuleType

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.i18n.catalog import Translator, translator, translator_for
from bot.inspection import SurveyStatus
from bot.replies import Reply
from bot.storage import final_reports, roles
from bot.storage import inspections as inspections_repo
from bot.storage.db import Database
from bot.telegram.sending import send
from bot.telegram.staff import require
from bot.telegram.state import language_of, state_of

log = logging.getLogger(__name__)


def _reports() -> ModuleType:
    """The report service, imported when an inspector first asks: it brings matplotlib (about a third of the
    bot's import time), which no parent's first answer needs."""
    from bot.services import report

    return report


async def _inspection_for(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The inspection named (admins) or the one the inspector holds; None after a polite reply."""
    deps = state_of(context)
    user = update.effective_user
    assert user is not None
    named = (context.args or [None])[0]
    if named is None:
        grants = [g for g in await roles.grants_of(deps.db, user.id) if g.role == "inspector"]
        named = grants[-1].inspection_id if grants else None
    if named is None:
        if await roles.has_role(deps.db, user.id, "admin", admin_ids=context.application.config.admin_ids):
            await send(update, context, [Reply(_t(update).gettext("Please name the inspection, for example "
                                                                  "/summary ID."))])
        else:
            await require(update, context, "inspector", "-")
        return None
    if not await require(update, context, "inspector", named):
        return None
    if await inspections_repo.get(deps.db, named) is None:
        await send(update, context, [Reply(_t(update).gettext("There is no inspection with that id."))])
        return None
    return named


def _t(update: Update) -> Translator:
    return translator_for(None, language_of(update))


async def on_summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    inspection_id = await _inspection_for(update, context)
    if inspection_id is None:
        return
    deps = state_of(context)
    text, chart = await _reports().summary_and_chart(deps.db, inspection_id, _t(update))
    await roles.audit(deps.db, f"staff:{update.effective_user.id}", "report.viewed",  # type: ignore[union-attr]
                      f"inspection={inspection_id} format=summary")
    replies = [Reply(text)]
    if chart:
        replies.append(Reply("", photo=chart))
    await send(update, context, replies)


async def on_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    inspection_id = await _inspection_for(update, context)
    if inspection_id is None:
        return
    deps = state_of(context)
    t = _t(update)
    data = await _reports().report_bytes(deps.db, inspection_id, "html", t)
    await roles.audit(deps.db, f"staff:{update.effective_user.id}", "report.viewed",  # type: ignore[union-attr]
                      f"inspection={inspection_id} format=html")
    caption = t.gettext("The report for inspection %(id)s. Open it in a web browser; it prints well.",
                        id=inspection_id)
    await send(update, context, [Reply(caption, document=data, filename=f"parentvoice-{inspection_id}.html")])


async def send_final_reports(app: Application, db: Database, today: date) -> int:  # type: ignore[type-arg]
    """When a survey has closed: the HTML report to each of its inspectors, once each. Never raises.

    Each recipient is handled on their own: one who blocked the bot is given up on (and recorded), the
    others still get the report, and nobody gets it twice. A failure of one inspection (say, its report
    cannot be built) is logged and leaves the others, and the retention purge after this, untouched.
    """
    sent = 0
    for inspection_id in await final_reports.awaiting(db):
        try:
            sent += await _send_final_report(app, db, today, inspection_id)
        except Exception:
            log.exception("final report of one inspection failed; it is tried again at the next run")
    return sent


async def _send_final_report(app: Application, db: Database, today: date,  # type: ignore[type-arg]
                             inspection_id: str) -> int:
    inspection = await inspections_repo.get(db, inspection_id)
    if inspection is None or inspection.status(today) is not SurveyStatus.CLOSED:
        return 0
    holders = await final_reports.recipients_left(db, inspection_id)
    sent = 0
    if holders:
        t = translator("en")
        data = await _reports().report_bytes(db, inspection_id, "html", t)
        caption = t.gettext("The survey has closed. Here is the final report for inspection %(id)s.",
                            id=inspection_id)
        for user_id in holders:
            try:
                await app.bot.send_document(user_id, data, filename=f"parentvoice-{inspection_id}.html",
                                            parse_mode=ParseMode.HTML, caption=caption)
            except TelegramError as exc:
                # Blocked, deactivated, unknown chat: permanent. Floods, timeouts, 5xx: try again next run.
                permanent = isinstance(exc, Forbidden | BadRequest)
                state = await final_reports.mark_failed(db, inspection_id, user_id, type(exc).__name__,
                                                        permanent=permanent)
                log.info("final report to one inspector not delivered (%s): %s", type(exc).__name__, state)
                continue
            await final_reports.mark_sent(db, inspection_id, user_id)
            await roles.audit(db, f"staff:{user_id}", "report.sent", f"inspection={inspection_id} format=html")
            sent += 1
    if not await final_reports.recipients_left(db, inspection_id):
        await final_reports.mark_done(db, inspection_id)
    log.info("final report sent to %d inspectors", sent)
    return sent
