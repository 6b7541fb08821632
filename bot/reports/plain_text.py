"""Telegram HTML turned into plain text for a terminal or a .txt file (``parentvoice report --format text``).

The text report is written for Telegram (``<b>``, ``<i>``, ``<a href>``, ``<blockquote>``, entities such as
``&amp;``); a terminal shows those tags raw. Links keep their address in brackets, quotes are indented.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Plain(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._href: list[str | None] = []
        self._link_start: list[int] = []
        self._quote = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href.append(dict(attrs).get("href"))
            self._link_start.append(len(self.out))
        elif tag == "blockquote":
            self._quote += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href:
            href, start = self._href.pop(), self._link_start.pop()
            label = "".join(self.out[start:])
            if href and href != label:
                self.out.append(f" ({href})")
        elif tag == "blockquote" and self._quote:
            self._quote -= 1

    def handle_data(self, data: str) -> None:
        if self._quote:
            data = data.replace("\n", "\n    ")
            if not self.out or self.out[-1].endswith("\n"):
                data = "    " + data
        self.out.append(data)


def telegram_html_to_text(html: str) -> str:
    """Plain text with the same words as the Telegram HTML: tags dropped, entities decoded, link targets kept."""
    parser = _Plain()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
