"""What the privacy notice must tell a parent about this deployment: who runs it, how long answers are kept,
and where the full notice is. Set by the operator in the environment and checked once at start-up.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass

from bot.privacy.retention import DEFAULT_RETENTION_DAYS, retention_days

log = logging.getLogger(__name__)

#: Shown when the operator has not named themselves: the service's own name, never a made-up organisation.
DEFAULT_OPERATOR_NAME = "ParentVoice"


@dataclass(frozen=True)
class NoticeSettings:
    operator_name: str = DEFAULT_OPERATOR_NAME
    retention_days: int = DEFAULT_RETENTION_DAYS
    #: The operator's published privacy notice (http or https). None: the bot shows the notice in the chat.
    privacy_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NoticeSettings:
        """PARENTVOICE_OPERATOR_NAME, PARENTVOICE_RETENTION_DAYS and PARENTVOICE_PRIVACY_URL."""
        env = os.environ if env is None else env
        name = " ".join(env.get("PARENTVOICE_OPERATOR_NAME", "").split()) or DEFAULT_OPERATOR_NAME
        days = retention_days(env)
        if days < 0:
            raise ValueError("PARENTVOICE_RETENTION_DAYS cannot be negative")
        url = env.get("PARENTVOICE_PRIVACY_URL", "").strip() or None
        if url is not None and not url.startswith(("https://", "http://")):
            log.warning("PARENTVOICE_PRIVACY_URL is not an http(s) address; the notice is shown in the chat instead")
            url = None
        return cls(name[:80], days, url)
