"""Ending a bot process a bench started: politely first, then for certain, so no run leaves one behind."""

from __future__ import annotations

import asyncio
import signal


async def stop(child: asyncio.subprocess.Process, grace: float = 30.0) -> None:
    """SIGTERM, wait up to `grace` seconds for the bot's own shutdown, then SIGKILL."""
    child.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(child.wait(), grace)
    except TimeoutError:
        child.kill()
        await child.wait()
