"""The part of the theme taxonomy that reports need: names, criteria and flags.

A stand-in read straight from ``bot/themes/taxonomy.yaml`` until ``bot.themes.taxonomy`` exists; only this
module knows the file's shape, so swapping it for the themes package changes one import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "themes" / "taxonomy.yaml"


@dataclass(frozen=True)
class ThemeView:
    id: str
    name: str  # an English msgid
    definition: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class FlagView:
    id: str
    name: str
    definition: str


@dataclass(frozen=True)
class TaxonomyView:
    criteria: tuple[tuple[str, str], ...]  # (criterion id, its wording), in framework order
    themes: tuple[ThemeView, ...]
    flags: tuple[FlagView, ...]

    def criterion_text(self, criterion: str) -> str:
        return dict(self.criteria).get(criterion, criterion)

    def theme(self, theme_id: str) -> ThemeView | None:
        return next((t for t in self.themes if t.id == theme_id), None)


def parse_taxonomy(data: object) -> TaxonomyView:
    if not isinstance(data, dict):
        raise ValueError("taxonomy: the top level must be a mapping")
    criteria = tuple((str(k), str(v)) for k, v in (data.get("criteria") or {}).items())
    known = {c for c, _ in criteria}
    themes = []
    for raw in data.get("themes") or ():
        crit = tuple(str(c) for c in raw.get("criteria") or ())
        unknown = [c for c in crit if c not in known]
        if unknown:
            raise ValueError(f"taxonomy: theme {raw.get('id')!r} names unknown criteria {unknown}")
        themes.append(ThemeView(str(raw["id"]), str(raw["name"]), str(raw.get("definition", "")), crit))
    flags = tuple(
        FlagView(str(raw["id"]), str(raw["name"]), str(raw.get("definition", ""))) for raw in data.get("flags") or ()
    )
    return TaxonomyView(criteria, tuple(themes), flags)


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = TAXONOMY_PATH) -> TaxonomyView:
    return parse_taxonomy(yaml.safe_load(path.read_text(encoding="utf-8")))
