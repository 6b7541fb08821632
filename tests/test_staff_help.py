"""Point 12 of issue 9: /help shows each staff role its commands; the CLI text report is plain text."""

from __future__ import annotations

from bot.cli import main
from bot.reports.plain_text import telegram_html_to_text
from tests.conftest import add_inspection
from tests.helpers.broadcast import make_forum
from tests.helpers.staff import inspector_of

PARENT_LINE = "/mydata"
INSPECTOR_LINE = "For inspectors: /summary"
FORUM_LINE = "For forums: /announce"


async def test_help_lists_the_commands_of_every_role_held(bot, db_path, secret):
    parent = bot.user(7201)
    await parent.send("/help")
    shown = "\n".join(parent.texts())
    assert PARENT_LINE in shown and INSPECTOR_LINE not in shown and FORUM_LINE not in shown

    inspector = await inspector_of(bot, db_path, secret, 7202)
    since = len(bot.standin.sent(7202))
    await inspector.send("/help")
    shown = "\n".join(inspector.texts(since))
    assert PARENT_LINE in shown and INSPECTOR_LINE in shown and FORUM_LINE not in shown

    both = await inspector_of(bot, db_path, secret, 7203)
    await make_forum(bot, secret, 7203)
    since = len(bot.standin.sent(7203))
    await both.send("/help")
    shown = "\n".join(both.texts(since))
    assert INSPECTOR_LINE in shown and FORUM_LINE in shown and "/topic" in shown


async def test_help_is_in_the_staff_members_language(bot, db_path, secret):
    inspector = await inspector_of(bot, db_path, secret, 7204)
    inspector.language_code = "pl"
    since = len(bot.standin.sent(7204))
    await inspector.send("/help")
    shown = "\n".join(inspector.texts(since))
    assert "/summary" in shown and INSPECTOR_LINE not in shown


def test_report_text_format_prints_plain_text(db_path, capsysbinary):
    import asyncio

    asyncio.run(add_inspection(db_path, "rep2"))
    assert main(["--db", str(db_path), "report", "--inspection", "rep2", "--format", "text"]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert "Parent evidence for the area SEND inspection of" in out
    assert "<b>" not in out and "</b>" not in out and "&amp;" not in out


def test_telegram_html_to_text_keeps_words_links_and_quotes():
    html = ('<b>Derby &amp; Derbyshire</b>\n<i>fewer than 10</i>\n<a href="https://example.org/r">the report</a>'
            '\n<blockquote>We waited\ntwo years</blockquote>\n<a href="https://x.org">https://x.org</a>')
    assert telegram_html_to_text(html) == ("Derby & Derbyshire\nfewer than 10\nthe report (https://example.org/r)\n"
                                           "    We waited\n    two years\nhttps://x.org")
