"""Callback data: encoded and parsed in one place, and never trusted.

Every button carries ``kind:arg:arg`` in ASCII (Telegram allows 1-64 bytes). Parsing returns None for
anything malformed; the conversation then checks the parsed press against the parent's current state, so
a stale or forged button can only ever produce a kind "that button is old" reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_]{1,32}$")

# kind -> number of arguments
KINDS: dict[str, int] = {
    "lang": 1,      # choose interface language
    "consent": 1,   # yes | no
    "area": 1,      # ONS code picked from suggestions
    "retype": 0,    # none of the suggested areas
    "pick": 2,      # question, choice
    "tog": 2,       # question, choice (multi-choice toggle)
    "done": 1,      # question (multi-choice Done)
    "skip": 1,      # question
    "back": 0,
    "edit": 1,      # question, from the review
    "review": 0,
    "rv": 1,        # review page (from 1): Previous / Next
    "submit": 0,
    "th": 2,        # question, theme (toggle)
    "thok": 1,      # question: themes confirmed
    "thno": 1,      # question: none of these
    "thmore": 1,    # question: something else (show all)
    "del": 1,       # yes | no
    "child": 0,     # start a response for another child
    "resume": 0,
    "nodel": 1,     # question: delete the note typed at a button question
    "sgh": 0,       # "Get help now" under the calm line for a possible risk: show the crisis message
    # forums (bot.telegram.forum) and subscriptions (bot.telegram.subscriptions)
    "flink": 2,     # chat (n<id> for negative ids), yes | no: confirm linking a channel or group
    "funlink": 1,   # chat
    "fins": 2,      # mode (a announce, k share kit, r reach), inspection
    "flang": 3,     # mode, inspection, language bitmask (hex) after this press
    "fgo": 3,       # mode, inspection, language bitmask: preview / make the kit
    "fpost": 2,     # inspection, language bitmask: send the announcement
    "fstop": 0,     # cancel
    "sub": 1,       # yes | no: subscribe to news of my area
}


@dataclass(frozen=True)
class Press:
    kind: str
    args: tuple[str, ...] = ()

    def arg(self, i: int) -> str:
        return self.args[i]


def encode(kind: str, *args: str) -> str:
    if KINDS.get(kind) != len(args) or not all(_PART.match(a) for a in args):
        raise ValueError(f"bad callback {kind!r} {args!r}")
    data = ":".join((kind, *args))
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Press | None:
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    kind, *args = data.split(":")
    if KINDS.get(kind) != len(args) or not all(_PART.match(a) for a in args):
        return None
    return Press(kind, tuple(args))
