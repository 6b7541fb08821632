"""The bot's HTTP client for the Bot API: python-telegram-bot's request interface over aiohttp.

PTB's default client (httpx) costs about three times the CPU of aiohttp's per Bot API call on this stack
(bench/RESULTS.md section 1), and a parent's button press makes three calls besides the poll. aiohttp is
already a dependency (the stand-in and the webhook server). Same contract as PTB's ``HTTPXRequest``: the
same timeouts and defaults, form-encoded parameters (multipart when a file is uploaded), ``TimedOut`` for
any timeout and ``NetworkError`` for any other transport failure, so PTB's retry and error handling see
exactly what they would see with httpx.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Callable

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


def env_proxy(url: str) -> str | None:
    """The proxy the environment names for this URL (HTTPS_PROXY, ALL_PROXY, NO_PROXY), as httpx reads it.

    Read once per origin: aiohttp's own ``trust_env`` reads it (and ~/.netrc) on a worker thread at every
    request, which cost more CPU than the request itself.
    """
    parts = urllib.parse.urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(parts.scheme) or proxies.get("all")


#: PTB's "not given" marker type, reached through its public constant (its class lives in a private module).
DefaultValue = type(BaseRequest.DEFAULT_NONE)


def _or(value: object, default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value  # type: ignore[return-value]


class AiohttpRequest(BaseRequest):
    """One ``aiohttp.ClientSession`` per request object, opened in ``initialize`` (inside the running loop).

    Defaults are PTB's (``HTTPXRequest``): 256 connections, 5 s to connect, read and write, 1 s to wait for
    a free connection, 20 s to write an upload.
    """

    __slots__ = ("_connect_timeout", "_media_write_timeout", "_on_updates", "_pool_size", "_pool_timeout",
                 "_proxies", "_read_timeout", "_session", "_write_timeout")

    def __init__(self, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0,
                 on_updates: Callable[[bytes], None] | None = None) -> None:
        """``on_updates`` gets the body of every successful getUpdates answer, as Telegram sent it (the
        durable inbox keeps each update from it instead of re-serialising PTB's objects)."""
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}
        self._on_updates = on_updates

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # No cookies: a bot keeps none. The environment's proxy is read once per origin (env_proxy).
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                cookie_jar=aiohttp.DummyCookieJar(),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        data: aiohttp.FormData | dict[str, str] | None = fields
        if files:
            form = aiohttp.FormData(fields or {})
            for name, part in files.items():
                if isinstance(part, tuple):
                    filename, content, mimetype = part
                    form.add_field(name, content, filename=filename, content_type=mimetype)
                else:
                    form.add_field(name, part)
            data = form
        read = _or(read_timeout, self._read_timeout)
        write = _or(write_timeout, self._media_write_timeout if files else self._write_timeout)
        connect = _or(connect_timeout, self._connect_timeout)
        pool = _or(pool_timeout, self._pool_timeout)
        # aiohttp has no separate write timeout: the longer of read and write bounds each wait for the answer
        # (an upload's 20 s included); waiting for a free connection is part of ``connect``.
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=None if read is None else max(read, write or 0.0),
        )
        key = "/".join(url.split("/", 3)[:3])  # scheme://host:port
        if key not in self._proxies:
            self._proxies[key] = env_proxy(url)
        try:
            async with self._session.request(method, url, data=data, timeout=timeout, proxy=self._proxies[key],
                                             allow_redirects=False) as response:  # httpx follows none either
                body = await response.read()
                status = response.status
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
        if self._on_updates is not None and status == 200 and url.endswith("/getUpdates"):
            self._on_updates(body)
        return status, body
