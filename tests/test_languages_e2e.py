"""Parents in Polish, Urdu and Arabic go from /start to submitted without meeting English they did not choose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n.catalog import FSI, po_path
from bot.i18n.languages import LANGUAGES
from bot.standin.user import plain
from tests.conftest import rows
from tests.helpers.answers import ASSESSMENT_ROUTE

SHIPPED = [lang for lang in LANGUAGES if lang.code != "en"]


def story(iso: str) -> str:
    """A parent's sentence in that language, from the language-detection test set."""
    for line in (Path(__file__).parent / "data" / "langdetect_set.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["language"] == iso and (len(item["text"].split()) >= 6 or (iso == "zh" and len(item["text"]) >= 12)):
            return item["text"]
    raise LookupError(iso)


def english_msgids(code: str) -> list[str]:
    """Source strings that this language translates differently (terms kept on purpose are equal, so skipped)."""
    with po_path(code).open("rb") as f:
        catalog = read_po(f)
    found = []
    for m in catalog:
        if not m.id or isinstance(m.id, tuple):
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.id not in strings:
            found.append(m.id)
    return found


@pytest.mark.parametrize("lang", SHIPPED, ids=lambda lang: lang.code)
async def test_a_parent_completes_the_survey_in_their_language(bot, db_path, lang):
    code = lang.code
    parent = bot.user(8000 + LANGUAGES.index(lang), lang.iso)
    await parent.send("/start derby26")
    await parent.press_callback(f"lang:{code}")
    await parent.press_callback("consent:yes")
    for kind, question, choice in ASSESSMENT_ROUTE:
        await parent.press_callback(":".join(x for x in (kind, question, choice) if x))
    await parent.send(story(lang.iso))
    while any(b.get("callback_data", "").startswith("th") for b in parent.buttons()):
        await parent.press_callback("thok:worked_well")
    await parent.press_callback("skip:inspectors_should_know")
    await parent.press_callback("pick:quote_ok:yes")
    await parent.press_callback("edit:setting")
    await parent.press_callback("pick:setting:special_school")
    await parent.press_callback("submit")
    await parent.send("/mydata")
    assert await rows(db_path, "SELECT status, language FROM responses") == [("submitted", code)]
    assert await rows(db_path, "SELECT text_language FROM answers WHERE question_id = 'worked_well'") == [(lang.iso,)]

    messages = [plain(r.get("text") or "") for r in bot.standin.sent(parent.chat) if r.get("text")]
    labels = [plain(b["text"]) for r in bot.standin.sent(parent.chat) for row in
              ((r.get("reply_markup") or {}).get("inline_keyboard") or []) for b in row]
    everything = "\n".join(messages + labels)
    leaks = []
    for msgid in english_msgids(code):
        if len(msgid) >= 12 and msgid in everything:
            leaks.append(msgid)
        elif msgid in labels or msgid in messages:
            leaks.append(msgid)
    assert not leaks, leaks
    if lang.rtl:
        # Numbers and dates inside right-to-left text are isolated so they read in the right order.
        assert any(FSI in m for m in messages)
