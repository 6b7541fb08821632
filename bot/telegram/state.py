"""The application's shared state, typed, and what every handler reads from an update with it.

One ``AppState`` is made when the application initialises and kept in ``bot_data[STATE_KEY]``; handlers
reach it through ``state_of``, never through loose ``bot_data`` keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.i18n.catalog import Translator, translator_for
from bot.privacy.pseudonym import pseudonym
from bot.storage import parents as parents_repo
from bot.storage.db import Database
from bot.telegram.deps import Deps
from bot.telegram.flood import AttemptLimiter, FloodGate

#: The one ``bot_data`` key of the state (tests and benchmarks read ``bot_data["deps"].db``).
STATE_KEY = "deps"


@dataclass
class AppState:
    """Everything the handlers share for the application's lifetime."""

    deps: Deps                 # what the conversation needs: database, secret, bot username, clock
    flood: FloodGate           # per-parent flood control
    attempts: AttemptLimiter   # guessing limits for /withdraw and /redeem codes

    @property
    def db(self) -> Database:
        return self.deps.db

    @property
    def secret(self) -> str:
        return self.deps.secret


def state_of(context: ContextTypes.DEFAULT_TYPE) -> AppState:
    state = context.application.bot_data[STATE_KEY]
    assert isinstance(state, AppState)
    return state


def respondent_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The sender's pseudonym: the only way a parent is known past this point."""
    user = update.effective_user
    assert user is not None
    return pseudonym(state_of(context).secret, user.id)


def language_of(update: Update) -> str | None:
    """The language the sender's Telegram app reports (a hint only; a parent's choice wins)."""
    return update.effective_user.language_code if update.effective_user else None


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


async def translator_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Translator:
    """The sender's translator: their chosen language if they are a parent who chose one (``translator_for``)."""
    parent = await parents_repo.get_parent(state_of(context).db, respondent_of(update, context))
    return translator_for(parent.language if parent else None, language_of(update))
