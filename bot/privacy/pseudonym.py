"""Respondent keys: HMAC-SHA256 of the Telegram user id with a secret that never enters the database.

With the database alone nobody can be identified; with the secret too, a known user id can be checked,
which is what lets a parent come back, edit or delete.
"""

from __future__ import annotations

import hashlib
import hmac

MIN_SECRET_LENGTH = 16


class SecretError(ValueError):
    pass


def check_secret(secret: str | None) -> str:
    if not secret:
        raise SecretError(
            "PARENTVOICE_SECRET is not set. It keys the pseudonyms of parents and must be kept outside the "
            "database. Make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    if len(secret) < MIN_SECRET_LENGTH:
        raise SecretError(f"PARENTVOICE_SECRET must be at least {MIN_SECRET_LENGTH} characters long.")
    return secret


def pseudonym(secret: str, user_id: int) -> str:
    return hmac.new(secret.encode(), f"telegram:{user_id}".encode(), hashlib.sha256).hexdigest()


def keyed_hash(secret: str, purpose: str, value: str) -> str:
    """A hash for codes stored in the database (withdrawal codes, invites): useless without the secret."""
    return hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
