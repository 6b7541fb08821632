"""`parentvoice standin`: run the Bot API stand-in until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from bot.standin.server import StandIn


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parentvoice standin",
        description="Run a local stand-in of the Telegram Bot API (for tests, the demo and benchmarks).",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1; keep it local)"
    )
    parser.add_argument("--port", type=int, default=8081, help="TCP port (0 picks a free one; default 8081)")
    parser.add_argument("--bot-username", default="ParentVoiceBot", help="the bot's @username in getMe")
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        help="accept only this token (repeatable); without it any token is accepted",
    )
    parser.add_argument(
        "--limits",
        action="store_true",
        help="enforce Telegram's flood limits (1/s per chat, 30/s overall, 20/min per group)",
    )
    return parser


async def serve(
    args: argparse.Namespace, ready: asyncio.Event | None = None, stop: asyncio.Event | None = None
) -> None:
    """Runs until `stop` is set (or SIGINT/SIGTERM when run from main)."""
    standin = StandIn(
        args.host, args.port, token_check=bool(args.token), bot_username=args.bot_username, tokens=args.token
    )
    if args.limits:
        standin.enforce_limits()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    async with standin:
        print(f"Bot API stand-in: base_url {standin.base_url}", flush=True)
        print(f"Control API:      {standin.control_url}/  (see docs/standin.md); Ctrl-C stops", flush=True)
        if ready is not None:
            ready.set()
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"cannot start the stand-in: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
