"""Finding people's names in parents' free text, in any of the survey languages.

Names have no shape, so evidence is stacked, strongest first:
1. a title before a capitalised word ("Mrs Patel", "Pani Nowak", "Mme Dubois"), which wins even over an area
   name ("Mrs Kent");
2. a kinship, role or naming cue ("my son Jake", "mój syn Kacper", "se llama Valentina", "his teacher X");
3. a title after the name ("Ayşe Hanım");
4. in scripts without capitals (Arabic script, Bengali, Gurmukhi, Gujarati), the word after a cue unless it is
   a common function word; in Chinese, a short run of characters after a cue or before a title (王老师);
5. two capitalised Latin/Cyrillic words in a row that are not known terms ("Tom Gallagher");
6. a list of given names (bot/data/given_names.json, see given_names.py), for names written with no cue at
   all ("Amelia was born...", "oliver has been...", "MY SON TYLER", "Evie-Mae", "kai-lee's"), and Chinese names
   written as a surname plus one or two given-name characters (张伟和刘洋);
7. any later repeat of a name already found, and names listed with one ("Keeley and Brandon").
Candidates overlapping a protected term (local area, SEND service) are dropped except after a title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.privacy.cues import (
    AMBIGUOUS_NAMES,
    CASELESS_CUES,
    CASELESS_STOP,
    COMMON_CAPITALISED,
    FIRST_NAMES,
    KIN_CUES,
    LOWER_TITLE_STOP,
    LOWER_TITLES,
    NAME_JOINERS,
    POST_TITLES,
    POST_TITLES_CASELESS,
    TITLE_CUES,
    TITLE_CUES_LOWER,
    ZH_KIN_CUES,
    ZH_NAMING_CUES,
    ZH_STOP_CHARS,
    ZH_SURNAMES,
    ZH_TITLES,
)
from bot.privacy.given_names import name_lists
from bot.privacy.scrub_script import (
    CASELESS_TOKEN,
    LOWER,
    NAME_WORD,
    UPPER,
    WORD_END,
    WORD_START,
    Span,
    fold_name,
    is_caseless,
    trie_pattern,
)

# Strength of each kind of evidence; lower wins when candidates overlap.
TITLE, CUE, POST_TITLE, CASELESS, CHINESE, PAIR, LISTED, REPEAT = range(8)


def _alternation(words: Iterable[str], fold: bool = False) -> str:
    return trie_pattern(set(words), fold=fold)


_SEP = r"[ \t,:(\-–—]+"
_CANDIDATE = rf"({NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})"
# Titles are case-sensitive ("Miss Kowalski" but not "I miss school"); lower-case forms are listed where usual.
_TITLE_RE = re.compile(
    rf"{WORD_START}(?:{_alternation((*TITLE_CUES, *TITLE_CUES_LOWER))})"
    rf"(?={_SEP}(?:{UPPER}\.?[ \t]+)*{_CANDIDATE})"  # "Mrs J. Whitfield": initials are skipped
)
_CUE_RE = re.compile(rf"{WORD_START}(?i:{_alternation(KIN_CUES, fold=True)})(?={_SEP}{_CANDIDATE})")
# A lower-case given name right after a cue ("my lad kyle"): only names from the list, never ordinary words.
_CUE_LOWER_RE = re.compile(rf"{WORD_START}(?i:{_alternation(KIN_CUES, fold=True)})[ \t,:(]+({LOWER}{{3,}}){WORD_END}")
# "MrsKhan", "DrOkafor": a title glued to the name once an invisible character between them is removed.
_GLUED_TITLE_RE = re.compile(
    rf"{WORD_START}(?:Mrs|Mr|Ms|Mx|Miss|Dr|Prof|Mme|Pani|Pan)\.?((?:{UPPER}{LOWER}+)(?:[-'’]{UPPER}{LOWER}+)?)"
    rf"{WORD_END}"
)
# A cue in any case followed by a word in capitals: "MY SON TYLER", "MS CARTER", "Fiica mea, ANDREEA".
_CAPS_WORD = rf"((?:{UPPER}){{2,}}(?:[-'’]{UPPER}{{2,}})?)"
_CUE_CAPS_RE = re.compile(
    rf"{WORD_START}(?i:{_alternation({w.casefold() for w in (*KIN_CUES, *TITLE_CUES)}, fold=True)})"
    rf"[ \t,:(\-–—]+{_CAPS_WORD}{WORD_END}"
)
_CAPS_RE = re.compile(rf"{WORD_START}{_CAPS_WORD}{WORD_END}")
_LOWER_TITLE_RE = re.compile(
    rf"{WORD_START}(?:{_alternation(LOWER_TITLES)})[ \t]+({LOWER}{{3,}}(?:[-'’]{LOWER}+)?){WORD_END}"
)
# "daughter (Mia, 4)", "(Evie-Mae, 6)", "(Jake, aged 9)": a capitalised word and an age in brackets.
_PAREN_AGE_RE = re.compile(
    rf"\(\s*({NAME_WORD})\s*,\s*(?i:aged?\s*)?\d{{1,2}}\s*(?i:y(?:ea)?rs?(?:\s*old)?|yo|y/o|lat|ans|años|anni"
    rf"|anos|ani|yaşında|років|rokov|metai)?\s*\)"
)
_LOWER_TOKEN_RE = re.compile(rf"{WORD_START}({LOWER}{{2,}}(?:-{LOWER}{{2,}})*){WORD_END}")
_POST_TITLE_RE = re.compile(rf"{WORD_START}({NAME_WORD})[ \t]+(?:{_alternation(POST_TITLES)}){WORD_END}")
_CASELESS_CUE_RE = re.compile(
    rf"(?<![^\s\"'(«“:,،])[وف]?(?:{_alternation(CASELESS_CUES)})(?=[ \t]+({NAME_WORD}|{CASELESS_TOKEN}))"
)
# The token may start only where a token can (the lookbehind), or a long run of letters is retried at each one.
_CASELESS_POST_RE = re.compile(
    rf"(?<!{CASELESS_TOKEN[:-1]})({CASELESS_TOKEN})[ \t]+(?:{_alternation(POST_TITLES_CASELESS)})(?!\S)"
)
_WORD_RE = re.compile(rf"{WORD_START}{NAME_WORD}{WORD_END}")
_CASELESS_WORD_RE = re.compile(CASELESS_TOKEN)

_HAN = r"[\u4e00-\u9fff]"
_ZH_KIN_RE = re.compile(_alternation(ZH_KIN_CUES))
_ZH_NAMING_RE = re.compile(rf"(?:{_alternation(ZH_NAMING_CUES)})({_HAN}{{1,3}})")
_ZH_TITLE_RE = re.compile(rf"([{ZH_SURNAMES}]{_HAN}?)(?={_alternation(ZH_TITLES)})")
_ZH_STOP = set(ZH_STOP_CHARS) | set("我你他她它们这那个")

_TITLE_WORDS = frozenset(t.casefold().rstrip(".") for t in TITLE_CUES)


@cache
def _blocked() -> frozenset[str]:
    """Capitalised words that are never a name on their own: common words, cue words and titles."""
    cue_words = {w.casefold().rstrip(".") for w in TITLE_CUES + KIN_CUES + POST_TITLES if " " not in w}
    return frozenset(COMMON_CAPITALISED | cue_words)


@cache
def _cue_blocked() -> frozenset[str]:
    """After a cue a given name that is also a word ("my son Will") is still a name."""
    # "Mia", "Jo", "Christian", "India" are also Italian, Polish or other words when capitalised alone.
    names = {n.casefold() for n in FIRST_NAMES} | AMBIGUOUS_NAMES | {"mia", "jo", "christian", "india"}
    return frozenset(w for w in _blocked() if w not in names)


def _caseless_stop(language: str | None) -> frozenset[str]:
    """The language's own list when known (a function word in one language can be a name in another)."""
    if language in CASELESS_STOP:
        return CASELESS_STOP[language]
    return _all_caseless_stop()


@cache
def _all_caseless_stop() -> frozenset[str]:
    return frozenset().union(*CASELESS_STOP.values())


def _overlaps(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < r_end and r_start < end for r_start, r_end in ranges)


def _cased_candidate(
    text: str, start: int, words: str, protected: list[tuple[int, int]], block: frozenset[str], override: bool
) -> Span | None:
    """Trim a run of capitalised words after a cue to the part that is a name."""
    pieces = list(re.finditer(NAME_WORD, words))
    first = 0
    while first < len(pieces) and pieces[first].group(0).casefold() in _TITLE_WORDS:
        first += 1  # "his teacher Miss Kowalski": skip the title
    chosen = []
    for piece in pieces[first:]:
        word = piece.group(0)
        p_start, p_end = start + piece.start(), start + piece.end()
        if word.casefold() in block or (not override and _overlaps(p_start, p_end, protected)):
            break
        chosen.append((p_start, p_end))
    if not chosen:
        return None
    return Span(chosen[0][0], chosen[-1][1], "name")


def _cue_names(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, Span]]:
    found: list[tuple[int, Span]] = []
    for regex, rank, override in ((_TITLE_RE, TITLE, True), (_CUE_RE, CUE, False)):
        for m in regex.finditer(text):
            span = _cased_candidate(text, m.start(1), m.group(1), protected, _cue_blocked(), override)
            if span:
                found.append((rank, span))
    lists = name_lists()
    for m in _CUE_LOWER_RE.finditer(text):
        if m.group(1) in lists.cue_lower and not _overlaps(m.start(1), m.end(1), protected):
            found.append((CUE, Span(m.start(1), m.end(1), "name")))
    for m in _GLUED_TITLE_RE.finditer(text):
        if m.group(1).casefold() not in _cue_blocked():
            found.append((TITLE, Span(m.start(1), m.end(1), "name")))
    for m in _CUE_CAPS_RE.finditer(text):
        word = m.group(1)
        if word.casefold() not in _cue_blocked() and not _overlaps(m.start(1), m.end(1), protected):
            found.append((CUE, Span(m.start(1), m.end(1), "name")))
    for m in _LOWER_TITLE_RE.finditer(text):
        word = m.group(1)
        if word not in LOWER_TITLE_STOP and word.capitalize() not in COMMON_CAPITALISED \
                and word not in _blocked() and not _overlaps(m.start(1), m.end(1), protected):
            found.append((CUE, Span(m.start(1), m.end(1), "name")))
    for m in _PAREN_AGE_RE.finditer(text):
        word = m.group(1)
        known = word in lists.cased or word.casefold() in lists.any_lower
        if (known or word.casefold() not in _blocked()) and not _overlaps(m.start(1), m.end(1), protected):
            found.append((CUE, Span(m.start(1), m.end(1), "name")))
    for m in _POST_TITLE_RE.finditer(text):
        word = m.group(1)
        if word.casefold() not in _cue_blocked() and not _overlaps(m.start(1), m.end(1), protected):
            found.append((POST_TITLE, Span(m.start(1), m.end(1), "name")))
    return found


def _caseless_names(text: str, language: str | None, protected: list[tuple[int, int]]) -> list[tuple[int, Span]]:
    stop = _caseless_stop(language)
    found: list[tuple[int, Span]] = []
    matches = [(m.start(1), m.end(1), m.group(1)) for m in _CASELESS_CUE_RE.finditer(text)]
    matches += [(m.start(1), m.end(1), m.group(1)) for m in _CASELESS_POST_RE.finditer(text)]
    for start, end, token in matches:
        if _overlaps(start, end, protected):
            continue
        if not is_caseless(token):
            if token[:1].isupper() and token.casefold() not in _cue_blocked():
                found.append((CUE, Span(start, end, "name")))  # "میرا بیٹا Adam"
            continue
        folded = fold_name(token)
        if folded in stop or token in stop or folded.startswith("ال") or token in CASELESS_CUES:
            continue
        found.append((CASELESS, Span(start, end, "name")))
    return found


def _chinese_names(text: str) -> list[tuple[int, Span]]:
    found: list[tuple[int, Span]] = []
    for m in _ZH_KIN_RE.finditer(text):
        rest = text[m.end() : m.end() + 3]
        if len(rest) >= 2 and rest[0] in "小阿" and rest[1] not in _ZH_STOP and "\u4e00" <= rest[1] <= "\u9fff":
            found.append((CHINESE, Span(m.end(), m.end() + 2, "name")))
        elif rest[:1] and rest[0] in ZH_SURNAMES:
            run = 1
            while run < 3 and run < len(rest) and "\u4e00" <= rest[run] <= "\u9fff" and rest[run] not in _ZH_STOP:
                run += 1
            if run >= 2:
                found.append((CHINESE, Span(m.end(), m.end() + run, "name")))
    for m in _ZH_NAMING_RE.finditer(text):
        run = 0
        for ch in m.group(1):
            if ch in _ZH_STOP:
                break
            run += 1
        if run >= 1 and not (run == 1 and m.group(1)[0] not in ZH_SURNAMES):
            found.append((CHINESE, Span(m.start(1), m.start(1) + run, "name")))
    for m in _ZH_TITLE_RE.finditer(text):
        found.append((CHINESE, Span(m.start(1), m.end(1), "name")))
    found += [(LISTED, span) for span in _chinese_listed(text)]
    return found


def _chinese_listed(text: str) -> list[Span]:
    """A surname and one or two given-name characters with no cue (张伟和刘洋), unless that is a common word.

    Common words starting or ending with a surname character (王国, 高中, 方法, 国王) come from jieba's dictionary,
    so "王国的故事" and "高中和小学" keep their words.
    """
    lists = name_lists()
    spans: list[Span] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch not in lists.zh_surnames or (i and text[i - 1 : i + 1] in lists.zh_common):
            i += 1
            continue
        if text[i : i + 2] in lists.zh_common or text[i : i + 3] in lists.zh_common:
            i += 1
            continue
        length = 0
        for size in (3, 2):
            given = text[i + 1 : i + size]
            if len(given) != size - 1 or not all(c in lists.zh_given for c in given):
                continue
            if size == 3 and text[i + 1 : i + 3] in lists.zh_common:
                continue
            length = size
            break
        if length:
            spans.append(Span(i, i + length, "name"))
            i += length
        else:
            i += 1
    return spans


def _pairs_and_listed(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, Span]]:
    blocked = _blocked()
    words = []
    for m in _WORD_RE.finditer(text):
        word = m.group(0)
        usable = (
            word.casefold() not in blocked
            and not _overlaps(m.start(), m.end(), protected)
        )
        words.append((m.start(), m.end(), word, usable))
    found: list[tuple[int, Span]] = []
    run: list[tuple[int, int, str, bool]] = []

    def close_run() -> None:
        if len(run) >= 2:
            found.append((PAIR, Span(run[0][0], run[-1][1], "name")))
        run.clear()

    for item in words:
        start, _end, _word, usable = item
        if usable and run and text[run[-1][1] : start] in {" ", "\u00a0"}:
            run.append(item)
            continue
        close_run()
        if usable:
            run.append(item)
    close_run()
    lists = name_lists()
    for start, end, word, usable in words:
        if not usable or word.casefold() in AMBIGUOUS_NAMES:
            continue
        parts = re.split(r"[-'’]", word) if "-" in word else [word]
        if word in lists.cased or (len(parts) > 1 and any(p in lists.cased for p in parts)):
            found.append((LISTED, Span(start, end, "name")))
    for m in _LOWER_TOKEN_RE.finditer(text):
        token = m.group(1)
        parts = token.split("-")
        if token in lists.lower or (len(parts) > 1 and all(p in lists.any_lower for p in parts)):
            if not _overlaps(m.start(1), m.end(1), protected):
                found.append((LISTED, Span(m.start(1), m.end(1), "name")))
    for m in _CAPS_RE.finditer(text):
        word = m.group(1)
        titled = "-".join(p.capitalize() for p in word.split("-"))
        if len(word) >= 3 and titled in lists.cased and titled.casefold() not in _blocked():
            if not _overlaps(m.start(1), m.end(1), protected):
                found.append((LISTED, Span(m.start(1), m.end(1), "name")))
    if is_caseless(text):
        for m in _CASELESS_WORD_RE.finditer(text):
            token = m.group(0)
            if is_caseless(token) and fold_name(token) in lists.caseless:
                if not _overlaps(m.start(), m.end(), protected):
                    found.append((LISTED, Span(m.start(), m.end(), "name")))
    return found


def find_name_candidates(text: str, language: str | None, protected: list[tuple[int, int]]) -> list[tuple[int, Span]]:
    """All name candidates with their evidence rank; the caller resolves overlaps (lower rank first)."""
    found = _cue_names(text, protected)
    found += _caseless_names(text, language, protected)
    if re.search(_HAN, text):
        found += _chinese_names(text)
    found += _pairs_and_listed(text, protected)
    return found


_JOINER = "|".join(re.escape(j) for j in sorted(NAME_JOINERS, key=len, reverse=True))
_JOINED_AFTER = re.compile(rf"[ \t]*(?:{_JOINER})[ \t]+({NAME_WORD}){WORD_END}|,[ \t]*({NAME_WORD}){WORD_END}")
_JOINED_BEFORE = re.compile(rf"{WORD_START}({NAME_WORD})[ \t]*(?:,|[ \t]+(?:{_JOINER}))[ \t]+$")


def find_listed_with(text: str, names: list[Span], taken: list[tuple[int, int]]) -> list[Span]:
    """Capitalised words listed with a name already found: "Keeley and Brandon", "Tyrese, Kaden and Amani".

    A word qualifies only if it is not a known term (common word, cue, local area, service); this is repeated
    until no new name appears, so a whole list goes.
    """
    blocked = _blocked()
    found: list[Span] = []
    frontier = [s for s in names if s.kind == "name"]
    seen = {(s.start, s.end) for s in frontier}
    while frontier:
        span = frontier.pop()
        candidates = []
        after = _JOINED_AFTER.match(text, span.end)
        if after:
            group = 1 if after.group(1) else 2
            candidates.append((after.start(group), after.end(group)))
        before = _JOINED_BEFORE.search(text, max(0, span.start - 40), span.start)
        if before:
            candidates.append((before.start(1), before.end(1)))
        for start, end in candidates:
            if (start, end) in seen or text[start:end].casefold() in blocked or _overlaps(start, end, taken):
                continue
            seen.add((start, end))
            new = Span(start, end, "name")
            found.append(new)
            frontier.append(new)
            taken = [*taken, (start, end)]
    return found


def find_repeats(text: str, names: list[Span], taken: list[tuple[int, int]]) -> list[Span]:
    """Later (or earlier) mentions of a name already found: "My son Adam ... Adam now refuses school"."""
    tokens: set[str] = set()
    for span in names:
        for token in text[span.start : span.end].split():
            han = "\u4e00" <= token[:1] <= "\u9fff"
            if (han and len(token) >= 2) or (not han and len(token) >= 3 and token.casefold() not in _blocked()):
                tokens.add(token)
    repeats = []
    for token in tokens:
        if "\u4e00" <= token[:1] <= "\u9fff":
            pattern = re.escape(token)
        elif is_caseless(token):
            pattern = rf"(?<!\S){re.escape(token)}(?=[\s.,;:!?۔،।]|$)"
        else:
            pattern = rf"{WORD_START}{re.escape(token)}{WORD_END}"
        for m in re.finditer(pattern, text):
            if not _overlaps(m.start(), m.end(), taken):
                repeats.append(Span(m.start(), m.end(), "name"))
    return repeats
