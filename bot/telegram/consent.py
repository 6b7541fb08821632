"""Asking for consent in words a parent reads on a phone, with the legal detail one tap away.

The question itself is short (425 characters in English, Flesch-Kincaid grade 4.7, measured in
tests/test_consent.py): who runs the survey, that it asks about health and disability, how long answers are
kept, and the question. "More about your data" shows the rest of the notice in the chat (special category
data, who sees what, rights, the reason we may keep answers), then asks the question again; a configured
privacy URL is a link button as well.
"""

from __future__ import annotations

from html import escape

from bot.callbacks import encode
from bot.i18n.catalog import Translator
from bot.privacy.notice import NoticeSettings
from bot.replies import Button, Reply


def _retention(t: Translator, s: NoticeSettings) -> str:
    return t.ngettext("We delete your answers %(count)s day after the survey ends.",
                      "We delete your answers %(count)s days after the survey ends.", s.retention_days)


def _question(t: Translator) -> str:
    return t.gettext("Do you agree that we keep your answers? This includes what you tell us about health and "
                     "disability.")


def _answer_buttons(t: Translator) -> tuple[Button, ...]:
    return (Button(t.gettext("Yes, I agree"), encode("consent", "yes")),
            Button(t.gettext("No, I do not agree"), encode("consent", "no")))


def _link(t: Translator, s: NoticeSettings) -> tuple[tuple[Button, ...], ...]:
    return ((Button(t.gettext("Read the privacy notice"), url=s.privacy_url),),) if s.privacy_url else ()


def consent(t: Translator, s: NoticeSettings) -> Reply:
    """The consent question: short, plain, and complete enough to say yes to."""
    _ = t.gettext
    text = "\n\n".join((
        "<b>" + escape(_("Before we start: your privacy")) + "</b>",
        escape(_("This survey is run by %(operator)s. Inspectors are checking the help for children with special "
                 "needs or a disability in your area. They want to hear from you.",
                 operator=t.isolate(s.operator_name))),
        escape(_("We will ask about your child's health and disability. We do not keep your name.")),
        escape(_retention(t, s)),
        escape(_question(t)),
    ))
    yes, no = _answer_buttons(t)
    return Reply(text, ((yes,), (no,), (Button(_("More about your data"), encode("consent", "more")),),
                        *_link(t, s)))


def more_about_data(t: Translator, s: NoticeSettings) -> list[Reply]:
    """The full notice in the chat, then the question again (the parent has not answered it yet)."""
    _ = t.gettext
    parts = [
        "<b>" + escape(_("More about your data")) + "</b>",
        escape(_("This is ParentVoice. Inspectors from Ofsted and the CQC are checking how well your local area "
                 "helps children and young people with special educational needs and disabilities (SEND). "
                 "They want to hear from families like yours.")),
        escape(_("We will ask about your child's needs, health, disability and support. The law calls this "
                 "special category data, so we need your clear permission to keep your answers.")),
        escape(_("%(operator)s runs this survey and looks after your answers. We use them only for this "
                 "inspection, and only because you said yes.", operator=t.isolate(s.operator_name))),
        escape(_("Your answers are anonymous. We do not keep your name, your phone number or your Telegram "
                 "account with your answers. We remove names and contact details from anything you type.")),
        escape(_("Inspectors only see totals and, if you agree, short quotes with no names. Groups that share "
                 "this survey never see your answers.")),
        escape(_retention(t, s)),
        escape(_("You can stop at any time, see what we keep with /mydata, and delete everything with /delete.")),
    ]
    if s.privacy_url:
        parts.append(escape(_("The full privacy notice: %(url)s", url=t.isolate(s.privacy_url))))
    yes, no = _answer_buttons(t)
    return [Reply("\n\n".join(parts)), Reply(escape(_question(t)), ((yes,), (no,), *_link(t, s)))]
