"""Staff members in end-to-end tests: people who redeemed a role's invite the way /redeem does."""

from __future__ import annotations

from pathlib import Path

from bot.demo import Running
from bot.standin.user import SimulatedUser
from bot.storage import roles
from bot.storage.db import Database


async def inspector_of(run: Running, db_path: Path, secret: str, user_id: int,
                       inspection_id: str = "derby26") -> SimulatedUser:
    """A staff member who redeemed an inspector's invite for one inspection."""
    db = await Database.open(db_path)
    code = await roles.create_invite(db, secret, "inspector", inspection_id=inspection_id)
    await db.close()
    inspector = run.user(user_id)
    await inspector.send(f"/redeem {code}")
    return inspector
