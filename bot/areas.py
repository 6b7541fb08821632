"""The 153 local area SEND partnerships in England, and finding one from what a parent types.

Parents type their council's English name from memory, on a phone, often in a second language:
"Birmingam", "manchster", "Herts", "Brighton & Hove City Council", "Лестер". Matching therefore
forgives case, accents, punctuation, "&"/"and", the words council/borough/city of, typos and Cyrillic
spelling, and it refuses to guess when two areas fit equally well ("Kingston": upon Hull or upon
Thames?), so the bot can show buttons instead. Data: bot/data/local_areas.csv (see
/work/shared/data/local_areas.md for sources). Background: docs/areas.md.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz

DATA_FILE = Path(__file__).resolve().parent / "data" / "local_areas.csv"

# Codes retired on 1 April 2025 (boundary change) that older data, possibly Ofsted's, still uses.
OLD_CODES = {"E08000016": "E08000038", "E08000019": "E08000039"}  # Barnsley, Sheffield

# Former councils split in two: a parent may still say "Cumbria"; offer both successors, resolve neither.
SPLIT_AREAS = {
    "cumbria": ("E06000063", "E06000064"),  # Cumberland; Westmorland and Furness (2023)
    "northamptonshire": ("E06000061", "E06000062"),  # North and West Northamptonshire (2021)
    "northants": ("E06000061", "E06000062"),
}

MATCH_CUTOFF = 80.0  # below this a candidate is not worth showing
RESOLVE_MIN = 86.0  # a fuzzy best match must reach this to be taken without asking
RESOLVE_MARGIN = 6.0  # ... and beat the next area by this much
PREFIX_SCORE = 96.0  # "Gloucester" starts "Gloucestershire" but only sits inside "South Gloucestershire"
MAX_QUERY = 200  # the longest council name is under 60 characters; a pasted essay is cut, not scored


@dataclass(frozen=True)
class Area:
    """One local area partnership (an upper-tier council's area)."""

    code: str  # ONS/GSS code, e.g. E08000025
    name: str
    type: str  # county, metropolitan_borough, london_borough, city_of_london, unitary
    region: str
    aliases: tuple[str, ...]


@cache
def all_areas() -> tuple[Area, ...]:
    """Every area, read once from the CSV."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Area(
                code=row["ons_code"].strip(),
                name=row["name"].strip(),
                type=row["type"].strip(),
                region=row["region"].strip(),
                aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
            )
            for row in csv.DictReader(handle)
        )


@cache
def _by_code() -> dict[str, Area]:
    return {area.code: area for area in all_areas()}


def by_code(code: str) -> Area | None:
    """The area with this ONS code (old Barnsley and Sheffield codes included), else None."""
    key = re.sub(r"\s+", "", code or "").upper()
    return _by_code().get(OLD_CODES.get(key, key))


# --- normalising what people type ----------------------------------------------------------------

# Letters NFKD does not take apart, and Cyrillic spelled the way Ukrainian and Russian speakers write
# English place names (Г stands for both G and H; "Бірмінгем", "Манчестер", "Гемпшир").
_LETTERS = str.maketrans(
    {
        "ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d",
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "e",
        "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "y", "к": "k", "л": "l", "м": "m",
        "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h",
        "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
        "ю": "iu", "я": "ia", "’": "", "'": "",
    }
)  # fmt: skip

# Words that say what kind of body it is, not which: "Leeds City Council" and "Leeds" are one area.
_NOISE = frozenset(
    "council borough metropolitan district county city of the royal london corporation "
    "authority local unitary md mbc cc lb rb".split()
)
# Left when the noise goes, but far too vague to stand for one area.
_TOO_VAGUE = frozenset({"", "london", "north", "south", "east", "west", "upon", "and"})


def normalise(text: str) -> str:
    """Lower case ASCII words: accents dropped, Cyrillic transliterated, "&" read as "and"."""
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_QUERY]).casefold().translate(_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"\bsaint\b", "st", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def core(normalised: str) -> str:
    """The distinctive words: "royal borough of greenwich" -> "greenwich"."""
    return " ".join(word for word in normalised.split() if word not in _NOISE)


_SOFT_C = re.compile(r"c(?=[eiy])")
_SILENT = re.compile(r"[aeiouyhg]")


def skeleton(normalised: str) -> str:
    """A rough sound-alike key: "birmingem" and "birmingham" -> "brmnm", "lester" and "leicester" -> "lstr".

    For names spelled by ear, mostly from Cyrillic. After the first letter, vowels, h and g are dropped
    (Cyrillic writes English h and g both as Г, and "gh" is often silent); a soft c is s and a hard one
    k; w is v; doubled letters collapse. A first g or h is kept, as h: "hlstrsr" is Gloucestershire.
    """
    text = normalised.replace(" ", "").replace("ch", "c").replace("sh", "s").replace("ph", "f")
    text = _SOFT_C.sub("s", text).replace("c", "k").replace("q", "k").replace("w", "v").replace("ts", "s")
    if not text:
        return ""
    first = "h" if text[0] in "gh" else ("a" if text[0] in "aeiouy" else text[0])
    return re.sub(r"(.)\1+", r"\1", first + _SILENT.sub("", text[1:]))


# --- the index ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    text: str
    area: Area


@cache
def _exact_index() -> tuple[dict[str, Area], dict[str, Area]]:
    """Full normalised names and aliases, and their cores where a core names exactly one area."""
    full: dict[str, Area] = {}
    cores: dict[str, set[str]] = {}
    for area in all_areas():
        for label in (area.name, *area.aliases):
            key = normalise(label)
            full[key] = area
            cores.setdefault(core(key), set()).add(area.code)
    unique_cores = {
        key: _by_code()[next(iter(codes))]
        for key, codes in cores.items()
        if len(codes) == 1 and key not in _TOO_VAGUE
    }
    return full, unique_cores


@cache
def _abbreviations() -> dict[str, str]:
    """County short forms from the aliases ("glos" -> "gloucestershire"), to read "South Glos"."""
    found: dict[str, str] = {}
    for area in all_areas():
        name = normalise(area.name)
        for alias in area.aliases:
            short = normalise(alias)
            if " " not in name and " " not in short and len(short) < len(name) and short[0] == name[0]:
                found[short] = name
    return found


def _expand(words: str) -> str:
    table = _abbreviations()
    return " ".join(table.get(word, word) for word in words.split())


@cache
def _fuzzy_keys() -> tuple[tuple[_Key, ...], tuple[_Key, ...]]:
    """Cores of every name and alias; full forms only where the core is too vague ("city of london")."""
    cores: dict[tuple[str, str], _Key] = {}
    fulls: dict[tuple[str, str], _Key] = {}
    for area in all_areas():
        for label in (area.name, *area.aliases):
            full = normalise(label)
            distinct = core(full)
            if distinct in _TOO_VAGUE:
                fulls[(full, area.code)] = _Key(full, area)
            else:
                cores[(distinct, area.code)] = _Key(distinct, area)
    return tuple(cores.values()), tuple(fulls.values())


@cache
def _skeleton_keys() -> tuple[_Key, ...]:
    keys: dict[tuple[str, str], _Key] = {}
    for key in _fuzzy_keys()[0]:
        text = skeleton(key.text)
        if len(text) >= 3:
            keys[(text, key.area.code)] = _Key(text, key.area)
    return tuple(keys.values())


def _exact(query: str) -> Area | None:
    area = by_code(query)
    if area is not None:
        return area
    full, cores = _exact_index()
    normalised = normalise(query)
    distinct = core(normalised)
    return full.get(normalised) or cores.get(distinct) or cores.get(_expand(distinct))


def _has_non_latin_letters(text: str) -> bool:
    return any(c.isalpha() and not unicodedata.name(c, "").startswith("LATIN") for c in text[:MAX_QUERY])


def _on_word_edges(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is whole words, give or take a space at either end."""
    starts = start == 0 or text[start - 1] == " " or text[start] == " "
    ends = end >= len(text) or text[end] == " " or text[end - 1] == " "
    return starts and ends


def _pair_score(query: str, key: str) -> float:
    """How well a typed name fits one area name, 0-100.

    A short query may be part of a longer name ("Barking" in "Barking and Dagenham"), and a name that
    the query starts scores above one it only sits inside. A longer query may contain a name, but only
    as whole words: "I live in Leeds" is Leeds, "Canterbury" is not Bury.
    """
    if len(query) <= len(key):
        score = fuzz.WRatio(query, key)
        if len(query) >= 5 and key.startswith(query):
            score = max(score, PREFIX_SCORE)
        return score
    score = fuzz.ratio(query, key)
    found = fuzz.partial_ratio_alignment(key, query)
    if found is not None and _on_word_edges(query, found.dest_start, found.dest_end):
        score = max(score, 0.9 * found.score)
    return score


def _fuzzy_scores(query: str) -> dict[str, float]:
    """Best score per area code."""
    normalised = normalise(query)
    distinct = core(normalised)
    if len(distinct.replace(" ", "")) < 3:
        return {}  # "st", "of the": nothing to go on
    queries = {distinct, _expand(distinct)}
    scores: dict[str, float] = {}

    def offer(code: str, score: float) -> None:
        if score > scores.get(code, 0.0):
            scores[code] = score

    core_keys, full_keys = _fuzzy_keys()
    for key in core_keys:
        for text in queries:
            offer(key.area.code, _pair_score(text, key.text))
    for key in full_keys:  # "city of london": its words are all generic, so compare letter by letter
        offer(key.area.code, fuzz.ratio(normalised, key.text))
    for former, codes in SPLIT_AREAS.items():
        likeness = max(fuzz.ratio(text, former) for text in queries)
        for code in codes:
            offer(code, 0.95 * likeness)
    sound = skeleton(distinct)
    if len(sound) >= 3:
        # Names spelled by ear (transliterated) are matched on sound more than on letters.
        weight = 0.95 if _has_non_latin_letters(query) else 0.9
        for key in _skeleton_keys():
            offer(key.area.code, weight * fuzz.ratio(sound, key.text))
    return scores


def match(query: str, limit: int = 3) -> list[tuple[Area, float]]:
    """Areas the parent may mean, best first, with a 0-100 score; [] when nothing is plausible."""
    if limit <= 0 or not (query or "").strip():
        return []
    exact = _exact(query)
    scores = _fuzzy_scores(query)
    if exact is not None:
        scores[exact.code] = 100.0
    ranked = sorted(
        ((code, score) for code, score in scores.items() if score >= MATCH_CUTOFF),
        key=lambda item: (-item[1], _by_code()[item[0]].name),
    )
    return [(_by_code()[code], round(score, 1)) for code, score in ranked[:limit]]


def resolve(query: str) -> Area | None:
    """The one area the parent clearly means (exact name, alias or code, or a clear best match), else None."""
    exact = _exact(query)
    if exact is not None:
        return exact
    best = match(query, limit=2)
    if not best or best[0][1] < RESOLVE_MIN:
        return None
    if len(best) > 1 and best[0][1] - best[1][1] < RESOLVE_MARGIN:
        return None
    return best[0][0]
