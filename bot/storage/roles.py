"""Staff roles, invite codes and the audit trail.

Codes have 128 bits of randomness or more, are stored only as a keyed hash, work once, and expire.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.privacy.pseudonym import keyed_hash, pseudonym
from bot.storage.db import Database, now_iso

ROLES = ("forum", "inspector", "admin")


@dataclass(frozen=True)
class Grant:
    user_id: int
    role: str
    inspection_id: str | None
    forum_code: str | None
    label: str | None


def new_code() -> str:
    """22 URL-safe characters: 132 bits of randomness, short enough to paste into a chat."""
    return secrets.token_urlsafe(17)[:22]


async def create_invite(db: Database, secret: str, role: str, *, inspection_id: str | None = None,
                        label: str | None = None, expires: timedelta = timedelta(days=7)) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role == "inspector" and not inspection_id:
        raise ValueError("an inspector's invite must name the inspection (--inspection ID)")
    code = new_code()
    now = datetime.now(UTC)
    await db.execute(
        "INSERT INTO invites (code_hash, role, inspection_id, label, created_at, expires_at) VALUES (?,?,?,?,?,?)",
        (keyed_hash(secret, "invite", code), role, inspection_id or "", label, now.isoformat(timespec="seconds"),
         (now + expires).isoformat(timespec="seconds")),
    )
    await audit(db, "operator", "invite.created", f"role={role} inspection={inspection_id or '-'}")
    return code


async def redeem(db: Database, secret: str, code: str, user_id: int) -> Grant | None:
    """Use a code once. None for an unknown, used or expired code (the caller says so without detail)."""
    code_hash = keyed_hash(secret, "invite", code.strip())
    row = await db.fetchone("SELECT * FROM invites WHERE code_hash = ?", (code_hash,))
    now = datetime.now(UTC)
    if row is None or row["used_at"] is not None or datetime.fromisoformat(row["expires_at"]) < now:
        # Whoever tries a code may be a parent: their Telegram id never goes beside a pseudonymous database.
        actor = f"staff:{user_id}" if await grants_of(db, user_id) else f"pseudonym:{pseudonym(secret, user_id)}"
        await audit(db, actor, "invite.refused", "unknown, used or expired code")
        return None
    claimed = await db.execute("UPDATE invites SET used_at = ? WHERE code_hash = ? AND used_at IS NULL",
                               (now_iso(), code_hash))
    if claimed != 1:
        return None
    forum_code = None
    if row["role"] == "forum":
        forum_code = "f" + secrets.token_hex(4)
    await db.execute(
        "INSERT INTO roles (user_id, role, inspection_id, forum_code, label, granted_at) VALUES (?,?,?,?,?,?)"
        " ON CONFLICT (user_id, role, inspection_id) DO UPDATE SET label = excluded.label",
        (user_id, row["role"], row["inspection_id"], forum_code, row["label"], now_iso()),
    )
    await audit(db, f"staff:{user_id}", "role.granted", f"role={row['role']} inspection={row['inspection_id'] or '-'}")
    return Grant(user_id, row["role"], row["inspection_id"] or None, forum_code, row["label"])


async def is_forum_code(db: Database, code: str) -> bool:
    """True when a forum holds this code (the forum part of a deep link names a real forum)."""
    return await db.fetchone("SELECT 1 FROM roles WHERE role = 'forum' AND forum_code = ?", (code,)) is not None


async def grants_of(db: Database, user_id: int) -> list[Grant]:
    found = await db.fetchall("SELECT * FROM roles WHERE user_id = ? ORDER BY role, inspection_id", (user_id,))
    return [Grant(r["user_id"], r["role"], r["inspection_id"] or None, r["forum_code"], r["label"]) for r in found]


async def has_role(db: Database, user_id: int, role: str, inspection_id: str | None = None,
                   admin_ids: frozenset[int] = frozenset()) -> bool:
    """Admins (configured ids or granted) may do anything; an inspector only for their own inspection."""
    if user_id in admin_ids:
        return True
    for grant in await grants_of(db, user_id):
        if grant.role == "admin":
            return True
        if grant.role == role and (role != "inspector" or inspection_id is None or grant.inspection_id == inspection_id):
            return True
    return False


async def audit(db: Database, actor: str, action: str, detail: str = "") -> None:
    await db.execute("INSERT INTO audit (at, actor, action, detail) VALUES (?,?,?,?)", (now_iso(), actor, action, detail))


async def audit_log(db: Database, limit: int = 200) -> list[tuple[str, str, str, str]]:
    found = await db.fetchall("SELECT at, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,))
    return [(r[0], r[1], r[2], r[3]) for r in found]
