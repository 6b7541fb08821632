"""The first screen for a parent whose Telegram app is English or says nothing about its language.

Telegram has no app language for Urdu, Somali, Pashto, Bengali and others, so those parents often run it
in English: an English-only first screen would greet them in a language they may not read. The prompt is
one short line per language, each from that language's own catalog (never typed in here).
"""

from __future__ import annotations

from html import escape

from bot.i18n.catalog import translator
from bot.i18n.languages import LANGUAGES

#: The two largest communities that do have a Telegram app language (Polish, Arabic) and every shipped
#: language that Telegram's apps do not offer, so nobody needs English to find their own. English follows
#: as the full sentence the menu always has.
PROMPT_LANGUAGES: tuple[str, ...] = ("pl", "ro", "pa", "ur", "ar", "bn", "gu", "so", "ps", "lt", "zh_Hans")


def multilingual_prompt() -> str:
    """"Choose your language" in each prompt language, one line each, in the shipped languages' order."""
    lines = []
    for language in LANGUAGES:
        if language.code in PROMPT_LANGUAGES:
            t = translator(language.code)
            lines.append(escape(t.isolate(t.gettext("Choose your language"))))
    return "\n".join(lines)
