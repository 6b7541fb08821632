"""Compiled catalogs are kept between runs, under a hash of their .po file: never compiled twice, never stale.

The start-up check that every catalog translates the questionnaire compiles all 20 ``.po`` files; with the
cache a restart reads them instead. Real files in a temporary locales folder and cache folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import catalog

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%%10>=2 && n%%10<=4 && (n%%100<10 || n%%100>=20) ? 1 : 2);\\n"

msgid "Hello"
msgstr "%s"
"""


def write_po(locales: Path, text: str) -> None:
    path = catalog.po_path("pl", locales)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PO % text, encoding="utf-8")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARENTVOICE_CACHE_DIR", str(tmp_path / "cache"))
    catalog._compiled.cache_clear()
    yield tmp_path / "cache" / "catalogs"
    catalog._compiled.cache_clear()


def test_a_compiled_catalog_is_kept_and_read_back_instead_of_compiling_again(tmp_path, cache):
    locales = tmp_path / "locales"
    write_po(locales, "Witaj")
    assert catalog.translator("pl", locales).gettext("Hello") == "Witaj"
    [kept] = list(cache.glob("pl-*.mo"))
    assert oct(cache.stat().st_mode & 0o777) == oct(0o700)

    # A new process (no in-memory catalog): the kept file is what is read. Changing its text shows it.
    kept.write_bytes(kept.read_bytes().replace(b"Witaj", b"Wital"))
    catalog._compiled.cache_clear()
    assert catalog.translator("pl", locales).gettext("Hello") == "Wital"


def test_an_edited_po_file_is_never_served_stale_and_a_damaged_cache_is_compiled_over(tmp_path, cache):
    locales = tmp_path / "locales"
    write_po(locales, "Witaj")
    assert catalog.translator("pl", locales).gettext("Hello") == "Witaj"
    write_po(locales, "Dzien dobry")                        # a translator edits the catalog
    catalog._compiled.cache_clear()
    assert catalog.translator("pl", locales).gettext("Hello") == "Dzien dobry"
    assert len(list(cache.glob("pl-*.mo"))) == 2             # one per version of the file

    for kept in cache.glob("pl-*.mo"):
        kept.write_bytes(b"not a catalog")
    catalog._compiled.cache_clear()
    assert catalog.translator("pl", locales).gettext("Hello") == "Dzien dobry"


def test_an_unwritable_cache_is_not_used_and_nothing_fails(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PARENTVOICE_CACHE_DIR", str(blocker))
    catalog._compiled.cache_clear()
    locales = tmp_path / "locales"
    write_po(locales, "Witaj")
    try:
        assert catalog.translator("pl", locales).gettext("Hello") == "Witaj"
    finally:
        catalog._compiled.cache_clear()
