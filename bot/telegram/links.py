"""Links an operator stored, checked before they reach a parent's screen.

Telegram refuses a whole message when one URL button is invalid ("inline keyboard button URL '...' is
invalid"). A bad link already in the database must cost the parent the link, never the message: above all
not the one that carries their withdrawal code after "Send my answers".
"""

from __future__ import annotations

import logging
from dataclasses import replace
from urllib.parse import urlsplit

from bot.inspection import Inspection

log = logging.getLogger(__name__)


def button_url(url: str | None) -> str | None:
    """``url`` if Telegram takes it on a button (http or https, a dotted host, no spaces), else None."""
    if not url or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return None
    if parts.scheme.lower() not in ("https", "http") or "." not in host.strip("."):
        return None
    return url


def for_parents(inspection: Inspection) -> Inspection:
    """The inspection with any link that could not be sent left out, and the operator told in the log."""
    if inspection.official_survey_url and button_url(inspection.official_survey_url) is None:
        log.warning("official survey link of inspection %s is not a valid web address; left out of parents' "
                    "messages (fix it with the operator CLI)", inspection.id)
        return replace(inspection, official_survey_url=None)
    return inspection
