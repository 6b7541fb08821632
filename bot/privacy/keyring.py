"""The secret's check value and the wrapped data key: pure functions, no database.

PARENTVOICE_SECRET is the key-encryption key. What pseudonyms, code hashes and sealed chat ids are keyed
with is the *data key*, stored in the database only wrapped (encrypted) with the secret. Changing the
secret therefore means re-wrapping one value, and every parent, withdrawal code, invite and subscription
keeps working. A check value (an HMAC of a fixed label) tells a wrong secret apart at start-up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CHECK_LABEL = b"parentvoice secret check v1"
WRAP_LABEL = b"parentvoice key wrap v1"


def check_value(secret: str) -> str:
    """Stored at first start; equal only for the same secret, and says nothing about the secret itself."""
    return hmac.new(secret.encode(), CHECK_LABEL, hashlib.sha256).hexdigest()


def matches(secret: str, stored_check: str) -> bool:
    return hmac.compare_digest(check_value(secret), stored_check)


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=WRAP_LABEL).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def wrap(secret: str, data_key: str) -> str:
    return _fernet(secret).encrypt(data_key.encode()).decode("ascii")


def unwrap(secret: str, wrapped: str) -> str | None:
    """The data key, or None when the secret is not the one it was wrapped with (or the value was altered)."""
    try:
        return _fernet(secret).decrypt(wrapped.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return None
