"""Web links an operator gives (the official survey, the published report): one rule for every command.

Telegram refuses a button whose URL it cannot use, and a parent then sees an error instead of their
withdrawal code; so a link is accepted only when it is https, names a real host and has no spaces.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")


def url_problem(value: str) -> str | None:
    """Why this is not a usable https link, or None when it is. Pure: no network."""
    if not value or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return "it must not be empty or contain spaces"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return "it is not a web address"
    if parts.scheme.lower() != "https":
        return "it must start with https://"
    if parts.username is not None or parts.password is not None:
        return "it must not contain a user name or password"
    host = (parts.hostname or "").rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or not _TLD.match(labels[-1]):
        return "it must name a real web site, like www.example.org"
    if port == 0:
        return "it has an impossible port"
    return None


def require_https_url(value: str, option: str) -> str:
    """The link unchanged, or ValueError naming the option and what to give instead."""
    problem = url_problem(value)
    if problem:
        raise ValueError(f"{option} {value!r} is not a usable link: {problem} "
                         "(for example https://www.example.org/survey).")
    return value
