"""False alarms and recall of the safeguarding check, per language, on the dev and blind sets.

    python -m bench.safeguarding_eval                # table: per language, dev and blind
    python -m bench.safeguarding_eval --json         # the same as JSON
    python -m bench.safeguarding_eval --errors       # ids of dev items it gets wrong (never blind ones)
    python -m bench.safeguarding_eval --blind4       # also blind set 4 (written by others; per language x/22, y/6)
    python -m bench.safeguarding_eval --blind5       # also blind set 5 (written by others; per language x/25, y/6)
    python -m bench.safeguarding_eval --blind6       # also blind set 6 (written by others; per language x/25, y/6)
    python -m bench.safeguarding_eval --blind7       # also blind set 7 (written by others; per language x/25, y/6)
    python -m bench.safeguarding_eval --blind8       # also blind set 8 (written by others; per language x/25, y/6)
    python -m bench.safeguarding_eval --blind9       # also blind set 9 (written by others; per language x/25, y/6)

Sets: `tests/data/safeguarding_ordinary.jsonl` (ordinary answers: any alarm is a false alarm) and
`tests/data/safeguarding_risk.jsonl` (risk statements: each must raise the alarm). Each item has a `split`,
`dev` or `blind`; the blind part is for measuring only, so `--errors` never lists it. With `--blind4`,
`tests/data/safeguarding_blind4.jsonl` is measured too (split `blind4`, 22 ordinary answers and 6 risk
statements a language; `kind` is "ordinary" or the kind of risk; written by other people who never saw the
method, committed unchanged before it was first run).

Three detectors are measured:
- `lexicon`: `is_safeguarding(text, language, semantic=False)` (phrases only, no model);
- `help`: `is_safeguarding(text, language)`, i.e. `safeguarding_tier` is CONFIDENT (the crisis message at once);
- `flag`: `"safeguarding" in classify(text, language).flags` (the flag counted in reports).

And the two tiers of reply (issue 9 point 3), per split and language (`tier_table`): the crisis message on
ordinary answers, the calm line ("If you or your child are not safe right now, help is here.") on ordinary
answers, risk statements caught by the crisis message, and caught by either tier.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.themes.flags import is_safeguarding, safeguarding_tier
from bot.themes.risk_model import RiskTier

__all__ = [
    "BLIND_SETS",
    "DETECTORS",
    "LANGUAGES",
    "ORDINARY_SET",
    "RISK_SET",
    "Cell",
    "Item",
    "TierCell",
    "load_items",
    "measure",
    "tier_table",
]

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
ORDINARY_SET = DATA / "safeguarding_ordinary.jsonl"
RISK_SET = DATA / "safeguarding_risk.jsonl"
#: Blind sets written by others, each measured with `--blindN` (split name `blindN`).
BLIND_SETS = {f"blind{n}": DATA / f"safeguarding_blind{n}.jsonl" for n in range(4, 10)}
LANGUAGES = ("en", "pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu", "so", "uk", "tr", "fa", "ps", "lt",
             "sk", "zh", "fr", "it")
SPLITS = ("dev", "blind")
DETECTORS = ("lexicon", "help", "flag")


@dataclass(frozen=True)
class Item:
    id: str
    language: str
    split: str
    text: str
    risk: bool


def load_items(path: Path, *, risk: bool | None) -> list[Item]:
    """Items of one set; `risk=None` reads each line's `kind` ("ordinary", else a kind of risk)."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            is_risk = row["kind"] != "ordinary" if risk is None else risk
            items.append(Item(str(row["id"]), str(row["language"]), str(row["split"]), str(row["text"]), is_risk))
    return items


@dataclass
class Cell:
    """One language in one split: alarms raised on ordinary answers and on risk statements."""

    ordinary: int = 0
    false_alarms: int = 0
    risk: int = 0
    caught: int = 0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.ordinary if self.ordinary else 0.0

    @property
    def recall(self) -> float:
        return self.caught / self.risk if self.risk else 1.0

    def as_dict(self) -> dict[str, object]:
        return {
            "ordinary": self.ordinary,
            "false_alarms": self.false_alarms,
            "false_alarm_rate": round(self.false_alarm_rate, 4),
            "risk": self.risk,
            "caught": self.caught,
            "recall": round(self.recall, 4),
        }


@dataclass
class TierCell:
    """One language in one split: which tier of reply ordinary answers and risk statements got."""

    ordinary: int = 0
    crisis_on_ordinary: int = 0
    calm_on_ordinary: int = 0
    risk: int = 0
    crisis_caught: int = 0
    either_caught: int = 0

    def add(self, risk: bool, tier: RiskTier) -> None:
        if risk:
            self.risk += 1
            self.crisis_caught += tier is RiskTier.CONFIDENT
            self.either_caught += tier is not RiskTier.NONE
        else:
            self.ordinary += 1
            self.crisis_on_ordinary += tier is RiskTier.CONFIDENT
            self.calm_on_ordinary += tier is RiskTier.POSSIBLE

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def tier_table(items: Sequence[Item], tiers: Callable[[Item], RiskTier]) -> dict[str, dict[str, TierCell]]:
    """{split: {language: TierCell}} over the items."""
    table: dict[str, dict[str, TierCell]] = {}
    for item in items:
        table.setdefault(item.split, {lang: TierCell() for lang in LANGUAGES}).setdefault(
            item.language, TierCell()).add(item.risk, tiers(item))
    return table


def _tiers() -> Callable[[Item], RiskTier]:
    """`safeguarding_tier` of each item, computed once (the `help` detector and the tier table share it)."""
    memo: dict[tuple[str, str], RiskTier] = {}

    def tier(item: Item) -> RiskTier:
        key = (item.id, item.split)
        if key not in memo:
            memo[key] = safeguarding_tier(item.text, item.language)
        return memo[key]

    return tier


def _detector(name: str, items: Sequence[Item], tiers: Callable[[Item], RiskTier]) -> Callable[[Item], bool]:
    if name == "lexicon":
        return lambda item: is_safeguarding(item.text, item.language, semantic=False)
    if name == "help":
        return lambda item: tiers(item) is RiskTier.CONFIDENT
    if name == "flag":
        from bot.themes.classifier import classify_many

        results = classify_many([i.text for i in items], [i.language for i in items])
        raised = {i.id for i, r in zip(items, results, strict=True) if "safeguarding" in r.flags}
        return lambda item: item.id in raised
    raise ValueError(f"unknown detector {name!r}")


def measure(
    detectors: Sequence[str] = DETECTORS,
    ordinary: Path = ORDINARY_SET,
    risk: Path = RISK_SET,
    extra: Sequence[Path] = (),
) -> dict[str, object]:
    """{detector: {split: {language: Cell}}, "errors": {detector: [(id, split)]}, "tiers": {split: {language:
    TierCell}}} over the sets.

    `extra` sets carry `kind` per line ("ordinary" or a kind of risk) and their own split name (`blind4`).
    """
    items = load_items(ordinary, risk=False) + load_items(risk, risk=True)
    for path in extra:
        items += load_items(path, risk=None)
    splits = list(dict.fromkeys([*SPLITS, *(i.split for i in items)]))
    out: dict[str, object] = {}
    errors: dict[str, list[tuple[str, str]]] = {}
    tiers = _tiers()
    for name in detectors:
        raised = _detector(name, items, tiers)
        table: dict[str, dict[str, Cell]] = {s: {lang: Cell() for lang in LANGUAGES} for s in splits}
        wrong: list[tuple[str, str]] = []
        for item in items:
            cell = table[item.split].setdefault(item.language, Cell())
            hit = raised(item)
            if item.risk:
                cell.risk += 1
                cell.caught += hit
            else:
                cell.ordinary += 1
                cell.false_alarms += hit
            if hit != item.risk:
                wrong.append((item.id, item.split))
        out[name] = table
        errors[name] = wrong
    out["errors"] = errors
    out["tiers"] = tier_table(items, tiers)
    return out


def _total(cells: dict[str, Cell]) -> Cell:
    total = Cell()
    for c in cells.values():
        total.ordinary += c.ordinary
        total.false_alarms += c.false_alarms
        total.risk += c.risk
        total.caught += c.caught
    return total


def _fmt(cell: Cell) -> str:
    return f"{cell.false_alarm_rate * 100:5.1f}% ({cell.false_alarms}/{cell.ordinary}) {cell.recall * 100:5.1f}% ({cell.caught}/{cell.risk})"


def _print_table(result: dict[str, object], detectors: Sequence[str]) -> None:
    print("per language: false alarms on ordinary answers (n), recall on risk statements (n)")
    header = f"{'lang':5}" + "".join(f" | {name + ' ' + split:^31}" for name in detectors for split in SPLITS)
    print(header)
    print("-" * len(header))
    for lang in (*LANGUAGES, "all"):
        row = f"{lang:5}"
        for name in detectors:
            table = result[name]
            assert isinstance(table, dict)
            for split in SPLITS:
                cells = table[split]
                row += f" | {_fmt(_total(cells) if lang == 'all' else cells[lang]):>31}"
        print(row)


def _print_split(result: dict[str, object], detectors: Sequence[str], split: str) -> None:
    """One split, per language: false alarms x/n and risk caught y/m for each detector."""
    print(f"\n{split}: per language, false alarms on ordinary answers and risk statements caught")
    print(f"{'lang':5}" + "".join(f" | {name + ' FA':>11} | {name + ' caught':>14}" for name in detectors))
    for lang in (*LANGUAGES, "all"):
        row = f"{lang:5}"
        for name in detectors:
            table = result[name]
            assert isinstance(table, dict)
            cells = table[split]
            c = _total(cells) if lang == "all" else cells[lang]
            row += f" | {f'{c.false_alarms}/{c.ordinary}':>11} | {f'{c.caught}/{c.risk}':>14}"
        print(row)


def _print_tiers(result: dict[str, object], split: str) -> None:
    """One split, per language: the two tiers of reply (issue 9 point 3)."""
    tables = result["tiers"]
    assert isinstance(tables, dict)
    cells: dict[str, TierCell] = tables[split]
    print(f"\n{split}: two tiers of reply, per language")
    print(f"{'lang':5} | {'crisis msg on ordinary':>22} | {'calm line on ordinary':>21} | {'risk caught by crisis':>21} | "
          f"{'risk caught by either':>21}")
    total = TierCell()
    for lang in (*LANGUAGES, "all"):
        c = total if lang == "all" else cells.get(lang, TierCell())
        if lang != "all":
            for key, value in c.as_dict().items():
                setattr(total, key, getattr(total, key) + value)
        print(f"{lang:5} | {f'{c.crisis_on_ordinary}/{c.ordinary}':>22} | {f'{c.calm_on_ordinary}/{c.ordinary}':>21} | "
              f"{f'{c.crisis_caught}/{c.risk}':>21} | {f'{c.either_caught}/{c.risk}':>21}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.safeguarding_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--detectors", default=",".join(DETECTORS), help=f"comma-separated, of {DETECTORS}")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--errors", action="store_true", help="list dev ids each detector gets wrong")
    for split, path in BLIND_SETS.items():
        parser.add_argument(f"--{split}", action="store_true", help=f"also measure {path.name}")
    args = parser.parse_args(argv)
    detectors = [d for d in args.detectors.split(",") if d]
    wanted = [split for split in BLIND_SETS if getattr(args, split)]
    extra = tuple(BLIND_SETS[split] for split in wanted)
    result = measure(detectors, extra=extra)
    if args.json:
        payload = {
            name: {s: {lang: c.as_dict() for lang, c in cells.items()} for s, cells in result[name].items()}  # type: ignore[union-attr]
            for name in (*detectors, "tiers")
        }
        json.dump(payload, sys.stdout, indent=1)
        print()
    else:
        _print_table(result, detectors)
        for split in SPLITS:
            _print_tiers(result, split)
        for split in wanted:
            _print_split(result, detectors, split)
            _print_tiers(result, split)
    if args.errors:
        errors = result["errors"]
        assert isinstance(errors, dict)
        for name in detectors:
            dev = [i for i, split in errors[name] if split == "dev"]
            print(f"{name}: {len(dev)} dev errors: {' '.join(dev)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
