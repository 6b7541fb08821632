"""Views and messages rendered as text and buttons in the parent's language.

Every sentence is a whole gettext message with named placeholders; nothing is assembled from fragments.
Text is Telegram HTML, so anything that came from a person is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.callbacks import encode
from bot.i18n.catalog import Translator
from bot.i18n.languages import LANGUAGES, Language
from bot.inspection import Inspection
from bot.privacy.placeholders import localise_placeholders
from bot.replies import Button, Reply, rows
from bot.survey import engine
from bot.survey.model import DONT_KNOW, Question, QuestionType, Value
from bot.telegram.render_language import multilingual_prompt

REVIEW_TEXT_PREVIEW = 160
CHECK = "✅"
BOX = "⬜"


# ---------------------------------------------------------------- start, language, consent, area


def language_menu(t: Translator, suggested: Language | None, current: str | None = None) -> Reply:
    _ = t.gettext
    first = [lang for lang in LANGUAGES if suggested and lang.code == suggested.code]
    others = [lang for lang in LANGUAGES if lang not in first]
    buttons = [
        Button(f"{CHECK} {lang.native_name}" if lang.code in (current, suggested and suggested.code) else lang.native_name,
               encode("lang", lang.code))
        for lang in (*first, *others)
    ]
    text = _("Choose your language. You can change it at any time with /language.")
    if suggested and suggested.code != "en":
        text = _("We think your language is %(language)s. Tap it to continue, or choose another language.",
                 language=suggested.native_name) + "\n\n" + text
    elif current is None:
        # Nothing tells us the parent reads English (see render_language): ask in many languages at once.
        text = multilingual_prompt() + "\n\n" + text
    return Reply(text, rows(buttons, 2))


def no_consent(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("That is fine. We have not kept any of your answers, only your language choice. "
                          "If you change your mind, send /start.")))


def ask_area(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Which local council area do you live in? Please type its name, for example "
                          "Leeds or East Sussex.")))


def area_suggestions(t: Translator, areas: Sequence[tuple[str, str]]) -> Reply:
    _ = t.gettext
    buttons = [Button(name, encode("area", code)) for code, name in areas]
    buttons.append(Button(_("None of these"), encode("retype")))
    return Reply(escape(_("Did you mean one of these?")), rows(buttons, 1))


def area_unknown(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Sorry, I could not find that council area. Please type the name of your council, "
                          "for example Birmingham or Kent.")))


def area_chosen(t: Translator, area_name: str) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Your local area: %(area)s", area=t.isolate(area_name))))


def no_inspection(t: Translator, area_name: str) -> Reply:
    _ = t.gettext
    return Reply(escape(_("There is no inspection survey for %(area)s at the moment. Thank you for your "
                          "interest. Please come back when your local area is inspected.",
                          area=t.isolate(area_name))),
                 ((Button(_("Tell me when my area is inspected"), encode("sub", "yes")),),))


def not_open_yet(t: Translator, area_name: str, inspection: Inspection) -> Reply:
    _ = t.gettext
    return Reply(escape(_("The survey for %(area)s opens on %(date)s. Please come back then: send /start.",
                          area=t.isolate(area_name), date=t.date(inspection.survey_opens))))


def survey_closed(t: Translator, area_name: str, inspection: Inspection) -> Reply:
    _ = t.gettext
    return Reply(escape(_("The survey for %(area)s closed on %(date)s. Thank you. You can still see what we "
                          "keep about you with /mydata, delete it with /delete, or stop messages with /stop.",
                          area=t.isolate(area_name), date=t.date(inspection.survey_closes))))


def welcome_back(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Welcome back. Here is where you stopped.")))


# ---------------------------------------------------------------- the survey


def answer_label(t: Translator, question: Question, value: Value | None) -> str:
    """An answer as words in the parent's language (text answers as they were stored)."""
    _ = t.gettext
    if value is None:
        return _("(no answer)")
    if question.type is QuestionType.TEXT:
        return localise_placeholders(str(value), t)
    if question.type is QuestionType.SCALE:
        choice = question.choice(DONT_KNOW if value == DONT_KNOW else str(value))
        return _(choice.text) if choice else str(value)
    values = value if isinstance(value, list) else [value]
    labels = []
    for v in values:
        choice = question.choice(str(v))
        labels.append(_(choice.text) if choice else str(v))
    return "; ".join(labels)


def _question_text(t: Translator, v: engine.Ask) -> str:
    _ = t.gettext
    parts = ["<b>" + escape(_("Question %(number)s of %(total)s", number=t.number(v.number),
                                 total=t.number(v.total))) + "</b>",
             escape(_(v.question.text))]
    if v.question.help:
        parts.append("<i>" + escape(_(v.question.help)) + "</i>")
    if v.question.type is QuestionType.MULTI:
        parts.append(escape(_("Tap all that apply, then tap Done.")))
    elif v.question.type is QuestionType.TEXT:
        parts.append(escape(_("Type your answer and send it. Please do not write any names.")))
        if v.answer is not None:
            parts.append(escape(_("Your answer now: %(answer)s",
                                  answer=_preview(localise_placeholders(str(v.answer), t)))))
    return "\n\n".join(parts)


def _preview(text: str, limit: int = REVIEW_TEXT_PREVIEW) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def ask(t: Translator, v: engine.Ask) -> Reply:
    _ = t.gettext
    q = v.question
    offered = v.choices or q.choices  # choice-level skip logic: only the buttons that apply now
    buttons: list[Button] = []
    per_row = 1
    if q.type in (QuestionType.CHOICE, QuestionType.YESNO):
        for c in offered:
            mark = f"{CHECK} " if v.answer == c.id else ""
            buttons.append(Button(mark + _(c.text), encode("pick", q.id, c.id)))
        per_row = 2 if q.type is QuestionType.YESNO else 1
    elif q.type is QuestionType.SCALE:
        for c in offered:
            current = DONT_KNOW if v.answer == DONT_KNOW else str(v.answer)
            mark = f"{CHECK} " if current == c.id else ""
            buttons.append(Button(mark + _(c.text), encode("pick", q.id, c.id)))
    elif q.type is QuestionType.MULTI:
        for c in offered:
            mark = CHECK if c.id in v.draft else BOX
            buttons.append(Button(f"{mark} {_(c.text)}", encode("tog", q.id, c.id)))
        buttons.append(Button(_("Done"), encode("done", q.id)))
    nav: list[Button] = []
    if v.can_back:
        nav.append(Button(_("Back"), encode("back")))
    if v.can_skip:
        nav.append(Button(_("Skip"), encode("skip", q.id)))
    return Reply(_question_text(t, v), (*rows(buttons, per_row), tuple(nav)) if nav else rows(buttons, per_row))


def submitted(t: Translator, inspection: Inspection, area_name: str, withdraw_code: str | None = None) -> Reply:
    _ = t.gettext
    parts = ["<b>" + escape(_("Thank you. Your answers have been sent.")) + "</b>",
             escape(_("Inspectors will read what families say, together with other evidence, and publish a report "
                      "about %(area)s.", area=t.isolate(area_name)))]
    if inspection.visit_starts and inspection.visit_ends:
        parts.append(escape(_("The inspectors visit from %(start)s to %(end)s.",
                              start=t.date(inspection.visit_starts), end=t.date(inspection.visit_ends))))
    parts.append(escape(_("You can change your answers until %(date)s.", date=t.date(inspection.survey_closes))))
    if inspection.official_survey_url:
        parts.append(escape(_("You can also fill in the inspectors' own survey:")) + " "
                     + escape(inspection.official_survey_url))
    if withdraw_code:
        parts.append(escape(_("Your withdrawal code is %(code)s. Keep it safe: with it you can delete your answers "
                              "later, even from another phone, by sending /withdraw and the code.",
                              code=t.isolate(withdraw_code))))
    parts.append(escape(_("To delete everything we keep about you, send /delete.")))
    buttons = [Button(_("Check or change my answers"), encode("review")),
               Button(_("Answer for another child"), encode("child")),
               Button(_("Tell me when the report is published"), encode("sub", "yes"))]
    if inspection.official_survey_url:
        buttons.append(Button(_("Open the inspectors' survey"), url=inspection.official_survey_url))
    return Reply("\n\n".join(parts), rows(buttons, 1))


def answered(t: Translator, question: Question, value: Value | None) -> Reply:
    """The pressed question, rewritten to show the answer and lose its buttons."""
    _ = t.gettext
    return Reply(escape(_(question.text)) + "\n\n→ " + escape(answer_label(t, question, value)),
                 replace_pressed=True)


# ---------------------------------------------------------------- notices and commands


def notice(t: Translator, n: engine.Notice) -> str:
    _ = t.gettext
    texts = {
        engine.Notice.STALE: _("That button is from an earlier message. Here is where you are now."),
        engine.Notice.USE_BUTTONS: _("Please use the buttons under the question to answer."),
        engine.Notice.REQUIRED: _("This question needs an answer before you can go on."),
        engine.Notice.EMPTY: _("Please choose at least one answer, or tap Skip."),
        engine.Notice.TOO_LONG: _("That answer is too long. Please make it shorter and send it again."),
        engine.Notice.FIRST: _("This is the first question."),
        engine.Notice.REWRITE: _("Please type your answer again."),
    }
    return texts[n]


def command_menu(t: Translator) -> list[tuple[str, str]]:
    """Commands with a short description each, for /help and Telegram's command menu."""
    _ = t.gettext
    return [
        ("start", _("start or carry on")),
        ("language", _("change the language")),
        ("pause", _("stop for now and come back later")),
        ("mydata", _("see what we keep about you")),
        ("delete", _("delete everything we keep about you")),
        ("withdraw", _("delete answers with your withdrawal code")),
        ("subscribe", _("get news when your area is inspected")),
        ("unsubscribe", _("stop news about inspections")),
        ("stop", _("get no more messages from us")),
        ("help", _("show this help")),
    ]


def help_text(t: Translator) -> Reply:
    _ = t.gettext
    lines = [
        escape(_("ParentVoice collects families' experiences for the inspection of SEND services in your area. "
                 "Answer one question at a time. You can stop and come back later: nothing is lost.")),
        escape(_("Commands you can use at any time:")),
        *(t.isolate(f"/{command}") + " - " + escape(description) for command, description in command_menu(t)),
    ]
    return Reply("\n".join(lines))


def paused(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Your answers are saved. Come back any time: send /start and you will carry on "
                          "from the same question.")))


def stopped(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("We will not send you any more messages. Your answers are still saved. If you write "
                          "to us again, we will reply. To delete your answers, send /delete.")))


def delete_confirm(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Do you want to delete everything we keep about you, including all your answers? "
                          "This cannot be undone.")),
                 rows([Button(_("Yes, delete everything"), encode("del", "yes")),
                       Button(_("No, keep my answers"), encode("del", "no"))], 1))


def deleted(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Everything we kept about you has been deleted. Thank you for your time. You can send "
                          "/start if you want to begin again.")), replace_pressed=True)


def delete_cancelled(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Nothing was deleted.")), replace_pressed=True)


def non_text(t: Translator) -> str:
    return t.gettext("Sorry, I can only read typed text and button presses. Please type your answer, or use the "
                     "buttons.")


def edited_message(t: Translator) -> str:
    return t.gettext("Editing a message does not change your answer. To change an answer, use Back, or change "
                     "it on the review screen at the end.")


def unknown_command(t: Translator) -> str:
    return t.gettext("Sorry, I do not know that command. Send /help to see what I can do.")


def group_reply(t: Translator, bot_username: str) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Please message me privately, so your answers stay private.")),
                 ((Button(_("Message me privately"), url=f"https://t.me/{bot_username}"),),))


def slow_down(t: Translator) -> str:
    return t.gettext("You are sending messages very quickly. Please wait a moment, then carry on.")


def safeguarding(t: Translator) -> Reply:
    _ = t.gettext
    lines = [
        "<b>" + escape(_("It sounds like things are very hard right now. You do not have to cope alone.")) + "</b>",
        escape(_("If anyone is in danger now, call %(number)s.", number=t.isolate("999"))),
        escape(_("Samaritans listen day and night, for free: call %(number)s.", number=t.isolate("116 123"))),
        escape(_("If you are worried about a child, call the NSPCC on %(number)s.", number=t.isolate("0808 800 5000"))),
        escape(_("Your local SENDIASS gives free, confidential advice about SEND. Search for SENDIASS and the name of "
                 "your council.")),
        escape(_("We have saved your answer. The survey carries on below.")),
    ]
    return Reply("\n\n".join(lines))


def possible_risk(t: Translator) -> Reply:
    """A calm line for POSSIBLE risk (issue 9): a wrong crisis message alarms a parent who wrote something
    ordinary, so the model's weaker evidence only offers the crisis message behind a button."""
    _ = t.gettext
    return Reply(escape(_("If you or your child are not safe right now, help is here.")),
                 ((Button(_("Get help now"), encode("sgh")),),))


def risk_replies(t: Translator, confident: bool, possible: bool) -> list[Reply]:
    """The crisis message at once for CONFIDENT risk, the calm line for POSSIBLE risk, else nothing."""
    if confident:
        return [safeguarding(t)]
    return [possible_risk(t)] if possible else []


def mydata(t: Translator, summary: dict[str, object], answers: Sequence[tuple[str, str, str]]) -> Reply:
    _ = t.gettext
    lines = ["<b>" + escape(_("What we keep about you")) + "</b>",
             escape(_("A code made from your Telegram account, which cannot be turned back into your account."))]
    if summary.get("language"):
        lines.append(escape(_("Language: %(language)s", language=str(summary["language"]))))
    if summary.get("area"):
        lines.append(escape(_("Local area: %(area)s", area=t.isolate(str(summary["area"])))))
    if summary.get("consent_at"):
        lines.append(escape(_("You agreed to our privacy notice on %(date)s.", date=str(summary["consent_at"]))))
    if not answers:
        lines.append(escape(_("We keep no answers from you.")))
    current = None
    for heading, question, answer in answers:
        if heading != current:
            lines.append("<b>" + escape(heading) + "</b>")
            current = heading
        lines.append(escape(question) + "\n→ " + escape(answer))
    lines.append(escape(_("To delete all of this, send /delete.")))
    return Reply("\n\n".join(lines))


def withdraw_usage(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("To withdraw your answers, send /withdraw followed by the code you were given, for "
                          "example: /withdraw K7QM-2XVA-P9TD")))


def withdrawn(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Those answers have been deleted. They will not be used in the inspection.")))


def withdraw_unknown(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Sorry, that code does not match any answers. Please check it and try again.")))


def too_many_attempts(t: Translator) -> Reply:
    _ = t.gettext
    return Reply(escape(_("Too many tries. Please wait 15 minutes and try again.")))


def survey_length(t: Translator, questions: int, minutes: int) -> Reply:
    """Said before the first question: how long the survey takes (measured, bot/survey/length.py)."""
    return Reply(escape(t.ngettext("This survey has about %(count)s question.",
                                   "This survey has about %(count)s questions.", questions)
                        + "\n" + t.ngettext("It takes about %(count)s minute.",
                                           "It takes about %(count)s minutes.", minutes)))
