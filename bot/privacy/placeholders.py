"""The scrubber's placeholders in the parent's own language, for text shown back to that parent.

Stored text keeps the canonical English tokens ("[name]", "[phone]": reports, tests and inspectors rely on
them); only what a parent reads is translated, so a Polish answer reads "[imię]" and not "[name]".
"""

from __future__ import annotations

import re

from bot.i18n.catalog import Translator
from bot.i18n.markers import N_
from bot.privacy.scrub import PLACEHOLDERS

#: Each canonical token as a msgid (marked here so extraction finds them; the token is its own msgid).
MSGIDS: dict[str, str] = {
    "[name]": N_("[name]"),
    "[phone]": N_("[phone]"),
    "[email]": N_("[email]"),
    "[postcode]": N_("[postcode]"),
    "[address]": N_("[address]"),
    "[date of birth]": N_("[date of birth]"),
    "[NHS number]": N_("[NHS number]"),
    "[school]": N_("[school]"),
    "[handle]": N_("[handle]"),
    "[link]": N_("[link]"),
}

_TOKEN = re.compile("|".join(re.escape(token) for token in sorted(
    set(PLACEHOLDERS.values()) | set(MSGIDS), key=len, reverse=True)))


def localise_placeholders(text: str, t: Translator) -> str:
    """``text`` with every canonical placeholder replaced by its translation (unknown ones stay as they are)."""
    return _TOKEN.sub(lambda m: t.gettext(MSGIDS.get(m.group(0), m.group(0))), text)
