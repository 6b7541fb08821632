"""Gettext catalogs and locale-aware formatting for one parent's language.

Catalogs are compiled from the ``.po`` files when first used (babel's ``write_mo`` into memory), so the
compiled form can never be stale against the source a translator edited. Compiling all 20 is most of the
start-up check that every catalog is complete, so each compiled form is also kept in a cache directory
(``PARENTVOICE_CACHE_DIR``, default ``~/.cache/parentvoice``) under a hash of its ``.po`` file's bytes: an
edited file has a new name, so the cache cannot be stale either; an unwritable cache is simply not used. Fallback is per string, to the
English msgid. Dates and numbers are formatted in the locale of the catalog that is actually used.
"""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import io
import os
import struct
import tempfile
import threading
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import __version__ as babel_version
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"

#: Unicode isolates keep numbers, dates and embedded English ("EHC plan") in order inside right-to-left text.
FSI, PDI = "\u2068", "\u2069"

_lock = threading.Lock()


def po_path(code: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def cache_dir() -> Path:
    """Where compiled catalogs are kept between runs."""
    configured = os.environ.get("PARENTVOICE_CACHE_DIR")
    if configured:
        return Path(configured) / "catalogs"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "parentvoice" / "catalogs"


def _cached_name(code: str, source: bytes) -> str:
    key = hashlib.sha256(b"%s\0%s\0" % (code.encode(), babel_version.encode()) + source).hexdigest()[:32]
    return f"{code}-{key}.mo"


def _store(path: Path, data: bytes) -> None:
    """Atomically, so a concurrent reader never sees half a file; any failure just leaves no cache."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        pass


@lru_cache(maxsize=64)
def _compiled(code: str, locales_dir: Path, mtime: float) -> gettext.NullTranslations:
    source = po_path(code, locales_dir).read_bytes()
    cached = cache_dir() / _cached_name(code, source)
    try:
        return gettext.GNUTranslations(io.BytesIO(cached.read_bytes()))
    except (OSError, ValueError, struct.error):  # not cached yet (or damaged): compile
        pass
    catalog = read_po(io.BytesIO(source), locale=code.replace("_Hans", ""), domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    _store(cached, buf.getvalue())
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def translations_for(code: str, locales_dir: Path = LOCALES_DIR) -> gettext.NullTranslations | None:
    """The compiled catalog for a language, or None when none is shipped."""
    path = po_path(code, locales_dir)
    if code == SOURCE_LANGUAGE or not path.exists():
        return None
    with _lock:
        return _compiled(code, locales_dir, path.stat().st_mtime)


@dataclass(frozen=True)
class Translator:
    """Everything a renderer needs to speak one language: gettext, plurals, dates, numbers, direction."""

    code: str
    babel_locale: str
    rtl: bool
    _t: gettext.NullTranslations

    def gettext(self, msgid: str, **values: object) -> str:
        text = self._t.gettext(msgid)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        text = self._t.ngettext(singular, plural, n)
        values.setdefault("count", self.number(n))
        return text % values

    def has(self, msgid: str) -> bool:
        """Whether this catalog has ``msgid`` (English always does); "No" may rightly stay "No" in Spanish."""
        catalog: dict[object, str] = getattr(self._t, "_catalog", {})
        return self.code == SOURCE_LANGUAGE or bool(catalog.get(msgid))

    def isolate(self, text: str) -> str:
        """Wrap embedded left-to-right text so it reads correctly inside right-to-left text."""
        return f"{FSI}{text}{PDI}" if self.rtl else text

    def number(self, n: float) -> str:
        return self.isolate(_decimal(n, self.babel_locale))

    def percent(self, fraction: float) -> str:
        return self.isolate(_percent(fraction, self.babel_locale))

    def date(self, d: date, fmt: str = "long") -> str:
        return self.isolate(format_date(d, format=fmt, locale=self.babel_locale))

    def datetime(self, dt: datetime, fmt: str = "medium") -> str:
        return self.isolate(format_datetime(dt, format=fmt, locale=self.babel_locale))


@lru_cache(maxsize=4096, typed=True)
def _decimal(n: float, babel_locale: str) -> str:
    """babel parses the locale on every call (a tenth of a millisecond); a survey shows the same few numbers."""
    return format_decimal(n, locale=babel_locale)


@lru_cache(maxsize=1024, typed=True)
def _percent(fraction: float, babel_locale: str) -> str:
    return format_percent(fraction, locale=babel_locale)


def translator(code: str | None, locales_dir: Path = LOCALES_DIR) -> Translator:
    """A translator for a shipped language code; anything unknown gets English."""
    from bot.i18n.languages import by_code

    language = by_code(code or SOURCE_LANGUAGE) or by_code(SOURCE_LANGUAGE)
    assert language is not None
    t = translations_for(language.code, locales_dir)
    if t is None:
        # No catalog: English text, and English formatting so that text and dates agree.
        return Translator(SOURCE_LANGUAGE, "en_GB", False, gettext.NullTranslations())
    return Translator(language.code, language.babel_locale, language.rtl, t)



def translator_for(chosen: str | None, telegram_language: str | None = None) -> Translator:
    """The one rule for which language to speak to someone.

    The language they chose in the bot; else the one their Telegram app reports, if it is shipped; else
    English. Every handler, the conversation and the broadcaster choose through here.
    """
    if chosen:
        return translator(chosen)
    from bot.i18n.languages import from_telegram

    suggested = from_telegram(telegram_language)
    return translator(suggested.code if suggested else None)
