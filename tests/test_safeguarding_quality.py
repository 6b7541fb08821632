"""Quality gate for the safeguarding check: false alarms and recall per language on the dev and blind sets.

The figures are measured by `python -m bench.safeguarding_eval` (docs/themes.md). Floors are the measured
figures: every risk statement caught, in every language and both splits; on the dev set no language above
the 2% target (none has a false alarm); on the blind set no language above its measured false alarms.
"""

from __future__ import annotations

import pytest

from bench.safeguarding_eval import LANGUAGES, ORDINARY_SET, RISK_SET, Cell, load_items, measure

# Blind false alarms measured after the fix (of 8 ordinary answers a language); languages not named: 0.
BLIND_FALSE_ALARMS_AT_MOST = {
    "help": {"ro": 1, "pt": 1, "es": 1, "ar": 1, "bn": 2, "so": 1, "uk": 1, "tr": 2, "ps": 1, "zh": 2, "fr": 1, "it": 1},
    "flag": {"ro": 1, "pt": 1, "es": 1, "ar": 1, "bn": 1, "so": 1, "uk": 1, "tr": 2, "ps": 1, "zh": 1, "fr": 1},
}


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
def test_no_false_alarm_on_ordinary_dev_answers(result, detector: str) -> None:
    cells: dict[str, Cell] = result[detector]["dev"]
    over = {lang: c.false_alarms for lang, c in cells.items() if c.false_alarm_rate > 0.02}
    assert not over, over


@pytest.mark.parametrize("detector", ["help", "flag"])
def test_blind_false_alarms_stay_at_most_as_measured(result, detector: str) -> None:
    cells: dict[str, Cell] = result[detector]["blind"]
    ceiling = BLIND_FALSE_ALARMS_AT_MOST[detector]
    over = {lang: c.false_alarms for lang, c in cells.items() if c.false_alarms > ceiling.get(lang, 0)}
    assert not over, over
