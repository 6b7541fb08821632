"""Bot API request parameters, whatever encoding the client chose.

PTB sends form-encoded bodies with numbers as strings and nested objects as JSON strings, and
multipart when a file is attached; other clients send JSON with real types.  Params hides the
difference and raises Telegram's 400s for malformed values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.standin.models import bad_request

_TRUE = frozenset({"true", "1", "yes"})


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart body."""

    data: bytes
    filename: str | None = None
    content_type: str | None = None


class Params:
    """Typed access to one request's parameters."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __contains__(self, name: str) -> bool:
        return name in self._values and self._values[name] not in (None, "")

    def names(self) -> list[str]:
        return list(self._values)

    def raw(self, name: str) -> Any:
        return self._values.get(name)

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self._values.get(name)
        if value is None or isinstance(value, Upload):
            return default
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        return str(value)

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def float(self, name: str, default: float | None = None) -> float | None:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def bool(self, name: str, default: bool = False) -> bool:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in _TRUE

    def json(self, name: str, what: str | None = None) -> Any:
        """Decodes a JSON-string parameter; JSON bodies may already carry the object itself."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {what or name} JSON object") from None

    def file(self, name: str) -> Upload | str | None:
        """A file parameter: an upload, or a file_id/URL string; follows attach:// references."""
        value = self._values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self._values.get(value[len("attach://") :])
        if isinstance(value, Upload) or (isinstance(value, str) and value):
            return value
        return None
