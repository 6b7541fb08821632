"""The 20 interface languages ParentVoice ships, as plain data.

Native names, text direction and locales come from babel/CLDR so that the language keyboard shows each
language in its own words ("Polski", "اردو", "বাংলা") and right-to-left languages are known in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale


@dataclass(frozen=True)
class Language:
    """One shipped interface language."""

    code: str  # gettext catalog folder under locales/
    iso: str  # ISO 639-1, used to tag free text and in reports
    babel_locale: str  # locale used to format dates and numbers
    native_name: str  # the language's name in itself, for the language keyboard
    english_name: str  # for operators, inspectors and logs
    rtl: bool  # written right to left


# (catalog code, ISO 639-1, babel locale). English first, then the order of DESIGN.md section 6.
# Locales carry the territory whose conventions most UK families of that language expect:
# en_GB writes "1 October 2026" (plain "en" writes "October 1, 2026"); pt_PT because most
# Portuguese-speaking families in England come from Portugal and Madeira; ur_PK and bn_BD for the
# Pakistani and Bangladeshi communities; pa_Guru_IN because the Panjabi catalog is in Gurmukhi.
_TABLE: tuple[tuple[str, str, str], ...] = (
    ("en", "en", "en_GB"),
    ("pl", "pl", "pl_PL"),
    ("ro", "ro", "ro_RO"),
    ("pa", "pa", "pa_Guru_IN"),
    ("ur", "ur", "ur_PK"),
    ("pt", "pt", "pt_PT"),
    ("es", "es", "es_ES"),
    ("ar", "ar", "ar"),
    ("bn", "bn", "bn_BD"),
    ("gu", "gu", "gu_IN"),
    ("so", "so", "so_SO"),
    ("uk", "uk", "uk_UA"),
    ("tr", "tr", "tr_TR"),
    ("fa", "fa", "fa_IR"),
    ("ps", "ps", "ps_AF"),
    ("lt", "lt", "lt_LT"),
    ("sk", "sk", "sk_SK"),
    ("zh_Hans", "zh", "zh_Hans_CN"),
    ("fr", "fr", "fr_FR"),
    ("it", "it", "it_IT"),
)

# English names as used in England's school census and by families, where CLDR differs
# ("Bangla", "Persian").
_ENGLISH_NAME_OVERRIDES = {"bn": "Bengali", "fa": "Persian (Farsi)", "pa": "Panjabi"}


def _native_name(code: str) -> str:
    """CLDR's own-language name, capitalised as a language list shows it.

    CLDR gives names in running-text case ("polski"); a menu item starts with a capital in
    languages that have case. Chinese gets full-width brackets, as Chinese text uses.
    """
    name = Locale.parse(code).get_display_name() or code
    if code == "zh_Hans":
        name = name.replace(" (", "（").replace("(", "（").replace(")", "）")
    return name[:1].upper() + name[1:]


def _english_name(code: str, iso: str) -> str:
    if iso in _ENGLISH_NAME_OVERRIDES:
        return _ENGLISH_NAME_OVERRIDES[iso]
    return Locale.parse(code).get_display_name("en") or code


def _build() -> tuple[Language, ...]:
    return tuple(
        Language(
            code=code,
            iso=iso,
            babel_locale=babel_locale,
            native_name=_native_name(code),
            english_name=_english_name(code, iso),
            rtl=Locale.parse(babel_locale).character_order == "right-to-left",
        )
        for code, iso, babel_locale in _TABLE
    )


LANGUAGES: tuple[Language, ...] = _build()

_BY_CODE: dict[str, Language] = {lang.code.lower(): lang for lang in LANGUAGES} | {
    lang.iso: lang for lang in LANGUAGES
}

# Tags (lower case, "-" separated) that mean a shipped language under another name.
# Traditional Chinese readers are offered the Simplified catalog rather than English; Panjabi in
# Shahmukhi (pa-Arab, pa-PK) readers read Urdu script, so they are offered Urdu; Dari (prs, fa-AF)
# is written like Farsi; Moldovan (mo) is Romanian. The parent confirms on the language keyboard.
_TAG_ALIASES: dict[str, str] = {
    "pa-arab": "ur",
    "pa-pk": "ur",
    "pa-arab-pk": "ur",
    "pnb": "ur",
    "prs": "fa",
    "mo": "ro",
    "pbu": "ps",
    "pbt": "ps",
    "pst": "ps",
    "arb": "ar",
    "cmn": "zh",
    "cmn-hans": "zh",
}


@cache
def by_code(code: str) -> Language | None:
    """The shipped language for a catalog code ("zh_Hans") or ISO code ("zh"), else None."""
    return _BY_CODE.get(code.strip().replace("-", "_").lower())


@cache
def from_telegram(language_code: str | None) -> Language | None:
    """Suggest a shipped language from Telegram's `User.language_code`.

    Telegram sends the client app's IETF tag ("pt-br", "zh-hans", "en-GB", "fa-IR"); it is only a
    suggestion, so an unknown tag gives None and the bot asks.
    """
    if not language_code:
        return None
    tag = language_code.strip().replace("_", "-").lower()
    if not tag:
        return None
    for key in (tag, "-".join(tag.split("-")[:2])):
        if key in _TAG_ALIASES:
            return by_code(_TAG_ALIASES[key])
    primary = tag.split("-")[0]
    if primary in _TAG_ALIASES:
        return by_code(_TAG_ALIASES[primary])
    return _BY_CODE.get(primary)
