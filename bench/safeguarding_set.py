"""False alarms and risk caught by `is_safeguarding` on one labelled set, per language.

It uses only `bot.themes.flags.is_safeguarding`, which every version of the bot has, so it can measure an
older checkout on a newer set: run it by path with that checkout first on the import path, e.g.

    git worktree add /tmp/round1 5e0236f
    PYTHONPATH=/tmp/round1 python bench/safeguarding_set.py --data tests/data/safeguarding_blind4.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="JSON lines with language, kind and text")
    args = parser.parse_args(argv)

    import bot
    from bot.themes.flags import is_safeguarding

    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    ordinary, alarms, risk, caught = Counter(), Counter(), Counter(), Counter()
    for row in rows:
        hit = is_safeguarding(row["text"], row["language"])
        if row["kind"] == "ordinary":
            ordinary[row["language"]] += 1
            alarms[row["language"]] += hit
        else:
            risk[row["language"]] += 1
            caught[row["language"]] += hit
    print(f"bot from {Path(bot.__file__).parent}, set {args.data}")
    print("| lang | false alarms | caught |\n|---|---|---|")
    for lang in dict.fromkeys(row["language"] for row in rows):
        print(f"| {lang} | {alarms[lang]}/{ordinary[lang]} | {caught[lang]}/{risk[lang]} |")
    print(f"| **all** | {sum(alarms.values())}/{sum(ordinary.values())} | {sum(caught.values())}/{sum(risk.values())} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
