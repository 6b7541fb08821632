"""Language of free text (bot/i18n/detect.py) and the shipped language table (bot/i18n/languages.py)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date

from bot.i18n.detect import (
    LATIN_LANGUAGES,
    SHIPPED_ISO,
    DetectorSettings,
    backend,
    detect_language,
    detect_with,
    word_count,
)
from bot.i18n.languages import LANGUAGES, by_code, from_telegram

SET_PATH = Path(__file__).parent / "data" / "langdetect_set.jsonl"


def _load_set() -> list[dict[str, str]]:
    return [json.loads(line) for line in SET_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- languages.py -------------------------------------------------------------------------------


def test_twenty_languages_english_first() -> None:
    assert len(LANGUAGES) == 20
    assert LANGUAGES[0].code == "en"
    assert len({lang.code for lang in LANGUAGES}) == 20
    assert len({lang.iso for lang in LANGUAGES}) == 20
    assert [lang.code for lang in LANGUAGES] == [
        "en", "pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu",
        "so", "uk", "tr", "fa", "ps", "lt", "sk", "zh_Hans", "fr", "it",
    ]  # fmt: skip


def test_native_names_are_own_language_names() -> None:
    for lang in LANGUAGES:
        assert lang.native_name.strip()
        if lang.iso != "en":
            assert lang.native_name != lang.english_name, lang.code
    names = {lang.iso: lang.native_name for lang in LANGUAGES}
    assert names["pl"] == "Polski"
    assert names["ro"] == "Română"
    assert names["ur"] == "اردو"
    assert names["bn"] == "বাংলা"
    assert names["pa"] == "ਪੰਜਾਬੀ"
    assert names["so"] == "Soomaali"
    assert names["zh"].startswith("中文")


def test_rtl_is_exactly_arabic_script_languages() -> None:
    assert {lang.iso for lang in LANGUAGES if lang.rtl} == {"ar", "ur", "fa", "ps"}


def test_babel_locales_parse_and_english_is_british() -> None:
    for lang in LANGUAGES:
        assert Locale.parse(lang.babel_locale).language == lang.iso
    english = by_code("en")
    assert english is not None
    assert format_date(datetime.date(2026, 10, 1), "long", locale=english.babel_locale) == "1 October 2026"


def test_by_code_accepts_catalog_and_iso_codes() -> None:
    assert by_code("zh_Hans").iso == "zh"
    assert by_code("zh").code == "zh_Hans"
    assert by_code("PL").code == "pl"
    assert by_code("de") is None


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("pt-br", "pt"),
        ("pt-PT", "pt"),
        ("zh-hans", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh-hant", "zh_Hans"),
        ("en-GB", "en"),
        ("en", "en"),
        ("uk", "uk"),
        ("pa", "pa"),
        ("pa-Arab", "ur"),
        ("fa-IR", "fa"),
        ("prs", "fa"),
        ("es-419", "es"),
        ("ar-SA", "ar"),
        ("so", "so"),
        ("ps_AF", "ps"),
        ("ru", None),
        ("de-DE", None),
        ("", None),
        (None, None),
    ],
)
def test_from_telegram(tag: str | None, expected: str | None) -> None:
    found = from_telegram(tag)
    assert (found.code if found else None) == expected


# --- detect.py: writing-system rules -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ਕੋਈ ਮਦਦ ਨਹੀਂ", "pa"),  # Gurmukhi
        ("કોઈ મદદ નથી", "gu"),  # Gujarati
        ("কোন সাহায্য নেই", "bn"),  # Bengali
        ("没有帮助", "zh"),  # Han
        ("我儿子的EHCP还没有", "zh"),  # Han outweighs a Latin acronym
        ("My son EHCP نہیں ملا", "ur"),  # English words inside Urdu
        ("Ніхто не допоміг", "uk"),
        ("Так", "uk"),  # Cyrillic, no Russian-only letters
        ("Никто не помог, мы ждём", None),  # Russian: not shipped, not mislabelled as Ukrainian
        ("هیڅ مرسته نشته", "ps"),  # Pashto letter ښ/څ
        ("ډېره مننه", "ps"),
        ("کوئی مدد نہیں ملی", "ur"),  # Urdu letters ں ہ
        ("ساڈے پتر نوں کوئی مدد نئیں ملدی", "pa"),  # Shahmukhi Panjabi function words
        ("لم يساعدنا أحد", "ar"),  # Arabic yeh, no Farsi-keyboard letters
        ("المدرسة لا ترد", "ar"),  # teh marbuta
        ("कोई मदद नहीं", None),  # Hindi (Devanagari): not shipped
        ("まだ待っています", None),  # Japanese kana
    ],
)
def test_script_rules(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_script_rules_ignore_the_prior() -> None:
    assert detect_language("ਕੋਈ ਮਦਦ ਨਹੀਂ", prior="ur") == "pa"
    assert detect_language("ډېره مننه", prior="fa") == "ps"
    assert detect_language("没有帮助", prior="en") == "zh"


def test_script_rules_beat_the_bare_detector_on_shahmukhi() -> None:
    text = "کونسل والے فون نئیں چکدے"
    raw = DetectorSettings(script_rules=False, use_prior=False)
    assert detect_with(text, None, raw) == "ur"
    assert detect_language(text) == "pa"


@pytest.mark.parametrize("text", ["", "   ", "👍👍", "🙏 😢", "12345", "07700 900123", "?!...", "\n\t"])
def test_no_letters_gives_none(text: str) -> None:
    assert detect_language(text) is None
    assert detect_language(text, prior="pl") is None


# --- detect.py: the prior ------------------------------------------------------------------------


def test_short_ambiguous_text_follows_a_non_english_prior() -> None:
    # "Nadal nic" is Polish, but its words are Slovak-looking; the detector alone says Slovak.
    assert detect_language("Nadal nic", prior="pl") == "pl"
    alone = detect_with("Nadal nic", None, DetectorSettings(use_prior=False))
    assert alone == "sk"  # without the prior it is wrong, so the prior is what fixes it
    assert detect_language("Tive de ir a tribunal", prior="pt") == "pt"
    assert detect_language("Tuve que ir al tribunal", prior="es") == "es"


def test_prior_does_not_override_clear_text() -> None:
    assert detect_language("Still waiting", prior="pl") == "en"
    assert detect_language("Nikt nam nie pomógł", prior="ro") == "pl"
    assert detect_language("هنوز منتظریم", prior="ur") == "fa"


def test_prior_applies_only_to_short_texts() -> None:
    long_text = "Tive de ir a tribunal porque a escola não quis saber"  # 11 words, Portuguese
    assert detect_with(long_text, "es", DetectorSettings(prior_weight=1e6)) == "pt"
    short_text = "Tive de ir a tribunal"
    assert detect_with(short_text, "it", DetectorSettings(prior_weight=1e6)) == "it"


def test_english_prior_is_not_boosted() -> None:
    # An enormous weight shows whether the prior is used at all.
    huge = DetectorSettings(prior_weight=1e6)
    for text in ("Nadal nic", "Tive de ir a tribunal", "Grazie mille"):
        assert detect_with(text, "en", huge) == detect_with(text, None, huge)
        assert detect_with(text, "en", huge) != "en"
    boosted = DetectorSettings(prior_weight=1e6, boost_english=True)
    assert detect_with("Nadal nic", "en", boosted) == "en"  # the switch the shipped default leaves off


def test_prior_accepts_catalog_codes_and_ignores_unknown_ones() -> None:
    assert detect_language("Nadal nic", prior="pl_PL") == "pl"
    assert detect_language("还在等", prior="zh_Hans") == "zh"
    assert detect_language("Still waiting", prior="xx") == "en"


def test_results_are_always_shipped_codes() -> None:
    for row in _load_set():
        found = detect_language(row["text"], row["prior"])
        assert found is None or found in SHIPPED_ISO


def test_word_count_counts_chinese_by_characters() -> None:
    assert word_count("Still waiting") == 2
    assert word_count("还在等") == 2
    assert word_count("EHC计划晚了将近一年") == 1 + 4  # "EHC" and eight characters


def test_model_is_loaded_once() -> None:
    assert backend("py3langid") is backend("py3langid")
    with pytest.raises(ValueError):
        backend("nonexistent")


def test_langdetect_backend_is_seeded_and_mapped() -> None:
    settings = DetectorSettings(backend="langdetect")
    first = [detect_with(t, None, settings) for t in ("Nikt nam nie pomógł", "Nobody helped us")]
    assert first == ["pl", "en"]
    assert [detect_with(t, None, settings) for t in ("Nikt nam nie pomógł", "Nobody helped us")] == first


# --- quality gate over the whole set -------------------------------------------------------------


def test_set_shape() -> None:
    rows = _load_set()
    per_language: dict[str, int] = {}
    for row in rows:
        assert row["language"] in SHIPPED_ISO
        assert row["prior"] in SHIPPED_ISO
        assert row["text"].strip()
        per_language[row["language"]] = per_language.get(row["language"], 0) + 1
    assert set(per_language) == set(SHIPPED_ISO)
    assert min(per_language.values()) >= 12
    assert sum(row["prior"] != row["language"] for row in rows) >= 40  # parents writing outside the interface


def test_quality_gate_with_prior() -> None:
    rows = _load_set()
    right = sum(detect_language(row["text"], row["prior"]) == row["language"] for row in rows)
    assert right / len(rows) >= 0.95


def test_quality_gate_latin_script_languages() -> None:
    rows = [row for row in _load_set() if row["language"] in LATIN_LANGUAGES]
    right = sum(detect_language(row["text"], row["prior"]) == row["language"] for row in rows)
    assert right / len(rows) >= 0.95
