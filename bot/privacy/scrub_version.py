"""Which scrubber cleaned a stored text: a short digest of everything that decides what ``scrub`` removes.

Stored beside each free-text answer and note (``scrubber_version`` columns), so a report re-scrubs only text
that an older scrubber (or none) cleaned, instead of every quote every time (issue 11.3). The digest changes
by itself whenever the scrubber's behaviour can change, with nobody to remember a version number:

- the source of every ``bot`` module that ``bot/privacy/scrub.py`` imports, directly or not (read with
  ``ast``, so a new helper module is covered as soon as it is imported);
- every data file those modules name in a module-level ``Path`` constant (the given-name lists, the local
  areas); a new lexicon read from ``bot/data/`` must be named that way to be covered (a test checks it);
- the version of each third-party package they import (``phonenumbers``), Python's version and its Unicode
  database (normalisation and ``str.isalpha`` follow it).

Computed once per process (about 50 ms: parsing the modules, hashing them and some 220 KB of data), then cached.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.metadata
import importlib.util
import sys
import unicodedata
from functools import cache
from pathlib import Path

ENTRY = "bot.privacy.scrub"
#: Hex digits kept of the SHA-256: 64 bits, so two versions never collide by chance.
LENGTH = 16


def _imports(module: str, path: Path) -> tuple[set[str], set[str]]:
    """(``bot`` modules, other top-level modules) that ``module``'s source at ``path`` imports."""
    ours: set[str] = set()
    others: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # "from .cues import X", "from . import cues"
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names = [base]
            if base == "bot" or base.startswith("bot."):
                # "from bot.privacy import cues" imports a module, not a name.
                names += [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name == "bot" or name.startswith("bot."):
                if _is_module(name):
                    ours.add(name)
            else:
                others.add(name.split(".")[0])
    return ours, others


def _is_module(name: str) -> bool:
    """True for an importable module name ("bot.privacy.cues"), False for a name inside one."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def scrubber_modules() -> tuple[list[str], set[str]]:
    """The ``bot`` modules the scrubber is made of (sorted) and the other top-level modules they import."""
    seen: set[str] = set()
    others: set[str] = set()
    todo = [ENTRY]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        ours, theirs = _imports(name, Path(spec.origin))
        others |= theirs
        todo.extend(ours - seen)
    return sorted(seen), others


def data_files(modules: list[str]) -> list[Path]:
    """Files named by a module-level ``Path`` constant of one of ``modules``: what the scrubber reads."""
    found: set[Path] = set()
    for name in modules:
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, Path) and value.is_file():
                found.add(value.resolve())
    return sorted(found)


def _package_versions(top_levels: set[str]) -> list[str]:
    """"name==version" of each third-party package among ``top_levels`` (the standard library is covered by
    Python's own version). Looked up by import name: a package whose distribution is named otherwise falls
    back to its ``__version__``."""
    out = []
    for top in sorted(top_levels - set(sys.stdlib_module_names) - {"__future__"}):
        try:
            version = importlib.metadata.version(top)
        except importlib.metadata.PackageNotFoundError:
            version = str(getattr(importlib.import_module(top), "__version__", "unknown"))
        out.append(f"{top}=={version}")
    return out


def digest(modules: list[str], files: list[Path], packages: list[str]) -> str:
    """The version string for this set of sources, data files and package versions."""
    h = hashlib.sha256()
    h.update(f"python {sys.version_info[:2]} unicode {unicodedata.unidata_version}\n".encode())
    for line in packages:
        h.update(f"package {line}\n".encode())
    for name in modules:
        spec = importlib.util.find_spec(name)
        source = Path(spec.origin).read_bytes() if spec and spec.origin else b""
        h.update(f"module {name} {len(source)}\n".encode() + source)
    for path in files:
        data = path.read_bytes()
        h.update(f"file {path.name} {len(data)}\n".encode() + data)
    return h.hexdigest()[:LENGTH]


@cache
def scrubber_version() -> str:
    """The current scrubber's version: stored with every text it cleans, compared when a report quotes one."""
    modules, others = scrubber_modules()
    return digest(modules, data_files(modules), _package_versions(others))
