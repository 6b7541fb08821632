"""Sealing a parent's chat id so the database alone cannot say who to message.

The key is derived from PARENTVOICE_SECRET with HKDF and a fixed label, so it lives wherever the secret
lives (never in the database), and it differs from the pseudonym key. Fernet adds a random IV and a MAC:
two seals of the same id differ, and a tampered token is refused.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

LABEL = b"parentvoice contacts v1"


@lru_cache(maxsize=8)
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=LABEL).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str, chat_id: int) -> str:
    return _fernet(secret).encrypt(str(chat_id).encode()).decode("ascii")


def unseal(secret: str, token: str) -> int | None:
    """The chat id, or None when the token was sealed with another secret or altered."""
    try:
        return int(_fernet(secret).decrypt(token.encode("ascii")))
    except (InvalidToken, ValueError):
        return None
