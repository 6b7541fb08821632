"""What the parent is told when they type at a question that wants a button press: never "use the buttons"
and nothing kept. Either the words clearly named a choice, or they are kept as a note on the question."""

from __future__ import annotations

from html import escape

from bot.callbacks import encode
from bot.i18n.catalog import Translator
from bot.privacy.placeholders import localise_placeholders
from bot.replies import Button, Reply


def typed_choice_taken(t: Translator, label: str) -> Reply:
    _ = t.gettext
    return Reply(escape(_("We chose this answer from what you typed: %(answer)s", answer=label)))


def note_kept(t: Translator, question_id: str, note: str) -> Reply:
    """The note as kept (scrubbed, placeholders in the parent's language), with a way to delete it."""
    _ = t.gettext
    text = "\n\n".join((
        escape(_("This question is answered with the buttons, so we kept what you typed as a note on it. "
                 "We removed names and contact details:")),
        "<blockquote>" + escape(localise_placeholders(note, t)) + "</blockquote>",
        escape(_("Please also choose an answer with the buttons below.")),
    ))
    return Reply(text, ((Button(_("Delete my note"), encode("nodel", question_id)),),))


def note_deleted(t: Translator) -> Reply:
    return Reply(escape(t.gettext("Your note has been deleted.")), replace_pressed=True)


def note_line(t: Translator, note: str) -> str:
    """A note as /mydata lists it under its question."""
    return t.gettext("Your note: %(note)s", note=localise_placeholders(note, t))
