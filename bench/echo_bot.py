"""A trivial echo bot on the same stack (python-telegram-bot polling over HTTP): the floor for start-up and memory.

    TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot python -m bench.echo_bot

Used by ``bench.startup_bench`` as a subprocess, beside a real ``python -m bot run``; answers every message
with its text and nothing else.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_chat and update.effective_message:
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "?")


def main() -> None:
    app = (ApplicationBuilder().token(os.environ.get("TELEGRAM_BOT_TOKEN", "1:ECHO"))
           .base_url(os.environ["TELEGRAM_API_BASE_URL"]).build())
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.run_polling(allowed_updates=["message"])


if __name__ == "__main__":
    main()
