"""How long the share kit's text message is in every language: encoding, length and number of messages.

    python -m bench.sms_lengths [link]

Uses the demo inspection (Derby) and a forum link of the real length (50 characters by default).
"""

from __future__ import annotations

import sys

from bot.broadcast.sharekit import share_texts
from bot.demo import sample_inspection
from bot.i18n.catalog import translator
from bot.i18n.languages import LANGUAGES

DEFAULT_LINK = "https://t.me/ParentVoiceBot?start=derby26-f1a2b3c4"


def main(argv: list[str]) -> int:
    link = argv[0] if argv else DEFAULT_LINK
    inspection = sample_inspection()
    print(f"link: {len(link)} characters")
    print("| language | encoding | length | one message holds | messages |")
    print("|---|---|---|---|---|")
    for lang in LANGUAGES:
        length = share_texts(translator(lang.code), inspection, link).sms_length
        assert length is not None
        print(f"| {lang.code} | {length.encoding} | {length.length} | {length.limit} | {length.parts} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
