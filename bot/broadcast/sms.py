"""How long a text message is: GSM-7 or UCS-2, characters as a phone counts them, and how many messages.

A text message holds 160 characters of the GSM 03.38 default alphabet, or 70 UTF-16 code units when any
character is outside it (most non-Latin scripts, and Latin letters such as ą, ș or á). Characters of the
GSM extension table (€ [ ] { } ^ ~ | \\ and form feed) take two places. A longer text is split into parts
of 153 (GSM-7) or 67 (UCS-2) that never cut an escape pair or a surrogate pair. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
SINGLE = {"GSM-7": 160, "UCS-2": 70}
PART = {"GSM-7": 153, "UCS-2": 67}
#: Typographic characters a phone would force into UCS-2, and their GSM-7 equivalents.
_PLAIN = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-"})

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class SmsLength:
    encoding: Encoding
    length: int  # characters as the phone counts them: septets (extension characters twice) or UTF-16 units
    parts: int  # text messages it is sent as

    @property
    def limit(self) -> int:
        """What one text message holds in this encoding."""
        return SINGLE[self.encoding]


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _costs(text: str, encoding: Encoding) -> list[int]:
    if encoding == "GSM-7":
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [len(ch.encode("utf-16-le")) // 2 for ch in text]


def sms_length(text: str) -> SmsLength:
    encoding: Encoding = "GSM-7" if is_gsm7(text) else "UCS-2"
    costs = _costs(text, encoding)
    total = sum(costs)
    if total <= SINGLE[encoding]:
        return SmsLength(encoding, total, 1 if total else 0)
    parts, used = 1, 0
    for cost in costs:  # a character never straddles two parts
        if used + cost > PART[encoding]:
            parts, used = parts + 1, 0
        used += cost
    return SmsLength(encoding, total, parts)


def for_sms(text: str) -> str:
    """The text with typographic spaces and quotes made plain when that lets it go as GSM-7 (more room)."""
    plain = text.translate(_PLAIN)
    return plain if is_gsm7(plain) and not is_gsm7(text) else text
