"""Inspectors in Telegram: /summary and /report for their own inspection, and the final report at close.

An inspector's role is tied to one inspection. Admins may name any inspection (`/summary ID`).
"""

from __future__ import annotations

import logging
from datetime import date

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.i18n.catalog import translator
from bot.i18n.languages import from_telegram
from bot.inspection import SurveyStatus
from bot.reports import service
from bot.storage import inspections as inspections_repo
from bot.storage import roles
from bot.storage.db import Database, now_iso
from bot.telegram.handlers import deps_of, send
from bot.telegram.replies import Reply
from bot.telegram.staff import require

log = logging.getLogger(__name__)


async def _inspection_for(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The inspection named (admins) or the one the inspector holds; None after a polite reply."""
    deps = deps_of(context)
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


def _t(update: Update):  # type: ignore[no-untyped-def]
    language = from_telegram(update.effective_user.language_code if update.effective_user else None)
    return translator(language.code if language else "en")


async def on_summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    inspection_id = await _inspection_for(update, context)
    if inspection_id is None:
        return
    deps = deps_of(context)
    text, chart = await service.summary_and_chart(deps.db, inspection_id, _t(update))
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
    deps = deps_of(context)
    t = _t(update)
    data = await service.report_bytes(deps.db, inspection_id, "html", t)
    await roles.audit(deps.db, f"staff:{update.effective_user.id}", "report.viewed",  # type: ignore[union-attr]
                      f"inspection={inspection_id} format=html")
    caption = t.gettext("The report for inspection %(id)s. Open it in a web browser; it prints well.",
                        id=inspection_id)
    await send(update, context, [Reply(caption, document=data, filename=f"parentvoice-{inspection_id}.html")])


async def send_final_reports(app: Application, db: Database, today: date) -> int:  # type: ignore[type-arg]
    """Once per inspection, when its survey has closed: the HTML report to every inspector of it."""
    sent = 0
    for inspection in await inspections_repo.all_inspections(db):
        if inspection.status(today) is not SurveyStatus.CLOSED:
            continue
        row = await db.fetchone("SELECT final_report_sent_at, purged_at FROM inspections WHERE id = ?",
                                (inspection.id,))
        if row is None or row[0] is not None or row[1] is not None:
            continue
        holders = await db.fetchall("SELECT user_id FROM roles WHERE role = 'inspector' AND inspection_id = ?",
                                    (inspection.id,))
        t = translator("en")
        data = await service.report_bytes(db, inspection.id, "html", t)
        for (user_id,) in holders:
            await app.bot.send_document(
                user_id, data, filename=f"parentvoice-{inspection.id}.html", parse_mode=ParseMode.HTML,
                caption=t.gettext("The survey has closed. Here is the final report for inspection %(id)s.",
                                  id=inspection.id))
            await roles.audit(db, f"staff:{user_id}", "report.sent", f"inspection={inspection.id} format=html")
            sent += 1
        await db.execute("UPDATE inspections SET final_report_sent_at = ? WHERE id = ?", (now_iso(), inspection.id))
        log.info("final report sent to %d inspectors", len(holders))
    return sent


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("summary", on_summary, filters=private))
    app.add_handler(CommandHandler("report", on_report, filters=private))
