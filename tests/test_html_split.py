"""split_text never makes HTML that Telegram refuses, and loses no words (checked with the stand-in's parser)."""

from __future__ import annotations

import random
from html import escape

import pytest

from bot.replies import split_text
from bot.standin.formatting import parse_html
from bot.telegram.links import button_url

WORDS = ["speech", "therapist", "&", "<help>", "école", "مدرسة", "學校", "😀", "EHC", "plan", "a", "waited"]


def _random_html(rng: random.Random, size: int) -> str:
    out: list[str] = []
    while sum(map(len, out)) < size:
        words = " ".join(escape(rng.choice(WORDS)) for _ in range(rng.randint(1, 60)))
        kind = rng.choice(["plain", "b", "blockquote", "nested", "link"])
        if kind == "plain":
            out.append(words)
        elif kind == "nested":
            out.append(f"<blockquote><b>{words}</b> {words}</blockquote>")
        elif kind == "link":
            out.append(f'<a href="https://example.org/a?b=1&amp;c=2">{words}</a>')
        else:
            out.append(f"<{kind}>{words}</{kind}>")
        out.append(rng.choice(["\n\n", "\n", " "]))
    return "".join(out)


def _words(html_text: str) -> list[str]:
    return parse_html(html_text)[0].split()


@pytest.mark.parametrize("seed", range(40))
def test_every_part_is_valid_html_under_the_limit_and_no_word_is_lost(seed):
    rng = random.Random(seed)
    text = _random_html(rng, rng.randint(500, 12_000))
    limit = rng.choice([200, 1000, 4096])
    parts = split_text(text, limit)
    for part in parts:
        assert len(part) <= limit
        parse_html(part)                          # raises ApiError as Telegram would refuse it
    assert "".join(w for p in parts for w in _words(p)) == "".join(_words(text))


def test_a_quote_cut_in_two_is_closed_and_reopened():
    text = "Kept:\n\n<blockquote>" + "\n\n".join(["word " * 30] * 10) + "</blockquote>\n\nDone?"
    parts = split_text(text, 700)
    assert len(parts) > 2
    assert all(p.count("<blockquote>") == p.count("</blockquote>") for p in parts)
    assert all(any(e["type"] == "blockquote" for e in parse_html(p)[1]) for p in parts[1:-1])


def test_a_cut_never_falls_inside_a_character_reference():
    text = "&amp;" * 100
    assert all(p.endswith("&amp;") and parse_html(p)[0] == "&" * (len(p) // 5) for p in split_text(text, 33))


def test_short_text_is_left_alone():
    assert split_text("<b>hi</b>", 4096) == ["<b>hi</b>"]


@pytest.mark.parametrize("url, ok", [
    ("https://www.ofsted.gov.uk/survey", True), ("http://example.org", True), ("notaurl", False),
    ("https://", False), ("ftp://example.org", False), ("https://exa mple.org", False), ("https://localhost", False),
    ("https://[::1", False), ("", False), (None, False),
])
def test_button_urls_that_telegram_would_refuse_are_dropped(url, ok):
    assert (button_url(url) is not None) is ok
