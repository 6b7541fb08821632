"""Withdrawal codes: short enough to write down, useless without the server's secret.

A parent gets one when they first submit. With it they can delete that response from any Telegram
account (a new phone, a shared phone). Only a keyed hash is stored.
"""

from __future__ import annotations

import secrets

from bot.privacy.pseudonym import keyed_hash

_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or copied by hand
_GROUPS, _GROUP_LEN = 3, 4


def new_code() -> str:
    """12 characters in three groups (about 59 bits), e.g. ``K7QM-2XVA-P9TD``."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP_LEN))
    return "-".join(raw[i:i + _GROUP_LEN] for i in range(0, len(raw), _GROUP_LEN))


def normalise(code: str) -> str:
    """What a parent types, in any case, with or without spaces and dashes; "" when it cannot be a code."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != _GROUPS * _GROUP_LEN or any(ch not in _ALPHABET for ch in cleaned):
        return ""
    return "-".join(cleaned[i:i + _GROUP_LEN] for i in range(0, len(cleaned), _GROUP_LEN))


def code_hash(secret: str, code: str) -> str:
    return keyed_hash(secret, "withdraw", normalise(code))
