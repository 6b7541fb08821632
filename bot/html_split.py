"""Cutting Telegram HTML into messages under the length limit without ever making invalid markup.

Telegram refuses a message whose tags do not balance ("can't parse entities: Can't find end tag ...") and
counts its limit on the parsed text. A plain character cut can fall inside ``<blockquote>`` or inside
``&amp;``, so here the text is read as atoms (a whole tag, a whole character reference, or one character),
a cut only ever falls between atoms, and tags still open at a cut are closed at the end of the part and
reopened at the start of the next. Each part is measured with its markup, which is never shorter than
what Telegram counts, so every part fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ATOM = re.compile(r"<[^<>]*>|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});|[^<&]|[<&]")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z][a-zA-Z0-9-]*)")

#: Where a cut is best, best first: between paragraphs, between lines, between words.
_PARAGRAPH, _LINE, _WORD = 3, 2, 1


@dataclass(frozen=True)
class _Open:
    name: str
    tag: str  # the opening tag as written, attributes included, so a reopened link keeps its href

    @property
    def close(self) -> str:
        return f"</{self.name}>"


Stack = tuple[_Open, ...]


def _apply(stack: Stack, atom: str) -> Stack:
    """The open tags after ``atom``."""
    if not atom.startswith("<") or len(atom) < 3:
        return stack
    match = _TAG_NAME.match(atom)
    if match is None:
        return stack
    name = match.group(1).lower()
    if atom.startswith("</"):
        for i in range(len(stack) - 1, -1, -1):
            if stack[i].name == name:
                return stack[:i] + stack[i + 1:]
        return stack
    if atom.endswith("/>"):
        return stack
    return (*stack, _Open(name, atom))


def _closing(stack: Stack) -> str:
    return "".join(o.close for o in reversed(stack))


def _opening(stack: Stack) -> str:
    return "".join(o.tag for o in stack)


def _visible(atoms: list[str]) -> bool:
    return any(not a.startswith("<") and a.strip() for a in atoms)


def split_html(text: str, limit: int) -> list[str]:
    """Telegram HTML as parts of at most ``limit`` characters each, every part valid on its own."""
    if len(text) <= limit:
        return [text]
    atoms = _ATOM.findall(text)
    parts: list[str] = []
    i = 0
    stack: Stack = ()
    while i < len(atoms):
        # Whitespace at the start of a part is dropped (tags are kept: they may open an entity).
        while i < len(atoms) and atoms[i].isspace():
            i += 1
        if i >= len(atoms):
            break
        prefix = _opening(stack)
        size = len(prefix)
        j = i
        current = stack
        best: dict[int, tuple[int, Stack]] = {}
        while j < len(atoms):
            atom = atoms[j]
            after = _apply(current, atom)
            if size + len(atom) + len(_closing(after)) > limit:
                break
            size += len(atom)
            current = after
            j += 1
            if atom == "\n":
                best[_PARAGRAPH if j >= 2 and atoms[j - 2] == "\n" else _LINE] = (j, current)
            elif atom.isspace():
                best[_WORD] = (j, current)
        if j >= len(atoms):
            cut, cut_stack = j, current
        elif j == i:
            # Not even one atom fits after the reopened tags (absurdly small limit): give up the markup here.
            cut, cut_stack = i + 1, _apply(stack, atoms[i])
        else:
            cut, cut_stack = next((best[k] for k in (_PARAGRAPH, _LINE, _WORD) if k in best and best[k][0] > i),
                                  (j, current))
        body = atoms[i:cut]
        end = len(body)
        while end and body[end - 1].isspace():
            end -= 1
        chosen = body[:end]
        if _visible(chosen):
            parts.append(prefix + "".join(chosen) + _closing(cut_stack))
        i, stack = cut, cut_stack
    return parts or [text[:limit]]
