"""The end of `parentvoice demo --script`: more simulated families, then the summary an inspector gets.

A single response would be suppressed (nothing is shown under 10), so the demo adds families who answer
through the same stand-in, in five languages, before printing the inspector's summary.
"""

from __future__ import annotations

import random
from typing import Any

from bot.i18n.catalog import translator
from bot.reports.render_text import render_text
from bot.services.report import report_for
from bot.standin.user import plain
from bot.storage.db import Database

FAMILIES = 14
STORIES = {
    "en": "We waited over a year for the EHC plan and the school still cannot meet his needs.",
    "pl": "Czekaliśmy ponad rok na plan EHC, a szkoła nadal nie zapewnia pomocy.",
    "ur": "ہم نے EHC پلان کے لیے ایک سال سے زیادہ انتظار کیا اور اسکول اب بھی مدد نہیں کرتا۔",
    "ar": "انتظرنا أكثر من سنة لخطة EHC والمدرسة ما زالت لا تلبي احتياجاته.",
    "ro": "Am așteptat peste un an pentru planul EHC și școala tot nu îl ajută.",
}


async def simulated_family(run: Any, user_id: int, code: str, rng: random.Random) -> None:
    parent = run.user(user_id, code)
    await parent.send(f"/start {run.inspection.id}")
    await parent.press_callback(f"lang:{code}")
    await parent.press_callback("consent:yes")
    presses = [
        ("pick", "respondent", "parent_carer"), ("pick", "age_band", rng.choice(["5_to_10", "11_to_13"])),
        ("pick", "support", rng.choice(["ehc_plan", "assessment_requested", "sen_support"])),
        ("pick", "setting", rng.choice(["mainstream", "special_school"])),
    ]
    for kind, q, c in presses:
        await parent.press_callback(f"{kind}:{q}:{c}")
    while "submit" not in [b.get("callback_data") for b in parent.buttons()]:
        data = [b.get("callback_data", "") for b in parent.buttons()]
        question = next((d.split(":")[1] for d in data if d.startswith(("pick:", "tog:", "skip:"))), None)
        if question in ("worked_well", "inspectors_should_know") and "skip:" + question in data:
            if question == "inspectors_should_know":
                await parent.send(STORIES[code])
                if any(d.startswith("thok:") for d in [b.get("callback_data", "") for b in parent.buttons()]):
                    await parent.press_callback(f"thok:{question}")
            else:
                await parent.press_callback(f"skip:{question}")
        elif any(d.startswith("tog:") for d in data):
            await parent.press_callback(rng.choice([d for d in data if d.startswith("tog:")]))
            await parent.press_callback(f"done:{question}")
        elif any(d.startswith("pick:") for d in data):
            picks = [d for d in data if d.startswith("pick:")]
            await parent.press_callback("pick:quote_ok:yes" if question == "quote_ok" else rng.choice(picks[:3]))
        else:
            break
    await parent.press_callback("submit")


async def print_summary(run: Any) -> None:
    rng = random.Random(7)
    codes = list(STORIES)
    for n in range(FAMILIES):
        await simulated_family(run, 900_000 + getattr(run, "user_offset", 0) + n, codes[n % len(codes)], rng)
    db = await Database.open(run.db_path)
    try:
        report = await report_for(db, run.inspection.id)
    finally:
        await db.close()
    print("=" * 72)
    print(f"The inspector's summary (/summary), after {FAMILIES} more simulated families in "
          f"{len(codes)} languages:")
    print("=" * 72)
    print(plain(render_text(report, translator("en"))))
