"""Telegram's text formatting: HTML, MarkdownV2 and legacy Markdown into plain text plus entities.

Telegram parses the markup server-side, counts the length limit on the parsed text and answers
"can't parse entities" for bad markup; bots that only ever meet the real server learn this in
production, so the stand-in parses the same way.  Entity offsets are in UTF-16 code units, as in
the Bot API.  Error texts follow TDLib's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.standin.models import ApiError, bad_request

MARKDOWN_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_HTML_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _parse_error(message: str) -> ApiError:
    return bad_request(f"can't parse entities: {message}")


@dataclass
class _Builder:
    """Accumulates output text while tracking its UTF-16 length for entity offsets."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.length > start:
            self.entities.append({"type": kind, "offset": start, "length": self.length - start, **extra})

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), entities


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_html_entity(match: re.Match[str]) -> str | None:
    body = match.group(1)
    if body.startswith(("#x", "#X")):
        code = int(body[2:], 16)
    elif body.startswith("#"):
        code = int(body[1:])
    else:
        return _NAMED_ENTITIES.get(body)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _read_attributes(text: str, i: int, tag: str, tag_start: int) -> tuple[dict[str, str], int]:
    """Reads `name="value"` pairs up to '>'; returns them and the index just past '>'."""
    attrs: dict[str, str] = {}
    n = len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise _parse_error(f"Unclosed start tag at byte offset {_byte_offset(text, tag_start)}")
        if text[i] == ">":
            return attrs, i + 1
        if text[i] == "/" and i + 1 < n and text[i + 1] == ">":
            return attrs, i + 2
        name_start = i
        while i < n and (text[i].isalnum() or text[i] in "-_"):
            i += 1
        name = text[name_start:i].lower()
        if not name:
            raise _parse_error(
                f'Empty attribute name in the tag "{tag}" at byte offset {_byte_offset(text, name_start)}'
            )
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != "=":
            if i < n and text[i] in ">/":
                attrs[name] = ""
                continue
            raise _parse_error(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {_byte_offset(text, name_start)}"
            )
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise _parse_error(f"Unclosed start tag at byte offset {_byte_offset(text, tag_start)}")
        if text[i] in "\"'":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                raise _parse_error(f"Unclosed start tag at byte offset {_byte_offset(text, tag_start)}")
            raw_value = text[i + 1 : end]
            i = end + 1
        else:
            value_start = i
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            raw_value = text[value_start:i]
        attrs[name] = _HTML_ENTITY.sub(lambda m: _decode_html_entity(m) or m.group(0), raw_value)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parses Telegram's HTML subset; raises ApiError (400) the way Telegram rejects bad markup."""
    out = _Builder()
    stack: list[tuple[str, int, dict[str, str]]] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "&":
            match = _HTML_ENTITY.match(text, i)
            decoded = _decode_html_entity(match) if match else None
            if match and decoded is not None:
                out.add(decoded)
                i = match.end()
            else:
                out.add("&")
                i += 1
            continue
        if char != "<":
            end = i + 1
            while end < n and text[end] not in "<&":
                end += 1
            out.add(text[i:end])
            i = end
            continue
        tag_start = i
        if i + 1 < n and text[i + 1] == "/":
            end = text.find(">", i + 2)
            if end < 0:
                raise _parse_error(f"Unclosed end tag at byte offset {_byte_offset(text, tag_start)}")
            name = text[i + 2 : end].strip().lower()
            if not stack:
                raise _parse_error(f"Unexpected end tag at byte offset {_byte_offset(text, tag_start)}")
            open_tag, start, attrs = stack[-1]
            if name != open_tag:
                raise _parse_error(
                    f"Unmatched end tag at byte offset {_byte_offset(text, tag_start)}, "
                    f'expected "</{open_tag}>", found "</{name}>"'
                )
            stack.pop()
            _close_html_entity(out, open_tag, start, attrs)
            i = end + 1
            continue
        j = i + 1
        while j < n and not text[j].isspace() and text[j] not in ">/":
            j += 1
        tag = text[i + 1 : j].lower()
        if j >= n:
            raise _parse_error(f"Unclosed start tag at byte offset {_byte_offset(text, tag_start)}")
        if tag not in _HTML_TAGS:
            raise _parse_error(
                f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, tag_start)}'
            )
        attrs, i = _read_attributes(text, j, tag, tag_start)
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise _parse_error(
                f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, tag_start)}'
            )
        stack.append((tag, out.length, attrs))
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _close_html_entity(out: _Builder, tag: str, start: int, attrs: dict[str, str]) -> None:
    kind = _HTML_TAGS[tag]
    if kind == "text_link":
        href = attrs.get("href", "")
        if href:
            out.entity("text_link", start, url=href)
    elif kind == "pre":
        language = attrs.get("class", "")
        if language.startswith("language-"):
            out.entity("pre", start, language=language[len("language-") :])
        else:
            out.entity("pre", start)
    elif kind == "code":
        language = attrs.get("class", "")
        # <pre><code class="language-x"> makes a pre with a language; the inner code is absorbed.
        if not language.startswith("language-"):
            out.entity("code", start)
    elif kind == "blockquote":
        out.entity("expandable_blockquote" if "expandable" in attrs else "blockquote", start)
    elif kind == "custom_emoji":
        out.entity("custom_emoji", start, custom_emoji_id=attrs.get("emoji-id", ""))
    else:
        out.entity(kind, start)


_V2_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
    "`": "Code",
    "```": "Pre",
    "[": "TextUrl",
}
_V2_KINDS = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
    "`": "code",
    "```": "pre",
}


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parses MarkdownV2; every reserved character outside markup must be escaped with '\\'."""
    out = _Builder()
    stack: list[tuple[str, int, int]] = []  # marker, output offset, source index
    i = 0
    n = len(text)
    line_start = True
    while i < n:
        char = text[i]
        in_code = bool(stack) and stack[-1][0] in ("`", "```")
        if char == "\\" and i + 1 < n and 0 < ord(text[i + 1]) < 127:
            out.add(text[i + 1])
            i += 2
            line_start = False
            continue
        if in_code:
            marker = stack[-1][0]
            if text.startswith(marker, i):
                _, start, _ = stack.pop()
                out.entity(_V2_KINDS[marker], start)
                i += len(marker)
            else:
                out.add(char)
                i += 1
            continue
        if char not in MARKDOWN_V2_RESERVED:
            out.add(char)
            line_start = char == "\n"
            i += 1
            continue
        if char == ">" and line_start:
            # Blockquote line: the marker itself is dropped; the quote runs to the end of the line.
            end = text.find("\n", i)
            end = n if end < 0 else end
            inner_text, inner_entities = parse_markdown_v2(text[i + 1 : end])
            start = out.length
            for entity in inner_entities:
                out.entities.append({**entity, "offset": entity["offset"] + start})
            out.add(inner_text)
            out.entity("blockquote", start)
            i = end
            continue
        line_start = False
        if char in "*_~|`":
            marker = char
            if char == "_" and text.startswith("__", i):
                marker = "__"
            elif char == "|":
                if not text.startswith("||", i):
                    raise _reserved(char)
                marker = "||"
            elif char == "`" and text.startswith("```", i):
                marker = "```"
            if stack and stack[-1][0] == marker:
                _, start, _ = stack.pop()
                out.entity(_V2_KINDS[marker], start)
            elif any(entry[0] == marker for entry in stack):
                top, _, source = stack[-1]
                raise _parse_error(
                    f"Can't find end of {_V2_NAMES[top]} entity at byte offset {_byte_offset(text, source)}"
                )
            else:
                stack.append((marker, out.length, i))
                if marker == "```":
                    # The first line after ``` may name the language; it is not part of the text.
                    newline = text.find("\n", i + 3)
                    if newline > 0 and not any(c.isspace() for c in text[i + 3 : newline]):
                        i = newline + 1
                        continue
            i += len(marker)
            continue
        if char == "[":
            stack.append(("[", out.length, i))
            i += 1
            continue
        if char == "]" and stack and stack[-1][0] == "[":
            _, start, source = stack.pop()
            i += 1
            if i < n and text[i] == "(":
                end = i + 1
                url_chars: list[str] = []
                while end < n and text[end] != ")":
                    if text[end] == "\\" and end + 1 < n:
                        end += 1
                    url_chars.append(text[end])
                    end += 1
                if end >= n:
                    raise _parse_error(f"Can't find end of a URL at byte offset {_byte_offset(text, i)}")
                out.entity("text_link", start, url="".join(url_chars))
                i = end + 1
            continue
        raise _reserved(char)
    if stack:
        marker, _, source = stack[-1]
        raise _parse_error(
            f"Can't find end of {_V2_NAMES[marker]} entity at byte offset {_byte_offset(text, source)}"
        )
    return out.result()


def _reserved(char: str) -> ApiError:
    return _parse_error(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out = _Builder()
    i = 0
    n = len(text)
    closers = {"*": "bold", "_": "italic", "`": "code"}
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "*_`[":
            out.add(text[i + 1])
            i += 2
            continue
        if text.startswith("```", i):
            end = text.find("```", i + 3)
            if end < 0:
                raise _parse_error(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
                )
            start = out.length
            out.add(text[i + 3 : end])
            out.entity("pre", start)
            i = end + 3
            continue
        if char in closers:
            end = text.find(char, i + 1)
            if end < 0:
                raise _parse_error(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
                )
            start = out.length
            out.add(text[i + 1 : end])
            out.entity(closers[char], start)
            i = end + 1
            continue
        if char == "[":
            close = text.find("]", i + 1)
            if close < 0:
                raise _parse_error(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
                )
            start = out.length
            out.add(text[i + 1 : close])
            if close + 1 < n and text[close + 1] == "(":
                end = text.find(")", close + 2)
                if end < 0:
                    raise _parse_error(
                        f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
                    )
                out.entity("text_link", start, url=text[close + 2 : end])
                i = end + 1
            else:
                i = close + 1
            continue
        out.add(char)
        i += 1
    return out.result()


def parse_formatted(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Explicit entities win over parse_mode (as in TDLib); parse_mode is case-insensitive."""
    mode = (parse_mode or "").strip().lower()
    if entities or not mode:
        return text, list(entities or [])
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    raise bad_request("unsupported parse_mode")
