"""The `parentvoice` command run as an operator runs it: a real subprocess, optionally against a live stand-in."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from bot.standin.server import StandIn

SECRET = "s" * 32


def run_cli(*args: str, env: dict | None = None, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PARENTVOICE_SECRET": SECRET, **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout, check=False, **kwargs)


async def run_against_standin(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """`parentvoice run` with a live stand-in, so that without the fix it would get as far as the database."""
    async with StandIn() as standin:
        base = standin.base_url.removesuffix("/bot")
        return await asyncio.to_thread(run_cli, *args, env={"TELEGRAM_BOT_TOKEN": "1:X",
                                                            "TELEGRAM_API_BASE_URL": base, **(env or {})},
                                       timeout=60, **kwargs)
