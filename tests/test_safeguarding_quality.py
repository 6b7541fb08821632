"""Quality gate for the safeguarding check: false alarms and recall per language on the dev and blind sets.

The figures are measured by `python -m bench.safeguarding_eval` (docs/themes.md). Since issue 9 round two
both splits are training data of the risk model (bench/safeguarding_train.py), so these are in-sample
guards against regressions, not estimates; the honest figures are cross-validation and blind set 4
(`python -m bench.safeguarding_eval --blind4`, too slow for the suite). Floors are the measured figures:
every risk statement caught, in every language and both splits (by the crisis message, and so by either
tier); crisis messages and calm lines on ordinary answers per language at most as measured (issue 9 point 3:
no crisis message, one calm line on a Slovak dev answer).
"""

from __future__ import annotations

import pytest

from bench.safeguarding_eval import LANGUAGES, ORDINARY_SET, RISK_SET, Cell, load_items, measure

# False alarms (the crisis message; the counted flag) measured after issue 9 point 3's two tiers (16 dev / 8
# blind ordinary answers a language): none. Calm lines on ordinary answers: one Slovak dev answer; since round
# four (retrained with blind sets 4 and 5) also one Bengali and one Chinese answer of the old blind split; since
# round five (and blind set 6) one Spanish answer of it instead; since round six (blind set 7 trains, risk
# sentences, 2,454 more cue words) the Spanish one and again the Bengali and Chinese ones.
DEV_FALSE_ALARMS_AT_MOST: dict[str, dict[str, int]] = {"help": {}, "flag": {}}
BLIND_FALSE_ALARMS_AT_MOST: dict[str, dict[str, int]] = {"help": {}, "flag": {}}
CALM_LINES_AT_MOST = {"dev": {"sk": 1}, "blind": {"es": 1, "bn": 1, "zh": 1}}


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


def test_every_risk_statement_gets_the_crisis_message_or_the_calm_line(result) -> None:
    tiers = result["tiers"]
    missed = {(split, lang): c.risk - c.either_caught for split in ("dev", "blind")
              for lang, c in tiers[split].items() if c.either_caught < c.risk}
    assert not missed, missed


@pytest.mark.parametrize("split", ["dev", "blind"])
def test_calm_lines_on_ordinary_answers_stay_at_most_as_measured(result, split: str) -> None:
    cells = result["tiers"][split]
    ceiling = CALM_LINES_AT_MOST[split]
    over = {lang: c.calm_on_ordinary for lang, c in cells.items() if c.calm_on_ordinary > ceiling.get(lang, 0)}
    assert not over, over
