"""A babel extractor for the texts kept in YAML (questionnaires, theme names), so all wording is in locales/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

TEXT_KEYS = frozenset({"title", "text", "help", "name", "short"})


def _walk(node: yaml.Node, key: str | None, in_criteria: bool) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            name = k.value if isinstance(k, yaml.ScalarNode) else None
            yield from _walk(v, name, in_criteria or (name == "criteria" and isinstance(v, yaml.MappingNode)))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, None, False)
    elif isinstance(node, yaml.ScalarNode) and node.value and (key in TEXT_KEYS or in_criteria):
        yield node.start_mark.line + 1, node.value


def extract_yaml(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
                 ) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield (line, funcname, message, comments) for every display text in a YAML file."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is None:
        return
    for line, text in _walk(root, None, False):
        yield line, None, text, []
