"""Imports only point down: no module of a lower layer imports one of a higher layer, nor a sibling.

The layers are drawn in docs/architecture.md; ``test_the_architecture_page_draws_these_layers`` keeps the
drawing and this list identical. Each layer holds independent components (separated by ``|``): a
component may import itself and anything in a lower layer, never a component beside it or above it.
Every module of ``bot`` must belong to exactly one component, so a new package has to be placed.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Top to bottom: (layer, ((component module prefixes), ...)). Mirrored in docs/architecture.md.
LAYERS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("entry", (("bot.__main__", "bot.cli", "bot.operator_cli", "bot.demo", "bot.demo_summary"),)),
    ("telegram", (("bot.telegram",),)),
    ("services", (("bot.broadcast",), ("bot.services",))),
    ("shell", (("bot.storage",), ("bot.reports",), ("bot.evidence",), ("bot.config",))),
    ("core", (("bot.survey",), ("bot.privacy",), ("bot.themes",), ("bot.inspection_checks",))),
    ("values", (("bot.records",), ("bot.replies", "bot.html_split"), ("bot.callbacks",), ("bot.inspection",),
                ("bot.weblinks",), ("bot.logging_setup",))),
    ("base", (("bot.i18n",), ("bot.areas",), ("bot.standin",))),
)


def diagram() -> str:
    """The layers as docs/architecture.md draws them, top to bottom."""
    lines = [f"{name:<10}{' | '.join(' '.join(component) for component in components)}"
             for name, components in LAYERS]
    return "\n    ↓\n".join(lines)


def _place(module: str) -> tuple[int, int] | None:
    """(layer index, component index) of a module, or None for a module outside every layer."""
    for i, (_name, components) in enumerate(LAYERS):
        for j, prefixes in enumerate(components):
            if any(module == p or module.startswith(p + ".") for p in prefixes):
                return i, j
    return None


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path: Path) -> set[str]:
    """Every ``bot`` module a file imports, wherever the import statement is (functions included)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name == "bot" or a.name.startswith("bot."))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "bot" or node.module.startswith("bot."):
                # ``from bot.storage import parents`` imports bot.storage.parents (a submodule) or a name of
                # bot.storage: both belong to the component of the longest one that is a module.
                out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def violations(modules: dict[str, Path]) -> list[str]:
    found = []
    for module, path in modules.items():
        here = _place(module)
        if here is None:
            continue
        for imported in sorted(_imports(path)):
            target = _place(imported)
            if target is None or target == here or target[0] > here[0]:
                continue
            where = "sideways" if target[0] == here[0] else "up"
            found.append(f"{module} imports {imported} ({where}: {LAYERS[here[0]][0]} -> {LAYERS[target[0]][0]})")
    return found


def test_no_import_points_up_or_sideways() -> None:
    assert violations(_modules()) == []


def test_every_module_belongs_to_a_layer() -> None:
    assert [m for m in _modules() if m != "bot" and _place(m) is None] == []


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The check can fail: a storage module importing a Telegram module is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from bot.telegram import handlers\nimport bot.reports.aggregate\n", encoding="utf-8")
    assert violations({"bot.storage.bad": bad}) == [
        "bot.storage.bad imports bot.reports.aggregate (sideways: shell -> shell)",
        "bot.storage.bad imports bot.telegram.handlers (up: shell -> telegram)",
    ]


def test_the_architecture_page_draws_these_layers() -> None:
    assert diagram() in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
