"""The HTML report in a real browser: headless Chromium driven over the DevTools protocol.

Checks what only a browser can: the charts have a size, every section is there, right-to-left quotes are
laid out right to left, nothing is fetched from the network, no console errors, and it prints. Screenshots
go to /tmp/parentvoice_report_*.png for a human to look at. Needs the Debian package ``chromium``; without
it the test fails (it must not pass silently on a machine that cannot run it).
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.privacy.scrub import scrub
from bot.records import ResponseRecord, ThemeAssignment
from bot.reports.aggregate import build_report
from bot.reports.render_html import SECTIONS, render_html
from bot.survey.model import load_questionnaire
from tests.report_factory import english, make_info, make_records

ARABIC = "لا يوجد مترجم في الاجتماعات وكل الرسائل باللغة الإنجليزية فقط."
URDU = "کونسل کو ای میل کرتے ہیں مگر کوئی جواب نہیں آتا۔"
BENGALI = "আমরা এক বছরের বেশি সময় ধরে মূল্যায়নের জন্য অপেক্ষা করছি।"
GUJARATI = "અમે એક વર્ષથી વધુ સમયથી મૂલ્યાંકનની રાહ જોઈ રહ્યા છીએ."
PANJABI = "ਅਸੀਂ ਇੱਕ ਸਾਲ ਤੋਂ ਵੱਧ ਸਮੇਂ ਤੋਂ ਮੁਲਾਂਕਣ ਦੀ ਉਡੀਕ ਕਰ ਰਹੇ ਹਾਂ।"
CHINESE = "我们等待评估已经超过一年了，没有人回复邮件。"
#: One quote per script the report must draw with a real font (issue 10), by language code.
SCRIPTS = {"ar": ARABIC, "ur": URDU, "bn": BENGALI, "gu": GUJARATI, "pa": PANJABI, "zh_Hans": CHINESE}
#: A screen an inspector sees without scrolling (a laptop at the test's width).
SCREEN_HEIGHT = 900
HOSTILE = '<script>document.title="owned"</script><img src="https://example.org/x.png" onerror="alert(1)">'
SCREENSHOT_DIR = Path("/tmp")


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if path is None:
        pytest.fail("Chromium is not installed: run `apt-get install -y chromium` (the report browser test needs it)")
    return path


def _quoted(base: ResponseRecord, question: str, text: str, language: str, theme: str) -> ResponseRecord:
    answers = {**base.answers, question: text, "quote_ok": "yes"}
    # Written here, not by the bot's scrubber: no scrubber version, so the report scrubs it as it always did.
    scrubbed_by = {q: v for q, v in base.scrubbed_by.items() if q != question}
    return replace(base, language=language, answers=answers, text_languages={**base.text_languages, question: language},
                   scrubbed_by=scrubbed_by,
                   themes=(*(a for a in base.themes if a.question != question), ThemeAssignment(theme, question, "parent")))


def forty_records() -> list[ResponseRecord]:
    records = make_records(32, seed=11)
    records += [
        _quoted(records[0], "inspectors_should_know", ARABIC, "ar", "information_local_offer"),
        _quoted(records[1], "inspectors_should_know", URDU, "ur", "communication_coproduction"),
        _quoted(records[2], "worked_well", "معلمة ابني في المدرسة رائعة وتساعده كل يوم.", "ar", "therapy_waits"),
        _quoted(records[3], "inspectors_should_know", HOSTILE, "en", "transport"),
        _quoted(records[4], "inspectors_should_know", BENGALI, "bn", "ehc_assessment_delay"),
        _quoted(records[5], "inspectors_should_know", GUJARATI, "gu", "ehc_assessment_delay"),
        _quoted(records[6], "inspectors_should_know", PANJABI, "pa", "ehc_assessment_delay"),
        _quoted(records[7], "inspectors_should_know", CHINESE, "zh_Hans", "communication_coproduction"),
    ]
    return records


class DevTools:
    """A minimal Chrome DevTools Protocol client over one page's websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            data = json.loads(msg.data)
            if "id" in data and data["id"] in self.pending:
                self.pending.pop(data["id"]).set_result(data)
            else:
                self.events.append(data)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        await self.ws.send_json({"id": self.next_id, "method": method, "params": params})
        reply = await asyncio.wait_for(future, 30)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    async def wait_event(self, method: str) -> dict[str, Any]:
        async with asyncio.timeout(30):
            while True:
                for e in self.events:
                    if e.get("method") == method:
                        return e
                await asyncio.sleep(0.05)

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")


async def _devtools_port(profile: Path, process: asyncio.subprocess.Process) -> int:
    marker = profile / "DevToolsActivePort"
    for _ in range(300):
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text().splitlines()[0])
        if process.returncode is not None:
            pytest.fail(f"Chromium exited early with code {process.returncode}")
        await asyncio.sleep(0.1)
    pytest.fail("Chromium did not open its DevTools port within 30 s")


PAGE_CHECKS = """
(() => {
  const box = el => { const r = el.getBoundingClientRect(); return {w: r.width, h: r.height}; };
  return {
    title: document.title,
    scripts: document.scripts.length,
    images: document.images.length,
    svgs: [...document.querySelectorAll('svg.chart')].map(box),
    headings: [...document.querySelectorAll('h2')].map(h => ({id: h.id, text: h.textContent, ...box(h)})),
    quotes: [...document.querySelectorAll('blockquote')].map(b => ({
      lang: b.lang, dir: b.dir, computed: getComputedStyle(b).direction, text: b.textContent,
      caption: b.parentElement.querySelector('figcaption').textContent})),
    overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
    height: document.documentElement.scrollHeight,
    summaryEnd: document.querySelector('#method').getBoundingClientRect().top + window.scrollY,
    summaryText: document.querySelector('#summary') ? document.querySelector('#summary').parentElement.innerText : '',
  };
})()
"""


#: The families .ci/setup installs (fonts-noto-core, fonts-noto-cjk) and the CSS names first for each script.
FONT_FAMILIES = ("Noto Naskh Arabic", "Noto Nastaliq Urdu", "Noto Sans Bengali", "Noto Sans Gujarati",
                 "Noto Sans Gurmukhi", "Noto Sans CJK SC")


async def _quote_fonts(cdp: DevTools) -> dict[str, dict[str, Any]]:
    """For each quote's language: the fonts Chromium really drew its glyphs with, and the family stack the
    page asked for (DevTools CSS.getPlatformFontsForNode)."""
    doc = await cdp.call("DOM.getDocument", depth=-1)
    found = await cdp.call("DOM.querySelectorAll", nodeId=doc["root"]["nodeId"], selector="blockquote")
    out: dict[str, dict[str, Any]] = {}
    for node_id in found["nodeIds"]:
        attrs = (await cdp.call("DOM.getAttributes", nodeId=node_id))["attributes"]
        lang = dict(zip(attrs[::2], attrs[1::2], strict=True)).get("lang", "")
        text_node = (await cdp.call("DOM.describeNode", nodeId=node_id, depth=1))["node"]
        fonts = (await cdp.call("CSS.getPlatformFontsForNode", nodeId=node_id))["fonts"]
        computed = (await cdp.call("CSS.getComputedStyleForNode", nodeId=node_id))["computedStyle"]
        stack = next(p["value"] for p in computed if p["name"] == "font-family")
        out.setdefault(lang, {"fonts": fonts, "stack": stack, "node": text_node.get("localName")})
    return out


def font_problems(quote_fonts: dict[str, dict[str, Any]]) -> list[str]:
    """Scripts drawn (even partly) with a font the page did not name for them: a fallback, often empty boxes."""
    problems = []
    for code, text in SCRIPTS.items():
        lang = code.replace("_", "-")
        info = quote_fonts.get(lang)
        if info is None:
            problems.append(f"{lang}: no quote on the page")
            continue
        named = {f.strip().strip('"').lower() for f in info["stack"].split(",")}
        glyphs = sum(f["glyphCount"] for f in info["fonts"])
        if glyphs < len(text.replace(" ", "")) // 2:
            problems.append(f"{lang}: only {glyphs} glyphs drawn")
        for font in info["fonts"]:
            if font["familyName"].lower() not in named:
                problems.append(f"{lang}: {font['glyphCount']} glyphs fell back to {font['familyName']!r} "
                                f"(stack: {info['stack']})")
    return problems


async def _inspect(html_file: Path, shots: Path, broken_file: Path) -> dict[str, Any]:
    binary = chromium_path()
    # Chromium's helper processes can still write to the profile after the main one exits.
    with tempfile.TemporaryDirectory(prefix="pv-chromium-", ignore_cleanup_errors=True) as profile_dir:
        profile = Path(profile_dir)
        process = await asyncio.create_subprocess_exec(
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
            "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1200,1600", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            port = await _devtools_port(profile, process)
            async with aiohttp.ClientSession() as session:
                targets = await (await session.get(f"http://127.0.0.1:{port}/json/list")).json()
                page = next(t for t in targets if t["type"] == "page")
                async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    cdp = DevTools(ws)
                    for domain in ("Page", "Runtime", "Log", "Network", "DOM", "CSS"):
                        await cdp.call(f"{domain}.enable")
                    await cdp.call("Emulation.setDeviceMetricsOverride", width=1200, height=1600,
                                   deviceScaleFactor=1, mobile=False)
                    await cdp.call("Page.navigate", url=html_file.as_uri())
                    await cdp.wait_event("Page.loadEventFired")
                    page_state = await cdp.evaluate(PAGE_CHECKS)
                    quote_fonts = await _quote_fonts(cdp)
                    shot = await cdp.call("Page.captureScreenshot", format="png")
                    (shots / "parentvoice_report_top.png").write_bytes(base64.b64decode(shot["data"]))
                    y = await cdp.evaluate(
                        "document.querySelector('#quotes').getBoundingClientRect().top + window.scrollY")
                    shot = await cdp.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                                          clip={"x": 0, "y": y, "width": 1200, "height": 1500, "scale": 1})
                    (shots / "parentvoice_report_quotes.png").write_bytes(base64.b64decode(shot["data"]))
                    y = await cdp.evaluate(
                        "document.querySelector('#themes').getBoundingClientRect().top + window.scrollY")
                    shot = await cdp.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                                          clip={"x": 0, "y": y, "width": 1200, "height": 1500, "scale": 1})
                    (shots / "parentvoice_report_themes.png").write_bytes(base64.b64decode(shot["data"]))
                    await cdp.call("Emulation.setEmulatedMedia", media="print")
                    pdf = await cdp.call("Page.printToPDF", printBackground=True)
                    print_state = await cdp.evaluate(PAGE_CHECKS)
                    events = list(cdp.events)
                    await cdp.call("Emulation.setEmulatedMedia", media="screen")
                    cdp.events.clear()
                    await cdp.call("Page.navigate", url=broken_file.as_uri())
                    await cdp.wait_event("Page.loadEventFired")
                    broken_fonts = await _quote_fonts(cdp)
                    cdp.reader.cancel()
                    return {"page": page_state, "print": print_state, "pdf_bytes": len(base64.b64decode(pdf["data"])),
                            "events": events, "url": html_file.as_uri(), "fonts": quote_fonts,
                            "broken_fonts": broken_fonts}
        finally:
            process.terminate()
            try:
                async with asyncio.timeout(10):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()


@pytest.fixture(scope="module")
def browser_result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    report = build_report(make_info(), load_questionnaire(), forty_records())
    assert report.total == 40
    html = render_html(report, english())
    # The same page with the script fonts' names pointed at families that do not exist: the font check
    # must catch it, or it could not catch missing fonts either.
    broken = html.replace('"Noto ', '"Missing Noto ')
    assert broken != html
    broken_file = tmp_path_factory.mktemp("broken") / "report.html"
    broken_file.write_text(broken, encoding="utf-8")
    html_file = tmp_path_factory.mktemp("report") / "report.html"
    html_file.write_text(html, encoding="utf-8")
    return asyncio.run(asyncio.wait_for(_inspect(html_file, SCREENSHOT_DIR, broken_file), 180))


def test_charts_render_with_a_size(browser_result: dict[str, Any]) -> None:
    svgs = browser_result["page"]["svgs"]
    assert len(svgs) >= 2
    assert all(s["w"] > 100 and s["h"] > 100 for s in svgs), svgs


def test_every_section_heading_is_present_and_visible(browser_result: dict[str, Any]) -> None:
    headings = {h["id"]: h for h in browser_result["page"]["headings"]}
    for section in SECTIONS:
        assert section in headings, f"missing section {section}"
        assert headings[section]["h"] > 0 and headings[section]["text"].strip()


def test_rtl_quotes_are_laid_out_right_to_left(browser_result: dict[str, Any]) -> None:
    quotes = browser_result["page"]["quotes"]
    by_text = {q["text"]: q for q in quotes}
    for text, lang, name in ((ARABIC, "ar", "Arabic"), (URDU, "ur", "Urdu")):
        q = by_text[text]
        assert (q["lang"], q["dir"], q["computed"]) == (lang, "rtl", "rtl")
        assert name in q["caption"]
    ltr = [q for q in quotes if q["lang"] == "en"]
    assert ltr and all(q["computed"] == "ltr" for q in ltr)


def test_hostile_text_is_shown_as_text_and_never_runs(browser_result: dict[str, Any]) -> None:
    page = browser_result["page"]
    assert page["scripts"] == 0 and page["images"] == 0
    assert page["title"] != "owned"
    # Quotes are scrubbed again when the report is built, so the URL inside shows as "[link]".
    assert any(q["text"] == scrub(HOSTILE, "en").text for q in page["quotes"])


def test_no_console_errors_and_no_network_requests(browser_result: dict[str, Any]) -> None:
    events = browser_result["events"]
    problems = [e for e in events if e.get("method") in ("Runtime.exceptionThrown",)]
    problems += [e for e in events if e.get("method") == "Runtime.consoleAPICalled"]
    problems += [e for e in events if e.get("method") == "Log.entryAdded"
                 and e["params"]["entry"]["level"] in ("error", "warning")]
    assert problems == []
    requested = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    assert requested == [browser_result["url"]]


def test_page_fits_the_width_and_prints(browser_result: dict[str, Any]) -> None:
    assert not browser_result["page"]["overflow"]
    assert browser_result["print"]["svgs"] and not browser_result["print"]["overflow"]
    assert browser_result["pdf_bytes"] > 10_000


def test_every_script_is_drawn_with_a_font_the_page_names(browser_result: dict[str, Any]) -> None:
    assert font_problems(browser_result["fonts"]) == []
    for code in SCRIPTS:
        fonts = browser_result["fonts"][code.replace("_", "-")]["fonts"]
        main = max(fonts, key=lambda f: f["glyphCount"])["familyName"]
        assert main in FONT_FAMILIES, (code, fonts)


def test_the_font_check_fails_when_the_named_fonts_do_not_exist(browser_result: dict[str, Any]) -> None:
    problems = font_problems(browser_result["broken_fonts"])
    for code in SCRIPTS:
        assert any(p.startswith(code.replace("_", "-") + ":") for p in problems), (code, problems)


def test_quotes_in_other_languages_carry_their_theme_labels_in_english(browser_result: dict[str, Any]) -> None:
    by_text = {q["text"]: q for q in browser_result["page"]["quotes"]}
    assert "Communication and being heard" in by_text[URDU]["caption"]
    for text in (BENGALI, GUJARATI, PANJABI):
        assert "EHC needs assessment access and timeliness" in by_text[text]["caption"], by_text[text]["caption"]
    assert "Communication and being heard" in by_text[CHINESE]["caption"]


def test_the_summary_fits_the_first_screen(browser_result: dict[str, Any]) -> None:
    page = browser_result["page"]
    assert page["summaryEnd"] <= SCREEN_HEIGHT, page["summaryEnd"]
    assert "40 parents and carers gave evidence" in page["summaryText"]
