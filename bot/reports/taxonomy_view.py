"""The part of the theme taxonomy that reports need: names, criteria and flags, in framework order.

A narrow view of ``bot.themes.taxonomy`` so that reports depend on five fields, not on the classifier's
examples and prototypes; a report can also be built against any other taxonomy (tests pass their own).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.themes import taxonomy as themes_taxonomy


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

    def theme(self, theme_id: str) -> ThemeView | None:
        return next((t for t in self.themes if t.id == theme_id), None)


def view_of(taxonomy: themes_taxonomy.Taxonomy) -> TaxonomyView:
    return TaxonomyView(
        criteria=tuple(taxonomy.criteria.items()),
        themes=tuple(ThemeView(t.id, t.name, t.definition, tuple(t.criteria)) for t in taxonomy.themes),
        flags=tuple(FlagView(f.id, f.name, f.definition) for f in taxonomy.flags),
    )


@lru_cache(maxsize=1)
def load_taxonomy() -> TaxonomyView:
    """The shipped taxonomy (``bot/themes/taxonomy.yaml``), as reports see it."""
    return view_of(themes_taxonomy.load_taxonomy())
