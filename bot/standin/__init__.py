"""A local stand-in of the Telegram Bot API, for tests, the demo and benchmarks (docs/standin.md)."""

from bot.standin.models import ApiError
from bot.standin.server import StandIn

__all__ = ["ApiError", "StandIn"]
