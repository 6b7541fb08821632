"""The 153 local areas and typo-tolerant matching (bot/areas.py)."""

from __future__ import annotations

import re

import pytest

from bot.areas import all_areas, by_code, match, normalise, resolve, skeleton


def _names(results: list) -> list[str]:
    return [area.name for area, _score in results]


def test_data_has_153_areas_with_valid_codes() -> None:
    areas = all_areas()
    assert len(areas) == 153
    assert len({area.code for area in areas}) == 153
    assert all(re.fullmatch(r"E(06|08|09|10)\d{6}", area.code) for area in areas)
    types = {area.type for area in areas}
    assert types == {"county", "metropolitan_borough", "london_borough", "city_of_london", "unitary"}
    assert sum(area.region == "London" for area in areas) == 33
    assert all_areas() is areas  # loaded once


def test_every_name_and_alias_resolves_to_its_own_area() -> None:
    for area in all_areas():
        for label in (area.name, *area.aliases):
            assert resolve(label) == area, label
            assert resolve(label.upper()) == area, label
            assert match(label)[0] == (area, 100.0), label


def test_every_code_resolves() -> None:
    for area in all_areas():
        assert by_code(area.code) == area
        assert by_code(area.code.lower()) == area
        assert resolve(area.code) == area
        assert resolve(f" {area.code.lower()} ") == area


def test_old_codes_map_to_successors() -> None:
    assert by_code("E08000016").name == "Barnsley"
    assert by_code("E08000016").code == "E08000038"
    assert by_code("E08000019").name == "Sheffield"
    assert by_code("E08000019").code == "E08000039"
    assert resolve("E08000019").name == "Sheffield"
    assert by_code("E99999999") is None
    assert by_code("") is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Birmingam", "Birmingham"),
        ("manchster", "Manchester"),
        ("Kingston upon hul", "Kingston upon Hull"),
        ("stoke", "Stoke-on-Trent"),
        ("BCP", "Bournemouth, Christchurch and Poole"),
        ("herts", "Hertfordshire"),
        ("Brighton", "Brighton and Hove"),
        ("East Sussex County Council", "East Sussex"),
        ("city of london", "City of London"),
        ("isle of wight", "Isle of Wight"),
        ("ISLE OF WIGHT COUNCIL", "Isle of Wight"),
        ("leeds city council", "Leeds"),
        ("Hammersmith & Fulham council", "Hammersmith and Fulham"),
        ("hammersmith and fulham", "Hammersmith and Fulham"),
        ("royal borough of greenwich", "Greenwich"),
        ("Londn borough of Barnet", "Barnet"),
        ("saint helens", "St Helens"),
        ("St. Helens", "St Helens"),
        ("middlesborough", "Middlesbrough"),
        ("Westmoreland", "Westmorland and Furness"),
        ("south glos", "South Gloucestershire"),
        ("Gloucester", "Gloucestershire"),
        ("Lincoln", "Lincolnshire"),
        ("I live in Leeds", "Leeds"),
        ("Mańczester", "Manchester"),
        ("Stoke-on-Trent City Council", "Stoke-on-Trent"),
    ],
)
def test_common_typos_and_forms_resolve(typed: str, expected: str) -> None:
    area = resolve(typed)
    assert area is not None, typed
    assert area.name == expected
    assert _names(match(typed))[0] == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Бірмінгем", "Birmingham"),  # Ukrainian spellings of English names
        ("Манчестер", "Manchester"),
        ("Ліверпуль", "Liverpool"),
        ("Шеффілд", "Sheffield"),
        ("Лідс", "Leeds"),
        ("Лестер", "Leicester"),
        ("Ноттінгем", "Nottingham"),
        ("Гемпшир", "Hampshire"),
        ("Глостершир", "Gloucestershire"),
        ("Суррей", "Surrey"),
    ],
)
def test_cyrillic_spellings_resolve(typed: str, expected: str) -> None:
    area = resolve(typed)
    assert area is not None, typed
    assert area.name == expected


@pytest.mark.parametrize(
    ("typed", "both"),
    [
        ("Kingston", {"Kingston upon Thames", "Kingston upon Hull"}),
        ("Northampton", {"North Northamptonshire", "West Northamptonshire"}),
        ("Sussex", {"East Sussex", "West Sussex"}),
        ("cheshire", {"Cheshire East", "Cheshire West and Chester"}),
        ("tyneside", {"North Tyneside", "South Tyneside"}),
        ("Cumbria", {"Cumberland", "Westmorland and Furness"}),  # split in 2023
        ("Northamptonshire County Council", {"North Northamptonshire", "West Northamptonshire"}),
    ],
)
def test_ambiguous_input_is_not_resolved_but_offered(typed: str, both: set[str]) -> None:
    assert resolve(typed) is None
    assert both <= set(_names(match(typed, limit=3)))


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "asdfgh",
        "qwerty",
        "12345",
        "hello",
        "I don't know",
        "yes",
        "ok",
        "council",
        "the",
        "London",  # 33 areas: no single one is plausible enough
        "Scotland",
        "Cardiff",
        "Canterbury",  # a town in Kent, and not "Bury"
        "Shrewsbury",
        "برمنگھم",  # Arabic script is not transliterated: the bot asks again
        "👍",
    ],
)
def test_garbage_gives_nothing(typed: str) -> None:
    assert match(typed) == []
    assert resolve(typed) is None


def test_match_is_best_first_limited_and_one_entry_per_area() -> None:
    results = match("Notingham", limit=5)
    assert results[0][0].name == "Nottingham"
    scores = [score for _area, score in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 100 for score in scores)
    assert len({area.code for area, _ in results}) == len(results)
    assert len(match("Kingston", limit=1)) == 1
    assert match("Kingston", limit=0) == []


def test_long_text_is_handled() -> None:
    found = resolve("Birmingham " + "x" * 5000)  # only the first MAX_QUERY characters are read
    assert found is not None
    assert found.name == "Birmingham"
    assert match("blah " * 2000) == []


def test_exact_beats_fuzzy_neighbours() -> None:
    assert resolve("Leicester").name == "Leicester"
    assert resolve("Leicestershire").name == "Leicestershire"
    assert resolve("Derby").name == "Derby"
    assert resolve("Hull").name == "Kingston upon Hull"  # not Solihull
    assert resolve("Herefordshire").name == "Herefordshire"  # not Hertfordshire


def test_normalise_and_skeleton() -> None:
    assert normalise("  Brighton &  Hove, City-Council! ") == "brighton and hove city council"
    assert normalise("Łódź Ñandú") == "lodz nandu"
    assert normalise("Манчестер") == "manchester"
    assert skeleton(normalise("Бірмінгем")) == skeleton("birmingham")
    assert skeleton("lester") == skeleton("leicester")
    assert skeleton("gloucestershire") != skeleton("leicestershire")


def _single_typos(word: str) -> list[str]:
    """Every one-letter slip inside a word: a letter dropped, two swapped, one doubled."""
    typos = []
    for i in range(1, len(word) - 1):
        typos.append(word[:i] + word[i + 1 :])
        typos.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        typos.append(word[:i] + word[i] + word[i:])
    return [typo for typo in typos if typo.casefold() != word.casefold()]


def test_single_typos_in_names_resolve_right_or_not_at_all() -> None:
    right = wrong = total = 0
    for area in all_areas():
        if len(area.name) < 6:
            continue
        for typo in _single_typos(area.name):
            total += 1
            found = resolve(typo)
            right += found == area
            wrong += found is not None and found != area
    assert total > 2000
    assert wrong / total <= 0.002  # a wrong area is worse than asking again
    assert right / total >= 0.9
