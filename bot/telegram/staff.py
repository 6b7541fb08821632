"""Staff in a private chat: redeeming invite codes. Role checks for staff commands live here too.

Refusals are polite and identical whether the command exists for someone else or not, so a parent
learns nothing about roles by trying.
"""

from __future__ import annotations

import logging
import time
from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot.i18n.catalog import Translator
from bot.replies import Reply
from bot.storage import roles
from bot.telegram import render
from bot.telegram.sending import send
from bot.telegram.state import respondent_of, state_of, translator_of

log = logging.getLogger(__name__)


def not_allowed(t: Translator) -> Reply:
    """Word for word the unknown-command reply, so a refusal reveals nothing."""
    return Reply(escape(render.unknown_command(t)))


def _role_granted(t: Translator, grant: roles.Grant) -> Reply:
    _ = t.gettext
    texts = {
        "forum": _("Welcome. You can now share inspections with families: /announce posts an inspection to your "
                   "linked channels and groups, /sharekit gives you a link and QR code, and /reach shows how many "
                   "families took part (never their answers)."),
        "inspector": _("Welcome. You can now see what families said for your inspection: /summary for a short "
                       "summary with a chart, /report for the full report file."),
        "admin": _("Welcome. You now have the operator role for this bot."),
    }
    return Reply(escape(texts[grant.role]))


def role_help(t: Translator, held: set[str]) -> list[Reply]:
    """The /help lines for each staff role held (an admin may use both the inspector and the forum commands)."""
    _ = t.gettext
    if "admin" in held:
        held = held | {"inspector", "forum"}
    texts = []
    if "inspector" in held:
        texts.append(_("For inspectors: /summary gives a short summary with a chart, and /report gives the full "
                       "report file."))
    if "forum" in held:
        texts.append(_("For forums: /announce posts an inspection to your linked channels and groups, /sharekit "
                       "gives you a link, texts and a QR code, /reach shows how many families took part, /chats "
                       "lists your linked chats, and /unlink stops posting to one. In a group with topics, send "
                       "/topic in the topic where announcements should go."))
    return [Reply(escape(text)) for text in texts]


async def roles_held(update: Update, context: ContextTypes.DEFAULT_TYPE) -> set[str]:
    """The staff roles of the sender (configured admins included); empty for a parent."""
    user = update.effective_user
    if user is None:
        return set()
    held = {g.role for g in await roles.grants_of(state_of(context).db, user.id)}
    if user.id in context.application.config.admin_ids:
        held.add("admin")
    return held


async def require(update: Update, context: ContextTypes.DEFAULT_TYPE, role: str,
                  inspection_id: str | None = None) -> bool:
    """True when the sender holds the role; otherwise a polite refusal is sent and the refusal audited."""
    db = state_of(context).db
    user = update.effective_user
    assert user is not None
    if await roles.has_role(db, user.id, role, inspection_id, context.application.config.admin_ids):
        return True
    await roles.audit(db, "unknown", "role.refused", f"needed={role}")
    t = await translator_of(update, context)
    await send(update, context, [not_allowed(t)])
    return False


async def on_redeem(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = state_of(context)
    user = update.effective_user
    assert user is not None
    t = await translator_of(update, context)
    if not state.attempts.allow(f"redeem:{respondent_of(update, context)}", time.monotonic()):
        await roles.audit(state.db, "unknown", "invite.rate_limited")
        await send(update, context, [render.too_many_attempts(t)])
        return
    code = (context.args or [""])[0]
    async with state.db.transaction():
        grant = await roles.redeem(state.db, state.secret, code, user.id) if code else None
    if grant is None:
        await send(update, context, [Reply(escape(t.gettext(
            "Sorry, that code does not work. It may be mistyped, already used, or out of date.")))])
        return
    log.info("role granted: %s", grant.role)
    await send(update, context, [_role_granted(t, grant)])
