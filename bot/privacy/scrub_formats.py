"""Detectors for personal data that has a recognisable shape: contact details, identifiers, dates of birth,
street addresses and school names.

Each detector returns spans; `scrub` decides between overlapping ones.  Dates are removed only when they are
dates of birth (a birth cue close by): appointment and decision dates are evidence inspectors need, and a date
alone, without the child's name, does not identify anyone.
"""

from __future__ import annotations

import re

from phonenumbers import Leniency, PhoneNumberMatcher

from bot.privacy.cues import BIRTH_CUES, COMMON_CAPITALISED, MONTHS
from bot.privacy.scrub_script import NAME_WORD, WORD_END, WORD_START, Span, ascii_digits, trie_pattern

_TRAILING_PUNCT = ".,;:!?)]}»”’'\""

# --- email, link, handle ------------------------------------------------------------------------------------
_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
_LINK = re.compile(
    r"(?:\bhttps?://|\bwww\.)[^\s<>\"]+"
    r"|(?<![\w@.-])(?:[a-z0-9-]+\.)+(?:co\.uk|org\.uk|gov\.uk|nhs\.uk|ac\.uk|sch\.uk|com|org|net|uk|io|me|info"
    r"|ly|gl|eu|pl|ro|es|fr|it|pt|tr|ua|lt|sk)(?![\w.-]*@)(?:/[^\s<>\"]*)?(?![\w-])",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z][A-Za-z0-9_]{2,31}(?![\w@])")


def find_emails(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)] if "@" in text else []


def find_links(text: str) -> list[Span]:
    spans = []
    for m in _LINK.finditer(text):
        raw = m.group(0).rstrip(_TRAILING_PUNCT)
        if "/" not in raw and raw.count(".") == 1 and raw.split(".")[-1].lower() in {"pl", "ro", "es", "fr", "it",
                                                                                      "pt", "tr", "lt", "sk"}:
            continue  # "nr.pl" style abbreviations; bare country domains need a path to count
        spans.append(Span(m.start(), m.start() + len(raw), "link"))
    return spans


def find_handles(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), "handle") for m in _HANDLE.finditer(text)] if "@" in text else []


# --- NHS number -----------------------------------------------------------------------------------------------
_NHS = re.compile(r"(?<![\d+])([1-9]\d{2})([ \-]?)(\d{3})\2(\d{4})(?!\d)")
_NHS_CUE = re.compile(r"\bNHS\b")


def nhs_checksum_ok(digits: str) -> bool:
    """The NHS number modulus-11 check: weights 10..2 on the first nine digits give the tenth."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_nhs_numbers(text: str) -> list[Span]:
    """Ten digits passing the checksum; failing ones only right after the word "NHS" (a mistyped NHS number)."""
    spans = []
    for m in _NHS.finditer(text):
        digits = ascii_digits(m.group(0))
        cue = _NHS_CUE.search(text, max(0, m.start() - 30), m.start())
        if nhs_checksum_ok(digits) or cue:
            spans.append(Span(m.start(), m.end(), "nhs_number"))
    return spans


# --- phone ------------------------------------------------------------------------------------------------------
_PHONE_GATE = re.compile(r"\d(?:[\s().\-]{0,3}\d){8}")


def find_phones(text: str) -> list[Span]:
    """UK and international numbers as written by parents: 07..., 01/02/03 landlines, +44 (0)..., 0044, +48...

    `phonenumbers` at POSSIBLE leniency finds the candidates (fictional Ofcom ranges count, as a real number
    mistyped by one digit still identifies); a candidate must have 10-15 digits and start the way a dialled
    number does (+, 00 or 0), which keeps reference numbers and NHS numbers out.
    """
    if not _PHONE_GATE.search(text):
        return []
    spans = []
    for match in PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE):
        raw = match.raw_string
        digits = ascii_digits(raw)
        lead = raw.lstrip("(").lstrip()
        if not 10 <= len(digits) <= 15:
            continue
        if not (lead.startswith("+") or ascii_digits(lead[:1]) == "0"):
            continue
        spans.append(Span(match.start, match.end, "phone"))
    return spans


# --- UK postcode ------------------------------------------------------------------------------------------------
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])([A-Z]{1,2}[0-9][A-Z0-9]?)[ \t\-]*([0-9])[ \t]?([ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINALS = {"st", "nd", "rd", "th"}


def find_postcodes(text: str) -> list[Span]:
    spans = []
    for m in _POSTCODE.finditer(text):
        if m.group(3) in _ORDINALS:  # "y6 2nd", "ks1 3rd": ordinals, not postcodes
            continue
        spans.append(Span(m.start(), m.end(), "postcode"))
    return spans


# --- dates of birth ---------------------------------------------------------------------------------------------
_MONTH = rf"(?:{trie_pattern(set(MONTHS), fold=True)})\.?{WORD_END}"
_DATE = re.compile(
    r"(?<!\d)(?P<d1>\d{1,2})(?P<sep>[./\-])(?P<m1>\d{1,2})(?P=sep)(?P<y1>\d{4}|\d{2})(?![\d/.\-]\d)"
    r"|(?<!\d)(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})(?!\d)"
    rf"|(?<!\d)(?P<d3>\d{{1,2}})(?:st|nd|rd|th|er|º|°|o|\.|-го)?\s+(?:de\s+|of\s+)?{_MONTH},?\s+(?:de\s+|del\s+)?"
    r"(?P<y3>\d{4})"
    rf"|{WORD_START}{_MONTH}\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>\d{{4}})"
    rf"|(?P<y5>\d{{4}})\s*m\.\s*{_MONTH}\s+(?P<d5>\d{{1,2}})\s*d\.?"
    r"|(?P<y6>\d{4})\s*年\s*(?P<m6>\d{1,2})\s*月\s*(?P<d6>\d{1,2})\s*[日号]",
    re.IGNORECASE,
)


def _plausible(m: re.Match[str]) -> bool:
    if m.group("d1"):
        a, b = int(ascii_digits(m.group("d1"))), int(ascii_digits(m.group("m1")))
        return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= b <= 31 and 1 <= a <= 12)
    if m.group("y2"):
        return 1 <= int(ascii_digits(m.group("m2"))) <= 12 and 1 <= int(ascii_digits(m.group("d2"))) <= 31
    day = m.group("d3") or m.group("d4") or m.group("d5") or m.group("d6")
    return day is not None and 1 <= int(ascii_digits(day)) <= 31


def _birth_cue_pattern() -> str:
    """Cased-script cues must be whole words ("né", not "année"); other scripts' cues are distinctive as is."""
    cased = [c for c in BIRTH_CUES if re.search(r"[A-Za-zÀ-ɏЀ-ӿ]", c)]
    other = [c for c in BIRTH_CUES if c not in cased]
    words = [c for c in cased if c[-1].isalpha()]
    dotted = [c for c in cased if not c[-1].isalpha()]
    return (
        rf"{WORD_START}(?:{trie_pattern(words, fold=True)}){WORD_END}"
        rf"|{WORD_START}(?:{trie_pattern(dotted, fold=True)})"
        rf"|(?:{trie_pattern(other)})"
    )


_BIRTH_CUE = re.compile(_birth_cue_pattern(), re.IGNORECASE)
_CUE_BEFORE = 50  # characters between the end of a birth cue and the date
_CUE_AFTER = 30  # characters between the end of the date and a cue written after it ("12/05/2015 (DOB)")


_DIGIT = re.compile(r"\d")


def find_full_dates(text: str) -> list[Span]:
    """Every full day-month-year date, as kind "date"; `find_dates_of_birth` keeps those near a birth cue."""
    if not _DIGIT.search(text):
        return []
    return [Span(m.start(), m.end(), "date") for m in _DATE.finditer(text) if _plausible(m)]


def birth_cues(text: str) -> list[tuple[int, int]]:
    """Where the text says "born", "DOB", "urodził", "ميلاد", "出生"... (start, end) of each cue."""
    return [(m.start(), m.end()) for m in _BIRTH_CUE.finditer(text)]


def find_dates_of_birth(text: str) -> list[Span]:
    dates = find_full_dates(text)
    if not dates:
        return []
    cues = [(m.start(), m.end()) for m in _BIRTH_CUE.finditer(text)]
    if not cues:
        return []
    chosen: set[int] = set()
    for cue_start, cue_end in cues:
        after = [i for i, d in enumerate(dates) if d.start >= cue_end and d.start - cue_end <= _CUE_BEFORE]
        if after:
            chosen.add(after[0])  # the first date after the cue, not every date in the sentence
        before = [i for i, d in enumerate(dates) if d.end <= cue_start and cue_start - d.end <= _CUE_AFTER]
        if before and not after:
            chosen.add(before[-1])
    return [Span(dates[i].start, dates[i].end, "date_of_birth") for i in sorted(chosen)]


# --- street addresses -------------------------------------------------------------------------------------------
_NW = rf"{NAME_WORD}(?:['’]s)?"
_STREET_EN = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Cres|Court|Ct|Gardens|Gdns|Place|Pl"
    r"|Terrace|Tce|Grove|Hill|Row|Square|Sq|Walk|Mews|Park|Parade|Rise|View|Green|Vale|Croft|Fold|Gate|Heights"
    r"|Boulevard|Estate|Wharf|Yard|Circus|Chase|Mount|Bank|Brow|Meadow|Meadows|Wynd|Fields)"
)
_PARTICLES = r"(?:de|du|des|del|della|di|da|do|dos|das|la|le|les|l'|d'|lui|cel)"
_ADDRESS = re.compile(
    # 14 Oak Tree Road / Flat 2, 37 Victoria Street / 12 St Mary's Close
    rf"(?:(?:Flat|Apartment|Apt|Unit)\s*\d+[A-Za-z]?,?\s+)?(?<![\d/.:,])\d{{1,4}}[A-Za-z]?,?\s+(?:{_NW}\s+){{1,3}}"
    rf"{_STREET_EN}\b\.?"
    # ul. Długa 5, ulica Polna 12/3, вул. Шевченка 5, strada Florilor nr. 5, calle Mayor 3, via Roma 10
    rf"|{WORD_START}(?i:ul\.|ulica|ulicy|al\.|aleja|alei|os\.|osiedle|strada|str\.|bulevardul|bd\.|aleea|calea"
    rf"|calle|c/|avenida|avda\.|av\.|plaza|paseo|camino|via|viale|piazza|corso|vicolo|rua|travessa|praça|largo"
    rf"|вул\.|вулиця|вулиці|просп\.|проспект|пров\.|провулок)\s*(?:{_PARTICLES}\s+)*{_NW}"
    rf"(?:\s+(?:{_PARTICLES}\s+)*{_NW}){{0,3}},?\s*(?i:n[º°o]\.?|nr\.?|numero|número|буд\.)?\s*\d{{1,4}}[a-zA-Z]?"
    r"(?:/\d{1,4})?"
    # 12 rue de la Paix, 3 bis avenue Foch
    rf"|(?<![\d/.:])\d{{1,4}}(?:\s*(?:bis|ter))?,?\s+(?i:rue|avenue|boulevard|bd|allée|chemin|impasse|place|quai"
    rf"|route|cours)\s+(?:{_PARTICLES}\s*)*{_NW}(?:[\s-]+(?:{_PARTICLES}\s*)*{_NW}){{0,3}}"
    # Lindenstraße 4, Atatürk Caddesi No: 5, Gedimino g. 9
    rf"|{WORD_START}{NAME_WORD}(?:straße|strasse|str\.|weg|platz|gasse|allee)\s+\d{{1,4}}[a-z]?"
    rf"|(?:{_NW}\s+){{1,3}}(?i:sokak|sokağı|sok\.|caddesi|cad\.|mahallesi|mah\.|bulvarı|g\.|gatvė|pr\.)"
    r"\s*(?:No\s*[:.]?\s*)?\d{1,4}[a-zA-Z]?"
)


# Said rather than written: "number 9 on the high street", "no. 22 on Elm Grove", "at 14 oak tree road".
_STREET_WORDS_LOWER = (
    r"(?:road|street|lane|avenue|close|drive|crescent|court|gardens|place|terrace|grove|hill|row|square|walk|mews"
    r"|parade|rise|view|green|vale|croft|way|estate|high\s+street)"
)
_UNITS = frozenset(
    "minute minutes min mins hour hours hr hrs day days week weeks month months year years mile miles km metres "
    "meters times pounds pence percent per".split()
)
_SPOKEN_ADDRESS = re.compile(
    rf"{WORD_START}(?i:number|no\.?|nr\.?|house|flat)\s*\d{{1,4}}[a-zA-Z]?,?\s+(?i:on|in|at|of)\s+(?i:the\s+)?"
    rf"(?:[^\W\d_]+['’]?s?\s+){{0,3}}(?i:{_STREET_WORDS_LOWER})\b"
    rf"|(?<![\d/.:,£$€])\d{{1,4}}[a-zA-Z]?,?\s+(?P<words>(?:[a-z][a-z'’]+\s+){{1,3}})"
    r"(?:road|street|lane|avenue|crescent|grove|gardens|terrace|mews)\b"
)


def find_addresses(text: str) -> list[Span]:
    if not _DIGIT.search(text):
        return []  # every address form here has a house number
    spans = [Span(m.start(), m.end(), "address") for m in _ADDRESS.finditer(text)]
    for m in _SPOKEN_ADDRESS.finditer(text):
        words = m.group("words")
        if words and words.split()[0].casefold() in _UNITS:
            continue  # "20 minutes drive", "3 hours road trip"
        spans.append(Span(m.start(), m.end(), "address"))
    return spans


# --- school names -----------------------------------------------------------------------------------------------
_SCHOOL_DESCRIPTOR = (
    r"(?:C\s+of\s+E|CofE|C\.?E\.?|R\.?C\.?|Church\s+of\s+England|Catholic|Methodist|Jewish|Islamic|Muslim"
    r"|Community|Special|Free|Church|Junior|Infant|Infants'?|Primary|Secondary|High|Grammar|Nursery"
    r"|Sixth\s+Form|Preparatory|Prep|Studio|Technology|Foundation|Girls['’]?|Boys['’]?|Village|Memorial"
    r"|Specialist|Language|Learning|Enterprise|Business|Sports|Arts|Science|Academy|International)"
)
_SCHOOL_TYPE = (
    r"(?:Academy|School|College|Primary|Nursery|Infants|Juniors|PRU|Pupil\s+Referral\s+Unit|Free\s+School"
    r"|Federation)"
)
_SCHOOL_EN = re.compile(
    rf"(?:(?:St\.?|Saint)\s+)?(?:{_NW}\s+){{0,4}}{_NW}\s+(?:{_SCHOOL_DESCRIPTOR}\s+)*{_SCHOOL_TYPE}\b"
    rf"(?:\s+(?:School|Academy|College)\b)?"
)
_SCHOOL_OTHER = re.compile(
    # Szkoła Podstawowa nr 5 (im. Jana Pawła II), Szkoły Specjalnej nr 3
    r"(?i:Szko(?:ła|ły|le|łę|łą)|Przedszkol(?:e|a|u|em)|Gimnazjum|Liceum|Zesp(?:ół|ołu|ole)\s+Szkół)"
    r"(?:\s+(?i:Podstawow(?:a|ej|ą)|Specjaln(?:a|ej|ą)|Integracyjn(?:a|ej|ą)|Ogólnokształcąc(?:e|ego)|Sobotni(?:a|ej)"
    r"|Polsk(?:a|iej|ą)|Społeczn(?:a|ej|ą)))*"
    rf"\s+(?:(?i:nr\.?)\s*\d+(?:\s+im\.\s+(?:{NAME_WORD}\.?\s*){{1,4}})?|im\.\s+(?:{NAME_WORD}\.?\s*){{1,4}})"
    # Școala Gimnazială nr. 3, Liceul „Mihai Eminescu"
    r"|(?i:Școala|Scoala|Școlii|Liceul|Colegiul|Grădinița|Gradinita)"
    r"(?:\s+(?i:Gimnazială|Gimnaziala|Primară|Primara|Profesională|Specială|Teoretic|Național|Tehnologic))*"
    rf"\s+(?:(?i:nr\.?)\s*\d+|[„\"]?{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}}[”\"]?)"
    # école Jules Ferry, Colegio San José, Escola Básica Camões, scuola Dante Alighieri
    r"|(?i:école|ecole|collège|lycée|escuela|colegio|instituto|escola|scuola|istituto|liceo)"
    r"(?:\s+(?i:primaire|élémentaire|maternelle|primaria|secundaria|primária|básica|elementare|media|comprensivo"
    r"|de|del|da|do|dos|la|le|les|san|santa|são|saint|sainte))*"
    rf"\s+{NAME_WORD}(?:[\s-]+{NAME_WORD}){{0,3}}"
    # Atatürk İlkokulu
    rf"|(?:{NAME_WORD}\s+){{1,3}}(?:İlkokulu|Ortaokulu|Lisesi|Anaokulu|Okulu|Koleji)"
    # школа № 5
    r"|(?i:школа|школи|школу|школі|ліцей|ліцею|гімназія|гімназії)\s*(?:№|No\.?|N|номер)\s*\d+"
    # 阳光小学 (a run of Han characters that are not function words, before the type word)
    r"|(?:(?![的在了是我你他她们这那个和与从到去上没很所])[\u4e00-\u9fff]){2,6}(?:小学|中学|学校|幼儿园)"
)
_SCHOOL_GENERIC = frozenset(
    w.casefold()
    for w in (
        "Special Mainstream Local Independent Virtual Primary Secondary Infant Infants Junior Juniors High Grammar "
        "Nursery Sixth Free Community Church Catholic Faith State Private Alternative Residential Boarding Day "
        "Hospital Home Sunday Saturday Summer Forest Approved Village New Old Previous Current Academy School "
        "Language Learning Studio Specialist"
    ).split()
)
_FIRST_CAPITAL = re.compile(rf"{WORD_START}{NAME_WORD}")
_ZH_GENERIC_SCHOOL = frozenset("特殊 普通 公立 私立 寄宿 主流 本地 当地 附近 国际 英国 中文 周末 现在 以前 新".split())


def _school_ok(text: str, start: int, end: int) -> int | None:
    """Return the start of the name part, or None when the match is a generic phrase ("Special School")."""
    chunk = text[start:end]
    if "Virtual School" in chunk:
        return None  # every council's Virtual School for looked-after children: a service, not a school
    words = list(re.finditer(r"\S+", chunk))
    i = 0
    while i < len(words):
        w = words[i].group(0).rstrip(",").casefold()
        bare = re.sub(r"['’]s$", "", w)
        if w in {"st", "st.", "saint"}:
            break
        if bare in COMMON_CAPITALISED and bare not in _SCHOOL_GENERIC:
            i += 1
            continue
        break
    if i >= len(words) - 1:
        return None  # nothing but the type word is left
    first = re.sub(r"['’]s$", "", words[i].group(0).casefold())
    if first in _SCHOOL_GENERIC:
        return None
    return start + words[i].start()


# Cheap test before the costly non-English school patterns: one of their keywords must be present.
_SCHOOL_OTHER_KEYS = (
    "szko", "przedszk", "gimnaz", "liceu", "liceo", "zespół", "școal", "scoal", "școli", "colegiu", "grădini",
    "gradini", "école", "ecole", "collège", "lycée", "escuela", "colegio", "instituto", "escola", "scuola",
    "istituto", "okulu", "lisesi", "koleji", "школ", "ліце", "гімназ", "小学", "中学", "学校", "幼儿园",
)


# A school name typed in lower case: the name word must look like an English place name ("greenfield primary",
# "oakfield academy", "st mary's primary"); "special school", "the primary" and "his old academy" stay.
_PLACE_SUFFIX = (
    r"(?:field|fields|wood|woods|dale|ton|ham|ley|leigh|bury|borough|brook|side|well|wells|mead|hill|hills|lands"
    r"|worth|ford|gate|bridge|stone|view|park|green|moor|croft|ridge|mount|vale|combe|thorpe|by|wick|stead"
    r"|cliffe|grove|haven|hurst|shaw|holme|wich|port|mouth|minster|church|castle|cross|heath|lea|acre|acres)"
)
_SCHOOL_LOWER = re.compile(
    rf"(?<![^\W\d_])(?:(?:st\.?|saint)\s+[a-z]+['’]s|[a-z]+{_PLACE_SUFFIX}(?:\s+[a-z]+{_PLACE_SUFFIX})?)"
    r"\s+(?:(?:primary|junior|infant|infants|community|high|secondary|c\s+of\s+e|special)\s+)*"
    r"(?:primary|academy|school|college|infants|juniors|nursery|high)\b"
)
_SCHOOL_LOWER_GENERIC = frozenset("hospital forest boarding".split())


def find_schools(text: str) -> list[Span]:
    spans = [
        Span(m.start(), m.end(), "school")
        for m in _SCHOOL_LOWER.finditer(text)
        if m.group(0).split()[0] not in _SCHOOL_LOWER_GENERIC
    ]
    for m in _SCHOOL_EN.finditer(text):
        begin = _school_ok(text, m.start(), m.end())
        if begin is not None:
            spans.append(Span(begin, m.end(), "school"))
    folded = text.casefold()
    if not any(key in folded for key in _SCHOOL_OTHER_KEYS):
        return spans
    for m in _SCHOOL_OTHER.finditer(text):
        chunk = m.group(0)
        if "\u4e00" <= chunk[:1] <= "\u9fff" and chunk[:-2] in _ZH_GENERIC_SCHOOL:
            continue
        start = m.start()
        if chunk[:1].islower() and not _DIGIT.search(chunk):
            # "el colegio Oakmeadow Primary": the lower-case word is generic; only the name goes
            # ("szkoła nr 5", "школа № 5" are names as a whole)
            first_name = _FIRST_CAPITAL.search(chunk)
            if first_name is None:
                continue
            start += first_name.start()
        spans.append(Span(start, m.end(), "school"))
    return spans
