"""The secret check and the wrapped data key in SQLite (see bot/privacy/keyring.py for why)."""

from __future__ import annotations

from pathlib import Path

from bot.privacy import keyring
from bot.storage.db import Database, now_iso


class SecretMismatch(RuntimeError):
    """PARENTVOICE_SECRET is not the secret this database was started with."""


MISMATCH = ("PARENTVOICE_SECRET is not the secret this database ({path}) was first started with, so the bot "
            "would not find any parent again (nobody could resume, and /delete would delete nothing). Set the "
            "original secret. To change the secret on purpose, put the old one in another variable and run: "
            "OLD_SECRET=... parentvoice rotate-secret --old-secret-env OLD_SECRET  (the new one in "
            "PARENTVOICE_SECRET).")


async def data_key(db: Database, secret: str) -> str:
    """The key to use for pseudonyms, code hashes and sealing; stores the check value on first use.

    Raises SecretMismatch when the database was started with another secret.
    """
    await db.execute("INSERT OR IGNORE INTO secret_check (id, check_value, wrapped_key, created_at)"
                     " VALUES (1, ?, ?, ?)", (keyring.check_value(secret), keyring.wrap(secret, secret), now_iso()))
    row = await db.fetchone("SELECT check_value, wrapped_key FROM secret_check WHERE id = 1")
    assert row is not None
    key = keyring.unwrap(secret, row["wrapped_key"]) if keyring.matches(secret, row["check_value"]) else None
    if key is None:
        raise SecretMismatch(MISMATCH.format(path=db.path))
    return key


async def rotate(db: Database, old_secret: str, new_secret: str) -> None:
    """Re-wrap the data key with the new secret; nothing else changes, so nothing is lost."""
    async with db.transaction():
        key = await data_key(db, old_secret)
        await db.execute("UPDATE secret_check SET check_value = ?, wrapped_key = ?, rotated_at = ? WHERE id = 1",
                         (keyring.check_value(new_secret), keyring.wrap(new_secret, key), now_iso()))
        await db.execute("INSERT INTO audit (at, actor, action, detail) VALUES (?, 'operator', 'secret.rotated', '')",
                         (now_iso(),))


async def checked_key(path: Path, secret: str) -> str:
    """Open the database (migrating it), check the secret and return the data key; closes it again."""
    db = await Database.open(path)
    try:
        return await data_key(db, secret)
    finally:
        await db.close()
