"""The theme step after a free-text answer: the parent codes their own answer, or leaves it to the bot.

Up to three suggestions, best first, all unticked; "Something else" shows every theme; "None of these"
records that the parent said none; Done with nothing ticked leaves the answer uncoded (the classifier's
themes stay, with source "classifier"). Labels are the short plain ones of ``bot.themes.parent_choice``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.callbacks import encode
from bot.i18n.catalog import Translator
from bot.privacy.placeholders import localise_placeholders
from bot.replies import Button, Reply, rows
from bot.survey import engine
from bot.themes.parent_choice import PARENT_LABELS

CHECK = "✅"
BOX = "⬜"


def shown_themes(v: engine.ConfirmThemes, all_themes: Sequence[str]) -> list[str]:
    """The suggestions first, best first; after "Something else", every other theme in taxonomy order."""
    first = [theme for theme in v.suggested if theme in PARENT_LABELS]
    if not v.expanded:
        return first
    return first + [theme for theme in all_themes if theme not in first and theme in PARENT_LABELS]


def theme_step(t: Translator, v: engine.ConfirmThemes, all_themes: Sequence[str]) -> Reply:
    _ = t.gettext
    parts: list[str] = []
    if v.removed:
        parts.append(escape(_("We removed names, phone numbers and other personal details to keep you "
                              "anonymous. This is what we kept:")))
        parts.append("<blockquote>" + escape(localise_placeholders(v.text, t)) + "</blockquote>")
    shown = shown_themes(v, all_themes)
    if shown:
        parts.append(escape(_("Is your answer about any of these? Tap to choose, then tap Done.")))
    else:
        parts.append(escape(_("Tap Done to keep your answer, or Write it again to change it.")))
    buttons = [Button(f"{CHECK if theme in v.selected else BOX} {_(PARENT_LABELS[theme])}",
                      encode("th", v.question.id, theme)) for theme in shown]
    controls: list[Button] = []
    if not v.expanded:
        controls.append(Button(_("Something else"), encode("thmore", v.question.id)))
    controls.append(Button(_("None of these"), encode("thno", v.question.id)))
    controls.append(Button(_("Done"), encode("thok", v.question.id)))
    controls.append(Button(_("Write it again"), encode("back")))
    return Reply("\n\n".join(parts), (*rows(buttons, 1), *rows(controls, 2)))
