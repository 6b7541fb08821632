"""Sealing short-lived blobs (fetched updates) under a key derived from PARENTVOICE_SECRET.

Same construction as the subscribers' sealed chat ids (HKDF of the secret with a label of its own, then
Fernet), so a database copied without the secret reads as noise, and a tampered row is refused.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


@lru_cache(maxsize=8)
def _fernet(secret: str, label: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal_bytes(secret: str, label: bytes, data: bytes) -> str:
    return _fernet(secret, label).encrypt(data).decode("ascii")


def unseal_bytes(secret: str, label: bytes, token: str) -> bytes | None:
    """The data, or None when it was sealed with another secret or label, or altered."""
    try:
        return _fernet(secret, label).decrypt(token.encode("ascii"))
    except (InvalidToken, ValueError):
        return None
