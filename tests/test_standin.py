"""The Bot API stand-in, driven by the real python-telegram-bot 22.8 stack over real HTTP.

Every await that could hang on a regression (long polls, shutdown, waiting for the bot) runs
under `guard()`, so a broken wake-up fails the suite in seconds instead of stalling the build.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
from collections.abc import AsyncIterator, Awaitable
from typing import Any, TypeVar

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.standin import StandIn
from bot.standin.cli import serve
from bot.standin.formatting import parse_html, parse_markdown_v2
from bot.standin.limits import RateLimiter, RateLimits, Window
from bot.standin.models import ApiError
from bot.standin.validation import parse_reply_markup
from tests.helpers.broadcast import until

T = TypeVar("T")
TOKEN = "123:ABC"
GUARD_SECONDS = 5.0
# A 1x1 PNG: sendPhoto insists on a real image, as Telegram does.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


async def guard(awaitable: Awaitable[T], seconds: float = GUARD_SECONDS) -> T:
    """Fails fast instead of hanging when a wake-up is broken."""
    return await asyncio.wait_for(awaitable, seconds)


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    async with StandIn() as s:
        yield s


@pytest.fixture
async def ptb_bot(standin: StandIn) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=standin.base_url, base_file_url=standin.base_file_url) as b:
        yield b


def build_app(standin: StandIn) -> Application:
    return (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(standin.base_url)
        .base_file_url(standin.base_file_url)
        .build()
    )


async def running(app: Application) -> None:
    await guard(app.initialize())
    await guard(app.start())
    await guard(app.updater.start_polling(poll_interval=0, timeout=30))


async def shut(app: Application) -> None:
    await guard(app.updater.stop())
    await guard(app.stop())
    await guard(app.shutdown())


# -- the real PTB application ------------------------------------------------------------------


async def test_application_conversation_with_buttons(standin: StandIn) -> None:
    seen_languages: list[str | None] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen_languages.append(update.effective_user.language_code)
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("Yes", callback_data="answer:yes"),
                    InlineKeyboardButton("No", callback_data="answer:no"),
                ]
            ]
        )
        await update.message.reply_text(
            "Welcome, <b>parent</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer("Saved")
        edited = await query.edit_message_text(f"You chose {query.data.split(':')[1]}")
        await context.bot.send_message(query.message.chat.id, f"edit returned {edited.text}")

    app = build_app(standin)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    await running(app)
    try:
        update = await standin.send_message(501, "/start", language_code="pl", first_name="Ala")
        assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
        first = (await guard(standin.wait_for_sent(501, 1)))[0]
        assert first["method"] == "sendMessage"
        assert first["text"] == "Welcome, parent"  # what the user sees: HTML parsed away
        assert first["raw_text"] == "Welcome, <b>parent</b>"
        assert first["entities"] == [{"type": "bold", "offset": 9, "length": 6}]
        assert [b["callback_data"] for b in first["reply_markup"]["inline_keyboard"][0]] == [
            "answer:yes",
            "answer:no",
        ]
        assert first["message_id"] > update["message"]["message_id"]  # one counter per chat
        assert seen_languages == ["pl"]

        since = standin.last_seq
        await standin.press(501, first["message_id"], "answer:no")
        records = await guard(standin.wait_for_sent(501, 3, since=since))
        assert [r["method"] for r in records] == ["answerCallbackQuery", "editMessageText", "sendMessage"]
        assert records[0]["text"] == "Saved"
        assert records[2]["text"] == "edit returned You chose no"
        current = standin.message(501, first["message_id"])
        assert current is not None and current["text"] == "You chose no"
        assert "reply_markup" not in current  # an edit without reply_markup drops the keyboard
        assert standin.callback_answers(501)[0]["data"] == "answer:no"
        assert standin.unanswered_callbacks() == []
    finally:
        await shut(app)


async def test_media_messages_reach_filters(standin: StandIn) -> None:
    kinds: list[str] = []

    async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        kinds.append("photo" if message.photo else "voice" if message.voice else "document")
        await message.reply_text("got it")

    app = build_app(standin)
    app.add_handler(MessageHandler(filters.PHOTO | filters.VOICE | filters.Document.ALL, media))
    await running(app)
    try:
        for kind in ("photo", "voice", "document"):
            await standin.send_message(502, "caption here", kind=kind)
        await guard(standin.wait_for_sent(502, 3))
        assert kinds == ["photo", "voice", "document"]
    finally:
        await shut(app)


async def test_updater_stop_returns_while_a_long_poll_waits(standin: StandIn) -> None:
    app = build_app(standin)
    await running(app)
    await standin.wait_for_poller()  # the updater sits in its 30 s long poll
    await shut(app)  # guarded: a poll that is not woken/cancelled would take 30 s


async def test_standin_stop_wakes_pending_long_poll() -> None:
    s = StandIn()
    await s.start()
    async with Bot(TOKEN, base_url=s.base_url) as b:
        poll = asyncio.create_task(b.get_updates(timeout=30, read_timeout=40))
        await s.wait_for_poller()
        await guard(s.stop())
        assert await guard(poll) == ()


async def test_long_poll_answers_as_soon_as_an_update_arrives(standin: StandIn, ptb_bot: Bot) -> None:
    poll = asyncio.create_task(ptb_bot.get_updates(timeout=30, read_timeout=40))
    await standin.wait_for_poller()
    injected = await standin.send_message(503, "hello")
    updates = await guard(poll)
    assert [u.update_id for u in updates] == [injected["update_id"]]
    assert updates[0].message.text == "hello"
    assert updates[0].message.from_user.is_bot is False


async def test_poll_timeout_and_competing_pollers(standin: StandIn, ptb_bot: Bot) -> None:
    assert await guard(ptb_bot.get_updates(timeout=1)) == ()  # an idle poll ends at its timeout
    first = asyncio.create_task(ptb_bot.get_updates(timeout=30, read_timeout=40))
    await standin.wait_for_poller()
    # A second bot instance (PTB keeps one connection for getUpdates, so it needs its own Bot).
    async with Bot(TOKEN, base_url=standin.base_url) as other_instance:
        second = asyncio.create_task(other_instance.get_updates(timeout=30, read_timeout=40))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await guard(first)
        await standin.send_message(512, "for the newer poller")
        assert [u.message.text for u in await guard(second)] == ["for the newer poller"]


async def test_presses_edits_and_raw_updates(standin: StandIn, ptb_bot: Bot) -> None:
    await standin.send_message(513, "hi")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await ptb_bot.send_message(513, "Pick", reply_markup=keyboard)
    with pytest.raises(LookupError):
        await standin.press(513, sent.message_id, "forged", strict=True)
    forged = await standin.press(513, sent.message_id, "forged")  # a modified client can do this
    assert forged["callback_query"]["data"] == "forged"
    await ptb_bot.delete_message(513, sent.message_id)
    stale = await standin.press(513, sent.message_id, "a")
    assert stale["callback_query"]["message"]["date"] == 0  # InaccessibleMessage, as Telegram sends
    assert len(standin.unanswered_callbacks()) == 2
    user_message = await standin.send_message(513, "typo")
    await standin.edit_message(513, user_message["message"]["message_id"], "fixed")
    raw = standin.inject({"my_chat_member": {"chat": {"id": 513, "type": "private"}}})
    updates = await ptb_bot.get_updates()
    assert updates[-2].edited_message.text == "fixed"
    assert updates[-1].update_id == raw["update_id"]
    assert updates[-4].callback_query.message.is_accessible is False


# -- errors as PTB sees them -------------------------------------------------------------------


async def test_bad_requests_map_to_ptb_badrequest(standin: StandIn, ptb_bot: Bot) -> None:
    await standin.send_message(504, "hi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await ptb_bot.send_message(999_999, "hello")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await ptb_bot.send_message(504, "   ")
    with pytest.raises(BadRequest, match="Message is too long"):
        await ptb_bot.send_message(504, "x" * 4097)
    assert (await ptb_bot.send_message(504, "x" * 4096)).message_id > 0
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await ptb_bot.send_photo(504, PNG, caption="c" * 1025)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await ptb_bot.send_message(504, "<b>unclosed", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match='start tag "br"'):
        await ptb_bot.send_message(504, "line<br>line", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="reserved"):
        await ptb_bot.send_message(504, "Thanks.", parse_mode=ParseMode.MARKDOWN_V2)
    # 33 Cyrillic letters are 66 UTF-8 bytes: over Telegram's 64-byte budget.
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="д" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await ptb_bot.send_message(504, "pick", reply_markup=too_long)
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="д" * 32)]])
    assert (await ptb_bot.send_message(504, "pick", reply_markup=fits)).reply_markup == fits
    bad_url = InlineKeyboardMarkup([[InlineKeyboardButton("x", url="ftp://example.org")]])
    with pytest.raises(BadRequest, match=r"(?i)wrong http url"):
        await ptb_bot.send_message(504, "pick", reply_markup=bad_url)
    with pytest.raises(BadRequest, match="Query is too old"):
        await ptb_bot.answer_callback_query("no-such-query")


async def test_failure_injection_gives_forbidden_and_retry_after(standin: StandIn, ptb_bot: Bot) -> None:
    await standin.send_message(505, "hi")
    standin.fail(505, 429, retry_after=3, times=1)
    with pytest.raises(RetryAfter) as caught:
        await ptb_bot.send_message(505, "one")
    assert caught.value.retry_after == 3
    assert (await ptb_bot.send_message(505, "two")).text == "two"  # times=1: used up

    standin.fail(505, 403)  # permanent, like a block
    for _ in range(2):
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await ptb_bot.send_message(505, "three")
    assert standin.attempts(505) == 4
    assert standin.successes(505) == 1
    assert [r["text"] for r in standin.sent(505)] == ["two"]


async def test_a_method_can_be_failed_or_held_whatever_the_chat(standin: StandIn, ptb_bot: Bot) -> None:
    commands = [BotCommand("start", "Start")]
    standin.fail_method("setMyCommands", 500, times=1)
    with pytest.raises(NetworkError):                        # PTB's name for a 5xx
        await guard(ptb_bot.set_my_commands(commands))
    assert await guard(ptb_bot.set_my_commands(commands))     # times=1: used up
    assert standin.commands() == [{"command": "start", "description": "Start"}]

    standin.hold("setMyCommands")
    call = asyncio.create_task(ptb_bot.set_my_commands(commands, language_code="pl"))
    await until(lambda: standin.held("setMyCommands") == 1, timeout=GUARD_SECONDS)
    assert standin.commands("pl") == [] and not call.done()  # received, not answered
    assert (await guard(ptb_bot.get_me())).username        # other methods are not held
    standin.release("setMyCommands")
    assert await guard(call)
    assert standin.held("setMyCommands") == 0 and standin.commands("pl")


async def test_block_emits_my_chat_member_and_answers_403(standin: StandIn, ptb_bot: Bot) -> None:
    await standin.send_message(506, "hi")
    update = standin.block(506)
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    with pytest.raises(Forbidden, match="blocked"):
        await ptb_bot.send_message(506, "still there?")
    updates = await ptb_bot.get_updates()
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"
    # Writing again is Telegram's "Restart": the bot is unblocked and told so.
    await standin.send_message(506, "/start")
    assert (await ptb_bot.send_message(506, "welcome back")).text == "welcome back"


async def test_rate_limits_answer_retry_after(standin: StandIn, ptb_bot: Bot) -> None:
    standin.add_chat(-1001, "supergroup", "Parents forum")
    standin.enforce_limits(per_chat_per_second=None, global_per_second=None, per_group_per_minute=1)
    await ptb_bot.send_message(-1001, "first")
    with pytest.raises(RetryAfter) as caught:
        await ptb_bot.send_message(-1001, "second")
    assert 1 <= caught.value.retry_after <= 60
    assert standin.successes(-1001) == 1 and standin.attempts(-1001) == 2
    standin.disable_limits()
    assert (await ptb_bot.send_message(-1001, "third")).text == "third"


def test_rate_limiter_windows_with_a_fake_clock() -> None:
    now = [100.0]
    limiter = RateLimiter(clock=lambda: now[0])
    limiter.configure(
        RateLimits(per_chat=Window.per(1, 1.0), overall=Window.per(30, 1.0), per_group=Window.per(20, 60.0))
    )
    assert limiter.retry_after(1, False) is None
    limiter.record(1, False)
    assert limiter.retry_after(1, False) == 1
    assert limiter.retry_after(2, False) is None  # another chat is free
    now[0] += 1.0
    assert limiter.retry_after(1, False) is None
    for _ in range(20):
        now[0] += 1.0
        limiter.record(-5, True)
    assert limiter.retry_after(-5, True) == 41  # the oldest of 20 sends leaves the minute in 41 s
    assert Window.per(0.5, 1.0) == Window(1, 2.0)


# -- editing, deleting, files ------------------------------------------------------------------


async def test_edits_return_the_message_and_refuse_no_ops(standin: StandIn, ptb_bot: Bot) -> None:
    await standin.send_message(507, "hi")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await ptb_bot.send_message(507, "Question?", reply_markup=keyboard)
    edited = await ptb_bot.edit_message_text(
        "Question (edited)?", chat_id=507, message_id=sent.message_id, reply_markup=keyboard
    )
    assert edited.text == "Question (edited)?" and edited.edit_date is not None
    assert edited.reply_markup == keyboard
    with pytest.raises(BadRequest, match="Message is not modified"):
        await ptb_bot.edit_message_text(
            "Question (edited)?", chat_id=507, message_id=sent.message_id, reply_markup=keyboard
        )
    cleared = await ptb_bot.edit_message_reply_markup(
        chat_id=507, message_id=sent.message_id, reply_markup=None
    )
    assert cleared.reply_markup is None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await ptb_bot.edit_message_reply_markup(chat_id=507, message_id=sent.message_id, reply_markup=None)
    assert await ptb_bot.delete_message(507, sent.message_id) is True
    assert standin.message(507, sent.message_id) is None
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await ptb_bot.edit_message_text("late", chat_id=507, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await ptb_bot.delete_message(507, sent.message_id)
    methods = [r["method"] for r in standin.sent(507)]
    assert methods == ["sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage"]


async def test_document_and_photo_upload_round_trip(standin: StandIn, ptb_bot: Bot) -> None:
    await standin.send_message(508, "hi")
    payload = b"area,theme,count\nNorth,EHCP delays,12\n"
    message = await ptb_bot.send_document(508, io.BytesIO(payload), filename="summary.csv", caption="Summary")
    assert message.document.file_name == "summary.csv" and message.caption == "Summary"
    assert standin.file_bytes(508, message.message_id) == payload
    record = standin.sent(508)[-1]
    assert record["document"]["filename"] == "summary.csv" and record["document"]["size"] == len(payload)
    downloaded = await (await ptb_bot.get_file(message.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == payload
    again = await ptb_bot.send_document(508, message.document.file_id)  # re-send by file_id
    assert standin.file_bytes(508, again.message_id) == payload

    photo = await ptb_bot.send_photo(508, PNG, caption="chart")
    assert photo.photo[-1].width == 1 and standin.sent(508)[-1]["photo"] is True
    assert standin.file_bytes(508, photo.message_id) == PNG
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await ptb_bot.send_photo(508, b"not an image")


# -- chats, membership, queue ------------------------------------------------------------------


async def test_channels_groups_and_membership(standin: StandIn, ptb_bot: Bot) -> None:
    standin.add_chat(-100200, "channel", "Local offer news", bot_is_admin=True, can_post=True, owner_id=77)
    standin.add_chat(-100300, "channel", "Not ours", bot_is_admin=False)
    standin.add_chat(-100400, "supergroup", "Gone", bot_member=False)
    post = await ptb_bot.send_message(-100200, "Inspection announced")
    assert post.sender_chat.id == -100200 and post.from_user is None
    with pytest.raises(BadRequest, match="Need administrator rights"):
        await ptb_bot.send_message(-100300, "hello")
    with pytest.raises(Forbidden, match="not a member of the supergroup chat"):
        await ptb_bot.send_message(-100400, "hello")
    member = await ptb_bot.get_chat_member(-100200, standin.bot_id)
    assert member.status == "administrator" and member.can_post_messages is True
    admins = await ptb_bot.get_chat_administrators(-100200)
    assert {a.status for a in admins} == {"creator", "administrator"}
    chat = await ptb_bot.get_chat(-100200)
    assert chat.title == "Local offer news" and chat.type == "channel"
    me = await ptb_bot.get_me()
    assert me.username == "ParentVoiceBot" and me.is_bot and me.can_join_groups
    assert await ptb_bot.leave_chat(-100200) is True
    assert (await ptb_bot.get_updates())[-1].my_chat_member.new_chat_member.status == "left"


async def test_queue_offsets_duplicates_and_allowed_updates(standin: StandIn, ptb_bot: Bot) -> None:
    first = await standin.send_message(509, "one")
    second = await standin.send_message(509, "two")
    assert [u.update_id for u in await ptb_bot.get_updates()] == [first["update_id"], second["update_id"]]
    assert [u.update_id for u in await ptb_bot.get_updates(offset=second["update_id"])] == [
        second["update_id"]
    ]
    assert await ptb_bot.get_updates(offset=second["update_id"] + 1) == ()
    duplicate = standin.inject({"update_id": second["update_id"], "message": second["message"]})
    assert duplicate["update_id"] == second["update_id"]
    assert [u.update_id for u in await ptb_bot.get_updates(offset=second["update_id"] + 1)] == [
        second["update_id"]
    ]
    # By default Telegram does not send chat_member updates; asking for them changes that.
    member_update = {"chat_member": {"chat": {"id": -1, "type": "group", "title": "g"}}}
    standin.inject(member_update)
    assert all("chat_member" not in u for u in standin.pending_updates())
    await ptb_bot.get_updates(offset=second["update_id"] + 1, allowed_updates=["message", "chat_member"])
    queued = standin.inject(member_update)
    assert standin.pending_updates()[-1]["update_id"] == queued["update_id"]


async def test_commands_and_menu_button(standin: StandIn, ptb_bot: Bot) -> None:
    from telegram import BotCommand, MenuButtonCommands

    await ptb_bot.set_my_commands(
        [BotCommand("start", "Begin"), BotCommand("language", "Zmień język")], language_code="pl"
    )
    assert [c.command for c in await ptb_bot.get_my_commands(language_code="pl")] == ["start", "language"]
    assert await ptb_bot.get_my_commands() == ()
    assert standin.commands("pl")[1]["description"] == "Zmień język"
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await ptb_bot.set_my_commands([BotCommand("Start", "Begin")])
    assert await ptb_bot.delete_my_commands(language_code="pl") is True
    assert await ptb_bot.set_chat_menu_button(menu_button=MenuButtonCommands()) is True
    await standin.send_message(511, "hi")
    assert await ptb_bot.send_chat_action(511, "typing") is True
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await ptb_bot.send_chat_action(511, "dancing")


# -- webhook -------------------------------------------------------------------------------------


async def test_webhook_delivery_with_secret_and_retry() -> None:
    received: list[tuple[dict[str, Any], str | None]] = []
    failures_left = [1]
    arrived = asyncio.Event()

    async def hook(request: web.Request) -> web.Response:
        if failures_left[0] > 0:
            failures_left[0] -= 1
            return web.Response(status=500)
        received.append((await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        arrived.set()
        return web.Response(text="ok")

    receiver = web.Application()
    receiver.router.add_post("/hook", hook)
    runner = web.AppRunner(receiver)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with StandIn(webhook_retry_delay=0.01) as s, Bot(TOKEN, base_url=s.base_url) as b:
            assert await b.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret-Token_1")
            with pytest.raises(Conflict, match="webhook is active"):
                await b.get_updates()
            update = await s.send_message(510, "via webhook")
            await guard(arrived.wait())
            body, secret = received[0]
            assert secret == "s3cret-Token_1"
            assert body["update_id"] == update["update_id"] and body["message"]["text"] == "via webhook"
            info = await b.get_webhook_info()
            assert info.url.endswith("/hook") and info.last_error_message.startswith("Wrong response")
            assert s.webhook.delivered == 1
            with pytest.raises(BadRequest, match="unallowed characters"):
                await b.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="bad token!")
            assert await b.delete_webhook()
            assert await b.get_updates() == ()
    finally:
        await runner.cleanup()


# -- HTTP control API and raw HTTP ----------------------------------------------------------------


async def test_control_api_over_http(standin: StandIn) -> None:
    api = f"{standin.base_url}{TOKEN}"
    control = standin.control_url
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{control}/message", json={"user_id": 600, "text": "/start", "language_code": "ur"}
        ) as r:
            update = (await r.json())["result"]
        async with http.post(f"{api}/getUpdates", data={"timeout": "0"}) as r:
            polled = (await r.json())["result"]
        assert polled[0]["message"]["from"]["language_code"] == "ur"
        assert polled[0]["update_id"] == update["update_id"]

        markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
        async with http.post(
            f"{api}/sendMessage", json={"chat_id": 600, "text": "Ready?", "reply_markup": markup}
        ) as r:
            sent = (await r.json())["result"]
        async with http.get(f"{control}/wait", params={"chat_id": "600", "count": "1", "timeout": "2"}) as r:
            assert (await r.json())["result"][0]["reply_markup"] == markup
        async with http.post(
            f"{control}/press", json={"user_id": 600, "message_id": sent["message_id"], "data": "go"}
        ) as r:
            press = (await r.json())["result"]
        assert press["callback_query"]["chat_instance"] and press["callback_query"]["data"] == "go"

        form = aiohttp.FormData()
        form.add_field("chat_id", "600")
        form.add_field("document", b"%PDF-1.4 test", filename="report.pdf", content_type="application/pdf")
        async with http.post(f"{api}/sendDocument", data=form) as r:
            document_message = (await r.json())["result"]
        params = {"chat_id": "600", "message_id": str(document_message["message_id"])}
        async with http.get(f"{control}/file", params=params) as r:
            assert await r.read() == b"%PDF-1.4 test"
            assert "report.pdf" in r.headers["Content-Disposition"]

        async with http.post(f"{control}/fail", json={"chat_id": 600, "status": 403}) as r:
            assert r.status == 200
        async with http.post(f"{api}/sendMessage", data={"chat_id": "600", "text": "x"}) as r:
            assert r.status == 403
            assert (await r.json())["description"] == "Forbidden: bot was blocked by the user"

        async with http.post(
            f"{control}/chat", json={"chat_id": -700, "type": "channel", "title": "News"}
        ) as r:
            assert (await r.json())["result"]["title"] == "News"
        async with http.get(f"{control}/sent", params={"chat_id": "600"}) as r:
            assert [x["method"] for x in (await r.json())["result"]] == ["sendMessage", "sendDocument"]
        async with http.get(f"{control}/attempts", params={"chat_id": "600"}) as r:
            assert (await r.json())["result"] == {"attempts": 3, "successes": 2}
        async with http.get(
            f"{control}/wait", params={"chat_id": "600", "count": "9", "timeout": "0.05"}
        ) as r:
            assert r.status == 408
        async with http.post(f"{control}/reset") as r:
            assert r.status == 200
        async with http.get(f"{control}/sent") as r:
            assert (await r.json())["result"] == []

        async with http.post(f"{api}/noSuchMethod") as r:
            assert r.status == 404
            assert await r.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        await standin.send_message(601, "hi")
        async with http.post(
            f"{api}/sendMessage", data={"chat_id": "601", "text": "x", "reply_markup": "{oops"}
        ) as r:
            assert r.status == 400
            assert "can't parse reply keyboard markup JSON object" in (await r.json())["description"]


async def test_token_check_rejects_unknown_tokens() -> None:
    async with StandIn(token_check=True, tokens=[TOKEN]) as s:
        async with Bot(TOKEN, base_url=s.base_url) as good:
            assert (await good.get_me()).id == s.bot_id
        with pytest.raises(InvalidToken):
            async with Bot("999:WRONG", base_url=s.base_url):
                pass


async def test_cli_serve_runs_until_stopped() -> None:
    ready, stop = asyncio.Event(), asyncio.Event()
    args = argparse.Namespace(host="127.0.0.1", port=0, bot_username="DemoBot", token=[], limits=False)
    task = asyncio.create_task(serve(args, ready, stop))
    await guard(ready.wait())
    stop.set()
    await guard(task)


# -- pure rules ----------------------------------------------------------------------------------


def test_html_parsing_counts_utf16_offsets() -> None:
    text, entities = parse_html('😀 <b>Zażółć</b> &amp; <a href="https://gov.uk">link</a>')
    assert text == "😀 Zażółć & link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 6},  # the emoji is two UTF-16 units
        {"type": "text_link", "offset": 12, "length": 4, "url": "https://gov.uk"},
    ]
    with pytest.raises(ApiError, match='expected "</b>", found "</i>"'):
        parse_html("<b>x</i>")


def test_markdown_v2_requires_escapes() -> None:
    assert parse_markdown_v2("Thanks\\. *Done*")[0] == "Thanks. Done"
    for bad in ("Thanks.", "*open", "1+1"):
        with pytest.raises(ApiError, match="can't parse entities"):
            parse_markdown_v2(bad)


@pytest.mark.parametrize(
    ("markup", "description"),
    [
        ({"inline_keyboard": [{"text": "x", "callback_data": "a"}]}, "must be an Array of Arrays"),
        ({"inline_keyboard": [[{"text": "x"}]]}, "Text buttons are unallowed"),
        ({"inline_keyboard": [[{"text": "x", "callback_data": "a", "url": "https://a.b"}]]}, "exactly one"),
        ({"inline_keyboard": [[{"callback_data": "a"}]]}, 'find field "text"'),
        ({"inline_keyboard": [[{"text": "x", "callback_data": "a" * 65}]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "x", "callback_data": "a"}]] * 101}, "reply markup is too long"),
        ("not an object", "object expected as reply markup"),
    ],
)
def test_reply_markup_shapes_are_checked(markup: Any, description: str) -> None:
    with pytest.raises(ApiError, match=description) as caught:
        parse_reply_markup(markup)
    assert caught.value.status == 400


def test_valid_markups_are_normalised() -> None:
    assert (
        parse_reply_markup({"inline_keyboard": [[{"text": "ok", "url": "tg://resolve?domain=x"}]]})
        is not None
    )
    assert parse_reply_markup({"keyboard": [["Yes", {"text": "No"}]], "resize_keyboard": True}) == {
        "keyboard": [[{"text": "Yes"}, {"text": "No"}]],
        "resize_keyboard": True,
    }
    assert json.dumps(parse_reply_markup({"remove_keyboard": True})) == '{"remove_keyboard": true}'
