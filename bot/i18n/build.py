"""`parentvoice translations`: extract the template, update every catalog, and check that each compiles.

One command so that the template, the catalogs and what the bot loads can never drift apart. The bot
compiles catalogs from the ``.po`` files when it starts, so there are no ``.mo`` files to keep in step.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalog import DOMAIN, LOCALES_DIR, SOURCE_LANGUAGE, po_path
from bot.i18n.languages import LANGUAGES

ROOT = LOCALES_DIR.parent
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
METHOD_MAP = [
    ("bot/**.py", "python"),
    ("bot/questionnaires/**.yaml", "bot.i18n.extract:extract_yaml"),
    ("bot/themes/taxonomy.yaml", "bot.i18n.extract:extract_yaml"),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def extract(root: Path = ROOT) -> Catalog:
    catalog = Catalog(project="ParentVoice", version="1", copyright_holder="ParentVoice contributors",
                      msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=False, include_lineno=False, ignore_obsolete=True)
    path.write_bytes(buf.getvalue())


def update(template: Catalog, code: str) -> Catalog:
    path = po_path(code)
    locale = code.replace("_Hans", "_Hans_CN") if code == "zh_Hans" else code
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=locale, domain=DOMAIN)
    else:
        catalog = Catalog(locale=locale, domain=DOMAIN, project="ParentVoice", version="1")
    # No fuzzy matching: a guessed translation is worse than an honest English fallback.
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    return catalog


def compile_check(code: str) -> list[str]:
    """Problems found compiling one catalog, by babel and, where installed, by `msgfmt --check`."""
    problems: list[str] = []
    path = po_path(code)
    with path.open("rb") as f:
        catalog = read_po(f, locale=code.replace("_Hans", ""), domain=DOMAIN)
    for message, errors in catalog.check():
        problems += [f"{path}: {message.id!r}: {e}" for e in errors]
    write_mo(io.BytesIO(), catalog)
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        result = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            problems.append(f"{path}: msgfmt --check: {result.stderr.strip()}")
    return problems


def main() -> int:
    template = extract()
    _write(template, TEMPLATE)
    print(f"{TEMPLATE.relative_to(ROOT)}: {len(template)} messages")
    problems: list[str] = []
    for language in LANGUAGES:
        if language.code == SOURCE_LANGUAGE:
            continue
        catalog = update(template, language.code)
        _write(catalog, po_path(language.code))
        done = sum(1 for m in catalog if m.id and m.string and (not isinstance(m.string, tuple) or all(m.string)))
        print(f"{language.code:8} {done}/{len(template)} translated")
        problems += compile_check(language.code)
    for p in problems:
        print(p)
    return 1 if problems else 0
