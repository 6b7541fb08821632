"""Quality gate for the safeguarding check: false alarms and recall per language on the dev and blind sets.

The figures are measured by `python -m bench.safeguarding_eval` (docs/themes.md). Since issue 9 round two
both splits are training data of the risk model (bench/safeguarding_train.py), so these are in-sample
guards against regressions, not estimates; the honest figures are cross-validation and blind set 4
(`python -m bench.safeguarding_eval --blind4`, too slow for the suite). Floors are the measured figures:
every risk statement caught, in every language and both splits; false alarms per language at most as
measured (one English dev answer: "drowning in paperwork", see docs/themes.md).
"""

from __future__ import annotations

import pytest

from bench.safeguarding_eval import LANGUAGES, ORDINARY_SET, RISK_SET, Cell, load_items, measure

# False alarms measured after issue 9 round two (16 dev / 8 blind ordinary answers a language); others: 0.
DEV_FALSE_ALARMS_AT_MOST = {"help": {"en": 1}, "flag": {"en": 1}}
BLIND_FALSE_ALARMS_AT_MOST = {"help": {"tr": 1, "it": 1}, "flag": {"tr": 1, "it": 1}}


@pytest.fixture(scope="module")
def result() -> dict[str, object]:
    return measure(("help", "flag"))


def test_the_sets_cover_every_language_in_both_splits() -> None:
    ordinary = load_items(ORDINARY_SET, risk=False)
    risk = load_items(RISK_SET, risk=True)
    for lang in LANGUAGES:
        assert sum(i.language == lang for i in ordinary) >= 20, lang
        assert sum(i.language == lang for i in risk) >= 5, lang
        for split in ("dev", "blind"):
            assert any(i.language == lang and i.split == split for i in ordinary), (lang, split)
            assert any(i.language == lang and i.split == split for i in risk), (lang, split)


@pytest.mark.parametrize("detector", ["help", "flag"])
def test_every_risk_statement_is_caught_in_every_language(result, detector: str) -> None:
    table = result[detector]
    missed = {(split, lang): c.risk - c.caught for split, cells in table.items() for lang, c in cells.items()
              if c.caught < c.risk}
    assert not missed, missed


@pytest.mark.parametrize("detector", ["help", "flag"])
def test_dev_false_alarms_stay_at_most_as_measured(result, detector: str) -> None:
    cells: dict[str, Cell] = result[detector]["dev"]
    ceiling = DEV_FALSE_ALARMS_AT_MOST[detector]
    over = {lang: c.false_alarms for lang, c in cells.items() if c.false_alarms > ceiling.get(lang, 0)}
    assert not over, over


@pytest.mark.parametrize("detector", ["help", "flag"])
def test_blind_false_alarms_stay_at_most_as_measured(result, detector: str) -> None:
    cells: dict[str, Cell] = result[detector]["blind"]
    ceiling = BLIND_FALSE_ALARMS_AT_MOST[detector]
    over = {lang: c.false_alarms for lang, c in cells.items() if c.false_alarms > ceiling.get(lang, 0)}
    assert not over, over
