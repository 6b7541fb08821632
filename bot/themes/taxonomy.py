"""The theme taxonomy, loaded once into frozen dataclasses.

Ids are stable: stored assignments refer to them for years, so the loader refuses duplicates and
unknown criteria instead of guessing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

__all__ = ["DEFAULT_PATH", "Flag", "Taxonomy", "TaxonomyError", "Theme", "load_taxonomy", "parse_taxonomy"]

DEFAULT_PATH = Path(__file__).with_name("taxonomy.yaml")


class TaxonomyError(ValueError):
    """The taxonomy file is malformed; raised at load so a bad edit never reaches a report."""


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    definition: str
    criteria: tuple[str, ...]
    examples: tuple[str, ...] = ()  # English parent statements: the embedding prototypes
    # Statements in other languages (language -> texts): cross-lingual checks in the tests, not prototypes,
    # because a same-language prototype pulls every text in that language towards its theme.
    multilingual_examples: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Flag:
    id: str
    name: str
    definition: str
    examples: tuple[str, ...] = ()
    multilingual_examples: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Taxonomy:
    version: int
    criteria: Mapping[str, str]
    themes: tuple[Theme, ...]
    flags: tuple[Flag, ...]
    digest: str  # sha256 of the source text: keys caches of derived data (prototype embeddings)

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    @property
    def flag_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.flags)

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def flag(self, flag_id: str) -> Flag:
        for f in self.flags:
            if f.id == flag_id:
                return f
        raise KeyError(flag_id)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TaxonomyError(f"{where}: expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _by_language(value: object, where: str) -> Mapping[str, tuple[str, ...]]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, dict):
        raise TaxonomyError(f"{where}: expected a mapping of language code -> list of strings")
    return MappingProxyType({str(k): _strings(v, f"{where}.{k}") for k, v in value.items()})


def _text(entry: Mapping[str, object], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TaxonomyError(f"{where}: '{key}' is required")
    return value.strip()


def parse_taxonomy(source: str) -> Taxonomy:
    """Parse and validate taxonomy YAML text."""
    data = yaml.safe_load(source)
    if not isinstance(data, dict):
        raise TaxonomyError("taxonomy: expected a mapping at the top level")
    raw_criteria = data.get("criteria")
    if not isinstance(raw_criteria, dict) or not raw_criteria:
        raise TaxonomyError("taxonomy: 'criteria' must be a non-empty mapping")
    criteria = {str(k): str(v) for k, v in raw_criteria.items()}

    seen: set[str] = set()
    themes: list[Theme] = []
    for i, entry in enumerate(data.get("themes") or []):
        where = f"themes[{i}]"
        if not isinstance(entry, dict):
            raise TaxonomyError(f"{where}: expected a mapping")
        tid = _text(entry, "id", where)
        if tid in seen:
            raise TaxonomyError(f"{where}: duplicate id {tid!r}")
        seen.add(tid)
        crit = _strings(entry.get("criteria"), f"{where}.criteria")
        unknown = [c for c in crit if c not in criteria]
        if unknown:
            raise TaxonomyError(f"{where}: unknown criteria {unknown}")
        themes.append(
            Theme(
                id=tid,
                name=_text(entry, "name", where),
                definition=_text(entry, "definition", where),
                criteria=crit,
                examples=_strings(entry.get("examples"), f"{where}.examples"),
                multilingual_examples=_by_language(
                    entry.get("examples_multilingual"), f"{where}.examples_multilingual"
                ),
            )
        )
    flags: list[Flag] = []
    for i, entry in enumerate(data.get("flags") or []):
        where = f"flags[{i}]"
        if not isinstance(entry, dict):
            raise TaxonomyError(f"{where}: expected a mapping")
        fid = _text(entry, "id", where)
        if fid in seen:
            raise TaxonomyError(f"{where}: duplicate id {fid!r}")
        seen.add(fid)
        flags.append(
            Flag(
                id=fid,
                name=_text(entry, "name", where),
                definition=_text(entry, "definition", where),
                examples=_strings(entry.get("examples"), f"{where}.examples"),
                multilingual_examples=_by_language(
                    entry.get("examples_multilingual"), f"{where}.examples_multilingual"
                ),
            )
        )
    if not themes:
        raise TaxonomyError("taxonomy: no themes")
    return Taxonomy(
        version=int(data.get("version", 1)),
        criteria=MappingProxyType(criteria),
        themes=tuple(themes),
        flags=tuple(flags),
        digest=hashlib.sha256(source.encode("utf-8")).hexdigest(),
    )


@lru_cache(maxsize=4)
def load_taxonomy(path: Path | str = DEFAULT_PATH) -> Taxonomy:
    """Load a taxonomy file once per process (the default is the package's own copy)."""
    return parse_taxonomy(Path(path).read_text(encoding="utf-8"))
