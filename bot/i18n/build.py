"""`parentvoice translations`: extract the template, update every catalog, and check that each compiles.

One command so that the template, the catalogs and what the bot loads can never drift apart. The bot
compiles catalogs from the ``.po`` files when it starts, so there are no ``.mo`` files to keep in step.
"""

from __future__ import annotations

import gettext
import io
import shutil
import subprocess
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalog import DOMAIN, LOCALES_DIR, SOURCE_LANGUAGE, po_path
from bot.i18n.languages import LANGUAGES, by_code

ROOT = LOCALES_DIR.parent
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
METHOD_MAP = [
    ("bot/**.py", "python"),
    ("bot/questionnaires/**.yaml", "bot.i18n.extract:extract_yaml"),
    ("bot/themes/taxonomy.yaml", "bot.i18n.extract:extract_yaml"),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NP_": (1, 2)}


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
    catalog.fuzzy = False
    if isinstance(catalog.revision_date, str):  # still "YEAR-MO-DA": msgfmt --check warns about it
        catalog.revision_date = catalog.creation_date
    _cldr_plurals(catalog, code)
    catalog.project, catalog.version = "ParentVoice", "1"
    catalog.msgid_bugs_address = ""
    catalog.copyright_holder = "ParentVoice contributors"
    if catalog.last_translator.startswith("FULL NAME"):
        catalog.last_translator = "ParentVoice contributors (machine draft, to be reviewed)"
    if catalog.language_team.startswith("LANGUAGE") or "<LL@li.org>" in catalog.language_team:
        catalog.language_team = f"{by_code(code).english_name if by_code(code) else code} translators"
    return catalog


#: Nouns do not change after a number in these languages: one gettext form, as translators expect.
ONE_FORM = frozenset({"tr", "fa", "zh_Hans"})


def _cldr_plurals(catalog: Catalog, code: str) -> None:
    """Use CLDR's integer rule where babel's gettext default disagrees with it (pa, bn, gu: 0 is "one")."""
    language = by_code(code)
    if language is None or code in ONE_FORM:
        return
    rule = Locale.parse(language.babel_locale).plural_form
    default = gettext.c2py(catalog.plural_expr)
    seen: dict[str, int] = {}
    if all(seen.setdefault(rule(n), default(n)) == default(n) for n in range(0, 2001)):
        return
    categories = sorted({rule(n) for n in range(0, 2001)}, key=lambda c: min(n for n in range(2001) if rule(n) == c))
    expr = " : ".join(f"{_condition(rule, c)} ? {i}" for i, c in enumerate(categories[:-1]))
    # Private attributes: babel's Catalog has no public setter for Plural-Forms, only the header it parses.
    catalog._num_plurals = len(categories)
    catalog._plural_expr = f"({expr} : {len(categories) - 1})" if expr else "0"


def _condition(rule: object, category: str) -> str:
    """A C condition for one category on whole numbers, from babel's gettext translation of the CLDR rule."""
    from babel.plural import to_gettext

    full = to_gettext(rule)  # type: ignore[arg-type]
    fn = gettext.c2py(full.split("plural=", 1)[1].rstrip(";"))
    members = [n for n in range(0, 2001) if rule(n) == category]  # type: ignore[operator]
    index = fn(members[0])
    return f"({full.split('plural=', 1)[1].rstrip(';')}) == {index}"


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
