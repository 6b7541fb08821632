"""Terms the scrubber must never take for a name: SEND services and jargon, and the 153 English local areas.

Inspectors need to know which council and which services a parent is talking about, and area names such as
"Bury", "Reading" or "Sutton" look exactly like surnames.  The area list is read once from
`bot/data/local_areas.csv` (names and ';'-separated aliases) the first time a text is scrubbed.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from bot.privacy.scrub_script import WORD_END, WORD_START, trie_pattern

AREAS_CSV = Path(__file__).resolve().parent.parent / "data" / "local_areas.csv"

# Written as parents write them; matched case-sensitively (a lower-case word is never taken for a name anyway).
SEND_TERMS: tuple[str, ...] = (
    "CAMHS",
    "EHC plan",
    "EHC Plan",
    "EHC needs assessment",
    "EHCNA",
    "EHCP",
    "EHC",
    "SENCO",
    "SENCo",
    "SENDCo",
    "SENDCO",
    "SEN",
    "SEND",
    "SENDIASS",
    "SENDIST",
    "IASS",
    "NHS",
    "OT",
    "SALT",
    "SLT",
    "ADHD",
    "ADD",
    "ASD",
    "ASC",
    "GP",
    "CQC",
    "Ofsted",
    "IPSEA",
    "LA",
    "Local Offer",
    "Local Authority",
    "Local Area",
    "PRU",
    "TA",
    "LSA",
    "EP",
    "Educational Psychologist",
    "Educational Psychology",
    "Speech and Language Therapy",
    "Speech and Language",
    "Occupational Therapy",
    "Virtual School",
    "Child Development Centre",
    "Children's Services",
    "Social Services",
    "Early Help",
    "Parent Carer Forum",
    "Portage",
    "Makaton",
    "Mencap",
    "Contact",
    "National Autistic Society",
    "Barnardo's",
    "SEMH",
    "SpLD",
    "PDA",
    "ODD",
    "OCD",
    "ARFID",
    "MLD",
    "SLD",
    "PMLD",
    "DLA",
    "PIP",
    "Carer's Allowance",
    "Universal Credit",
    "Down Syndrome",
    "Down's Syndrome",
    "Great Ormond Street", "Alder Hey", "Evelina London", "Evelina",
    "Telegram",
    "WhatsApp",
    "Facebook",
    "Key Stage",
    "Year",
    "Reception",
)


def _read_areas(path: Path) -> list[str]:
    names: list[str] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names.append(row["name"].strip())
            names.extend(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip())
    return names


@cache
def area_names() -> tuple[str, ...]:
    """Every local area name and alias from the CSV (loaded once)."""
    return tuple(_read_areas(AREAS_CSV))


@cache
def _protected_pattern() -> re.Pattern[str]:
    return re.compile(WORD_START + "(?:" + trie_pattern(set(SEND_TERMS) | set(area_names())) + ")" + WORD_END)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Where the text names a local area or a SEND service; names found there are discarded."""
    return [(m.start(), m.end()) for m in _protected_pattern().finditer(text)]
