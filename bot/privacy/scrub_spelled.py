"""Contact details and dates of birth written out in words, as people do to dodge filters or out of habit.

- phone numbers as digit words: "seven seven zero zero nine...", "oh seven nine double one...", "siedem siedem
  zero...", "sıfır yedi yedi...", "صفر سات سات...", "零七七零零九..." (every survey language's words for 0-9);
- emails with the @ and dots written out or spaced: "mum [at] example [dot] com", "john.doe (at) outlook (dot)
  com", "dad.smith at gmail dot com", "j.bloggs @ gmail . com", "pepa arroba gmail punto com";
- dates of birth in words near a birth cue: "born on the third of March twenty fifteen", "nació el cuatro de
  junio de dos mil catorce", "è nato il dodici aprile duemilaquindici".
"""

from __future__ import annotations

import re
from functools import cache

from bot.privacy.cues import MONTHS
from bot.privacy.scrub_script import Span

# --- spelled-out phone numbers -------------------------------------------------------------------------------
DIGIT_WORDS: frozenset[str] = frozenset(
    """
    zero oh o nought nil one two three four five six seven eight nine
    jeden jedna dwa trzy cztery pięć sześć siedem osiem dziewięć
    unu una doi două trei patru cinci șase sase șapte sapte opt nouă noua
    um uma dois duas três tres quatro cinco seis meia sete oito nove
    cero uno dos cuatro siete ocho nueve
    zéro un une deux trois quatre cinq six sept huit neuf
    due tre quattro cinque sei sette otto
    sıfır sifir bir iki üç uc dört dort beş bes altı alti yedi sekiz dokuz
    nulis vienas du trys keturi penki šeši septyni aštuoni devyni
    nula dva dve tri štyri päť šesť sedem osem deväť
    нуль ноль один одна два дві три чотири п'ять п’ять шість сім вісім дев'ять дев’ять
    eber kow hal labo laba saddex afar shan lix toddoba todoba siddeed sideed sagaal
    صفر واحد اثنان اثنين ثلاثة ثلاث أربعة اربعة خمسة ستة سبعة ثمانية تسعة
    ایک دو تین چار پانچ چھ سات آٹھ نو
    یک سه چهار پنج شش هفت هشت نه
    یو دوه درې څلور پنځه شپږ اووه اته نهه
    শূন্য এক দুই তিন চার পাঁচ ছয় সাত আট নয়
    ਸਿਫ਼ਰ ਸਿਫਰ ਇੱਕ ਦੋ ਤਿੰਨ ਚਾਰ ਪੰਜ ਛੇ ਸੱਤ ਅੱਠ ਨੌਂ ਨੌ
    શૂન્ય એક બે ત્રણ ચાર પાંચ છ સાત આઠ નવ
    """.split()
)
# "double oh", "triple seven": the next digit word counts two or three times.
REPEAT_WORDS: dict[str, int] = {"double": 2, "triple": 3, "doble": 2, "doppio": 2, "podwójne": 2}
_TOKEN = re.compile(r"[^\s,.;:!?()\[\]/\-–—]+")
_GAP = re.compile(r"[\s,.\-–—/]*")
_ZH_DIGITS = re.compile(r"[零〇一二三四五六七八九幺两]{10,15}")
_MIN_DIGITS, _MAX_DIGITS = 10, 15


def _digits_in(token: str) -> int | None:
    """How many phone digits a token stands for, None when it is not part of a written-out number."""
    low = token.casefold()
    if low in DIGIT_WORDS:
        return 1
    if token.isdigit():
        return len(token)
    return None


def find_spelled_phones(text: str) -> list[Span]:
    """Runs of 10-15 digits written with at least three digit words (digits alone are `find_phones`' job).

    A longer run (counting "one two three ... twenty") is not a phone number and is skipped whole.
    """
    spans = [Span(m.start(), m.end(), "phone") for m in _ZH_DIGITS.finditer(text)]
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        run_start, digits, words, j, repeat, last = None, 0, 0, i, 1, None
        while j < len(tokens):
            tok = tokens[j]
            if run_start is not None and not _GAP.fullmatch(text, last.end(), tok.start()):  # type: ignore[union-attr]
                break
            low = tok.group(0).casefold()
            if low in REPEAT_WORDS and j + 1 < len(tokens):
                repeat = REPEAT_WORDS[low]
                run_start = tok.start() if run_start is None else run_start
                last = tok
                j += 1
                continue
            count = _digits_in(tok.group(0))
            if count is None:
                break
            run_start = tok.start() if run_start is None else run_start
            digits += count * repeat
            words += not tok.group(0).isdigit()
            repeat = 1
            last = tok
            j += 1
        if last is not None and words >= 3 and _MIN_DIGITS <= digits <= _MAX_DIGITS and run_start is not None:
            spans.append(Span(run_start, last.end(), "phone"))
        i = max(j, i + 1)  # the next run starts after this one: linear in the number of words
    return spans


# --- obfuscated emails ------------------------------------------------------------------------------------------
_AT_WORDS = r"(?:at|arroba|chiocciola|małpa|malpa|małpka|arobase|собака)"
_DOT_WORDS = r"(?:dot|punto|ponto|point|kropka|nokta|punkt|tečka|bodka|taškas|крапка|точка|punct)"
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT = rf"(?:\s*{_OPEN}\s*(?:{_AT_WORDS}|@)\s*{_CLOSE}\s*|\s+{_AT_WORDS}\s+|\s+@\s*|\s*@\s+)"
_DOT = rf"(?:\s*{_OPEN}\s*{_DOT_WORDS}\s*{_CLOSE}\s*|\s+{_DOT_WORDS}\s+|\s*\.\s*)"
_TLD = (
    r"(?:com|co|uk|org|net|gov|nhs|ac|sch|edu|info|me|io|eu|pl|ro|es|fr|it|pt|tr|ua|lt|sk|de|ie|in|pk|bd|ir"
    r"|so|af|cn|br)"
)
_LOCAL = rf"[\w%+-]+(?:{_DOT}[\w%+-]+){{0,4}}"  # _DOT covers a bare full stop: one way to match each
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.%+-]){_LOCAL}{_AT}[\w-]+(?:{_DOT}[\w-]+){{0,3}}?{_DOT}{_TLD}(?![\w-])",
    re.IGNORECASE,
)
_PLAIN_WORD_AT = re.compile(rf"\s+{_AT_WORDS}\s+", re.IGNORECASE)


def find_obfuscated_emails(text: str) -> list[Span]:
    """An email with "at"/"dot" written out, bracketed or spaced; plain ones are `find_emails`' job.

    The domain must end in a known top-level domain written as a word ("dot com", "(dot) co (dot) uk"), which
    keeps "at school dot" and "we met at Leeds. Com..." out.
    """
    spans = []
    for m in _OBFUSCATED_EMAIL.finditer(text):
        chunk = m.group(0)
        if "@" in chunk and not re.search(r"\s", chunk):
            continue  # an ordinary email
        if _PLAIN_WORD_AT.search(chunk) and not re.search(rf"{_DOT_WORDS}|{_OPEN}", chunk, re.IGNORECASE):
            continue  # "at" as a word and only bare full stops: "I was at school. It ..."
        spans.append(Span(m.start(), m.end(), "email"))
    return spans


# --- dates of birth in words ----------------------------------------------------------------------------------
NUMBER_STEMS: frozenset[str] = frozenset(
    """
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty hundred thousand first second third fourth fifth sixth seventh eighth ninth
    tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth
    thirtieth
    uno una dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis dieciseis
    diecisiete dieciocho diecinueve veinte veinti veintiún treinta mil primero
    due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici sedici
    diciassette diciotto diciannove venti vent trenta trent mille mila primo
    um dois duas três quatro sete oito nove dez onze doze treze catorze quatorze quinze dezasseis dezesseis
    dezassete dezessete dezoito dezanove dezenove vinte trinta primeiro
    un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt trente
    mille premier
    pierwszego drugiego trzeciego czwartego piątego szóstego siódmego ósmego dziewiątego dziesiątego
    jedenastego dwunastego trzynastego czternastego piętnastego szesnastego siedemnastego osiemnastego
    dziewiętnastego dwudziestego trzydziestego dwa tysiące tysiąc dwutysięcznego
    unu doi două trei patru cinci șase șapte opt nouă zece sprezece spre douăzeci treizeci mii mie întâi
    """.split()
)
# Small words that may stand inside a written date: "the third of March", "dos mil y", "twenty and".
_DATE_GLUE = frozenset("the of on and de del el le il lo la y e et i și si în in roku r".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d{1,4}")


@cache
def _months() -> frozenset[str]:
    return frozenset(m.casefold() for m in MONTHS)


def _segments(word: str) -> bool:
    """True when `word` is made wholly of number stems ("duemilaquindici", "twenty-fifteen", "dieciséis")."""
    parts = [p for p in re.split(r"[-‐]", word.casefold()) if p]
    return bool(parts) and all(_segment(p) for p in parts)


@cache
def _segment(word: str) -> bool:
    if word in NUMBER_STEMS:
        return True
    return any(word[:k] in NUMBER_STEMS and _segment(word[k:]) for k in range(2, len(word) - 1))


def _is_number(token: str) -> bool:
    return token.isdigit() or _segments(token)


def find_spelled_dates(text: str, cues: list[tuple[int, int]], window: int = 50) -> list[Span]:
    """A day, a month word and a year, at least one of them in words, within `window` characters after a cue."""
    if not cues:
        return []
    words = list(_WORD.finditer(text))
    spans: list[Span] = []
    for cue_start, cue_end in cues:
        del cue_start
        for k, month in enumerate(words):
            if month.start() < cue_end or month.start() - cue_end > window:
                continue
            if month.group(0).casefold() not in _months():
                continue
            left, day = k - 1, None
            while left >= 0 and words[left].end() > cue_end:
                w = words[left].group(0)
                if _is_number(w):
                    day = left
                elif w.casefold() not in _DATE_GLUE:
                    break
                left -= 1
            right, year = k + 1, None
            while right < len(words) and words[right].start() - words[right - 1].end() <= 3:
                w = words[right].group(0)
                if _is_number(w):
                    year = right
                elif w.casefold() not in _DATE_GLUE:
                    break
                right += 1
            if day is None or year is None:
                continue
            chunk = [words[x].group(0) for x in range(day, year + 1)]
            if all(w.isdigit() or w.casefold() in _months() or w.casefold() in _DATE_GLUE for w in chunk):
                continue  # all in digits: `find_dates_of_birth` decides
            spans.append(Span(words[day].start(), words[year].end(), "date_of_birth"))
            break
    return spans
