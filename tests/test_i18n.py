"""Every shipped catalog is complete, consistent with the code, and compiles; formatting follows the locale."""

from __future__ import annotations

import gettext
import re
import shutil
from datetime import date

import pytest
from babel import Locale
from babel.messages.pofile import read_po

from bot.i18n.build import TEMPLATE, compile_check, extract
from bot.i18n.catalog import FSI, PDI, po_path, translator
from bot.i18n.languages import LANGUAGES
from bot.survey.model import load_questionnaire

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
SHIPPED = [lang for lang in LANGUAGES if lang.code != "en"]


def _catalog(code: str):
    with po_path(code).open("rb") as f:
        return read_po(f, locale=code.replace("_Hans", "_Hans_CN"))


def test_there_are_twenty_languages_with_a_catalog_for_each():
    assert len(LANGUAGES) == 20
    for lang in SHIPPED:
        assert po_path(lang.code).exists(), lang.code


def test_the_template_is_in_step_with_the_code():
    """Run `parentvoice translations` after changing any user-facing text."""
    with TEMPLATE.open("rb") as f:
        template = {m.id for m in read_po(f) if m.id}
    assert {m.id for m in extract() if m.id} == template


@pytest.mark.parametrize("lang", SHIPPED, ids=lambda lang: lang.code)
def test_catalog_is_complete_with_matching_placeholders_and_cldr_plurals(lang):
    catalog = _catalog(lang.code)
    with TEMPLATE.open("rb") as f:
        template = {m.id for m in read_po(f) if m.id}
    assert {m.id for m in catalog if m.id} == template, "catalog not updated: run `parentvoice translations`"
    untranslated, fuzzy, mismatched = [], [], []
    for m in catalog:
        if not m.id:
            continue
        if m.fuzzy:
            fuzzy.append(m.id)
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(forms):
            untranslated.append(m.id)
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for form in forms:
            if set(PLACEHOLDER.findall(form)) != wanted and set(PLACEHOLDER.findall(form)) != wanted - {"count"}:
                mismatched.append((m.id, form))
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert not fuzzy, fuzzy[:3]
    assert not mismatched, mismatched[:3]


#: Languages whose nouns do not change after a number: gettext uses one form where CLDR keeps one/other.
ONE_FORM = {"tr", "fa", "zh_Hans"}


@pytest.mark.parametrize("lang", SHIPPED, ids=lambda lang: lang.code)
def test_catalog_plural_forms_follow_cldr(lang):
    """On whole numbers, each CLDR category maps to one gettext form, and every gettext form is used."""
    catalog = _catalog(lang.code)
    cldr = Locale.parse(lang.babel_locale).plural_form
    plural = gettext.c2py(catalog.plural_expr)
    index_of = {}
    used = set()
    for n in range(0, 2001):
        index = plural(n)
        used.add(index)
        assert index_of.setdefault(cldr(n), index) == index, (lang.code, n, cldr(n))
    assert used == set(range(catalog.num_plurals))
    categories = {cldr(n) for n in range(0, 2001)}
    assert catalog.num_plurals == (1 if lang.code in ONE_FORM else len(categories)), (lang.code, categories)


@pytest.mark.parametrize("lang", SHIPPED, ids=lambda lang: lang.code)
def test_catalog_passes_msgfmt_check(lang):
    assert shutil.which("msgfmt"), "Debian's gettext (msgfmt) is needed: `apt-get install gettext`"
    assert compile_check(lang.code) == []


def test_fallback_is_per_string_to_english_and_never_a_raw_id(tmp_path):
    folder = tmp_path / "pl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n"Language: pl\\n"\n\n'
        'msgid "Done"\nmsgstr "Gotowe"\n', encoding="utf-8")
    t = translator("pl", tmp_path)
    assert t.gettext("Done") == "Gotowe"
    assert t.gettext("Back") == "Back"


def test_dates_and_numbers_follow_the_parents_locale():
    assert translator("pl").date(date(2026, 10, 1)) == "1 października 2026"
    assert translator("en").date(date(2026, 10, 1)) == "1 October 2026"
    assert translator("fr").number(1234567) == "1\u202f234\u202f567"
    arabic = translator("ar").date(date(2026, 10, 1))
    assert arabic.startswith(FSI) and arabic.endswith(PDI)


def test_plurals_use_each_languages_rules():
    pl = translator("pl")
    texts = {n: pl.ngettext("%(count)s question still needs an answer.",
                            "%(count)s questions still need an answer.", n) for n in (1, 2, 5, 22)}
    assert texts[2] != texts[5] and texts[22] == texts[2].replace("2", "22")


def test_every_questionnaire_text_is_translated_in_every_catalog():
    q = load_questionnaire()
    for lang in SHIPPED:
        t = translator(lang.code)
        missing = [text for text in q.texts() if not t.has(text)]
        assert not missing, (lang.code, missing[:3])
