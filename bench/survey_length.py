"""How long the survey takes: median questions, taps and minutes over typical paths through the engine.

    python -m bench.survey_length [--questionnaire area_send]

The bot tells parents these figures at the start (bot/survey/length.py has the walk and the assumptions).
"""

from __future__ import annotations

import argparse
import collections

from bot.survey import length
from bot.survey.model import DEFAULT_QUESTIONNAIRE, load_questionnaire


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questionnaire", default=DEFAULT_QUESTIONNAIRE)
    args = parser.parse_args(argv)
    q = load_questionnaire(args.questionnaire)
    measured = length.measure(q)
    print(f"questionnaire {q.id} v{q.version}: {len(measured.paths)} paths "
          f"(every combination of answers to the questions skip logic depends on)")
    print(f"assumptions: {length.SECONDS_PER_TAP:g} s a tap (read and tap), {length.SECONDS_PER_TEXT:g} s a typed "
          f"answer, {length.MULTI_TICKS} ticks + Done for 'choose all', {length.THEME_STEP_TAPS} taps a theme step")
    print("| questions shown | taps | typed answers | minutes | paths |")
    print("|---:|---:|---:|---:|---:|")
    counts = collections.Counter((p.questions, p.taps, p.texts, round(p.seconds / 60, 1)) for p in measured.paths)
    for (questions, taps, texts, minutes), n in sorted(counts.items()):
        print(f"| {questions} | {taps} | {texts} | {minutes} | {n} |")
    print(f"median: {measured.questions} questions, {measured.taps} taps, about {measured.minutes} minutes "
          f"(rounded up)")


if __name__ == "__main__":
    main()
