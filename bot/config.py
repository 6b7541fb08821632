"""Settings from the environment, checked once at start-up with messages an operator can act on."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.privacy.pseudonym import check_secret

DEFAULT_API = "https://api.telegram.org"
#: The SQLite file when neither ``--db`` nor PARENTVOICE_DB names one. Read only through ``database_path``.
DEFAULT_DB_PATH = Path("parentvoice.db")


class ConfigError(ValueError):
    pass


def database_path(given: str | Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The database file: ``given`` (``--db``), else PARENTVOICE_DB, else ``DEFAULT_DB_PATH``."""
    env = os.environ if env is None else env
    return Path(given or env.get("PARENTVOICE_DB", str(DEFAULT_DB_PATH)))


HTTP_CLIENTS = ("aiohttp", "httpx")


def http_client(name: str) -> str:
    """The Bot API client by name; anything else is a configuration error, said plainly at start-up."""
    name = name.strip().lower() or "aiohttp"
    if name not in HTTP_CLIENTS:
        raise ConfigError(f"PARENTVOICE_HTTP_CLIENT must be one of {', '.join(HTTP_CLIENTS)}, not {name!r}.")
    return name


@dataclass(frozen=True)
class Config:
    token: str
    secret: str
    db_path: Path = DEFAULT_DB_PATH
    api_base_url: str = DEFAULT_API
    webhook_url: str | None = None          # public HTTPS URL Telegram posts to; set = webhook mode
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    rate_limit: bool = True                 # PTB's AIORateLimiter; off against the stand-in in tests
    flood_burst: int = 12                   # updates a parent may send at once...
    flood_rate: float = 1.0                 # ...refilled at this many a second
    max_concurrent_updates: int = 64        # chats handled at once (each chat stays in order)
    http_client: str = "aiohttp"            # Bot API client: aiohttp (bot/telegram/transport.py) or httpx (PTB's)

    @property
    def bot_api_url(self) -> str:
        base = self.api_base_url.rstrip("/")
        return base if base.endswith("/bot") else f"{base}/bot"

    @property
    def file_api_url(self) -> str:
        return self.bot_api_url.removesuffix("/bot") + "/file/bot"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Config:
        env = os.environ if env is None else env
        token = str(overrides.pop("token", None) or env.get("TELEGRAM_BOT_TOKEN", ""))
        if not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather, or run "
                              "'parentvoice demo' to try the bot locally without one.")
        try:
            secret = check_secret(str(overrides.pop("secret", None) or env.get("PARENTVOICE_SECRET", "")))
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        webhook_url = env.get("PARENTVOICE_WEBHOOK_URL") or None
        webhook_secret = env.get("PARENTVOICE_WEBHOOK_SECRET") or None
        if webhook_url and not webhook_secret:
            raise ConfigError("Webhook mode needs PARENTVOICE_WEBHOOK_SECRET (1-256 characters of A-Z a-z 0-9 _ -), "
                              "so that only Telegram can post updates.")
        admins = frozenset(int(x) for x in env.get("PARENTVOICE_ADMIN_IDS", "").replace(",", " ").split() if x)
        values: dict[str, object] = {
            "token": token,
            "secret": secret,
            "db_path": database_path(None, env),
            "api_base_url": env.get("TELEGRAM_API_BASE_URL", DEFAULT_API),
            "webhook_url": webhook_url,
            "webhook_secret": webhook_secret,
            "webhook_listen": env.get("PARENTVOICE_WEBHOOK_LISTEN", "0.0.0.0"),
            "webhook_port": int(env.get("PARENTVOICE_WEBHOOK_PORT", "8443")),
            "admin_ids": admins,
            "http_client": http_client(env.get("PARENTVOICE_HTTP_CLIENT", "aiohttp")),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
