"""Synthetic submitted responses for report tests and benchmarks (seeded, so every run sees the same data).

Answers follow the default questionnaire's ids and skip logic; free text comes from a small bank of
sentences in several languages, each with the themes and flags a parent or the classifier would give it.
Reusable by end-to-end tests: ``make_records(n, seed=..., languages=...)``.

Each free-text answer carries the version of the scrubber that cleaned it, as the bot stores it: the current
version for most (``CURRENT_SHARE``), an older version or none for the rest (answers stored before a scrubber
update, or before versions were kept), so a report built from them still re-scrubs some quotes.
"""

from __future__ import annotations

import gettext
import random
from collections.abc import Sequence
from datetime import date

from bot.i18n.catalog import Translator
from bot.inspection import Inspection as InspectionInfo
from bot.privacy.scrub_version import scrubber_version
from bot.records import ResponseRecord, ThemeAssignment
from bot.themes.rules import themes_from_answers

DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "pl", "ur", "ar", "ro", "pa", "bn", "so", "pt", "es", "fa", "uk")
#: Rough mix of interface languages: English most, then the larger EAL languages.
LANGUAGE_WEIGHTS: dict[str, float] = {
    "en": 50, "pl": 10, "ur": 8, "ar": 6, "ro": 6, "pa": 4, "bn": 4, "so": 3, "pt": 3, "es": 2, "fa": 2, "uk": 2,
}

#: Share of free-text answers stored by the running scrubber; of the rest, half carry an older version and half
#: none (NULL: stored before migration 008).
CURRENT_SHARE = 0.9
OLD_VERSION = "0123456789abcdef"

# (language, text, themes, flags). Texts read as already scrubbed: no names, no numbers that identify.
Sentence = tuple[str, str, tuple[str, ...], tuple[str, ...]]

CONCERNS: tuple[Sentence, ...] = (
    ("en", "We asked for an EHC needs assessment over a year ago and are still waiting for a decision.",
     ("ehc_assessment_delay",), ()),
    ("en", "The council told us they do not assess children until they are two years behind.",
     ("ehc_assessment_delay",), ("possible_unlawful_practice",)),
    ("en", "Her plan says one-to-one support every day but the school has never provided it.",
     ("ehc_plan_quality",), ()),
    ("en", "Eighteen months on the waiting list for speech and language therapy.", ("therapy_waits",), ()),
    ("en", "Nobody answers emails at the SEND team and we have no named contact.",
     ("communication_coproduction",), ()),
    ("en", "He has been on a part-time timetable for a term because there is no support at lunchtime.",
     ("exclusion_attendance",), ("possible_unlawful_practice",)),
    ("en", "My daughter is self-harming and CAMHS say she is not ill enough.", ("mental_health",), ("safeguarding",)),
    ("en", "We had to go to tribunal to get a special school place.", ("disputes_redress", "school_places"), ()),
    ("en", "The taxi to school is late most mornings and there is no escort.", ("transport",), ()),
    ("pl", "Czekamy na ocenę potrzeb EHC od ponad roku i nikt nie odpowiada na maile.",
     ("ehc_assessment_delay", "communication_coproduction"), ()),
    ("pl", "Szkoła odsyła syna do domu w porze obiadowej, bo nie ma asystenta.",
     ("exclusion_attendance",), ("possible_unlawful_practice",)),
    ("pl", "Nikt nie wyjaśnił nam po polsku, jakie mamy prawa.", ("information_local_offer",), ("language_barrier",)),
    ("ur", "ہم اپنے بیٹے کی اسپیچ تھراپی کے لیے ڈیڑھ سال سے انتظار کر رہے ہیں۔", ("therapy_waits",), ()),
    ("ur", "کونسل کو ای میل کرتے ہیں مگر کوئی جواب نہیں آتا۔", ("communication_coproduction",), ()),
    ("ur", "اسکول نے میرے بیٹے کو کئی بار جلدی گھر بھیج دیا۔", ("exclusion_attendance",), ()),
    ("ur", "میٹنگ میں کوئی ترجمان نہیں تھا اور سب خط انگریزی میں آتے ہیں۔",
     ("information_local_offer",), ("language_barrier",)),
    ("ar", "ننتظر تقييم الاحتياجات منذ أكثر من سنة ولم نتلق أي رد من المجلس.", ("ehc_assessment_delay",), ()),
    ("ar", "لا يوجد مترجم في الاجتماعات وكل الرسائل باللغة الإنجليزية فقط.",
     ("information_local_offer",), ("language_barrier",)),
    ("ar", "ابني ينتظر علاج النطق منذ سنتين.", ("therapy_waits",), ()),
    ("ro", "Așteptăm de doi ani o evaluare pentru autism.", ("neurodevelopmental",), ()),
    ("ro", "Nu am primit niciun răspuns la e-mailurile trimise consiliului.", ("communication_coproduction",), ()),
    ("fa", "دو سال است که برای ارزیابی اوتیسم منتظریم.", ("neurodevelopmental",), ()),
    ("es", "No hay plazas en escuelas especiales cerca de casa.", ("school_places",), ()),
    ("pt", "A revisão anual foi há seis meses e o plano ainda não foi alterado.", ("annual_review",), ()),
    ("uk", "Ми чекаємо на обстеження на аутизм вже два роки.", ("neurodevelopmental",), ()),
)

STRENGTHS: tuple[Sentence, ...] = (
    ("en", "The speech therapist at nursery made a real difference.", ("therapy_waits",), ("positive",)),
    ("en", "Our SENCO listens and involves us in every review.", ("communication_coproduction",), ("positive",)),
    ("en", "Short breaks on Saturdays have kept our family going.", ("social_care_short_breaks",), ("positive",)),
    ("pl", "Terapeutka mowy w przedszkolu bardzo nam pomogła.", ("therapy_waits",), ("positive",)),
    ("ur", "اسکول کی ٹیچر بہت مددگار ہیں اور میرا بیٹا اب خوش ہے۔", (), ("positive",)),
    ("ar", "معلمة ابني في المدرسة رائعة وتساعده كل يوم.", (), ("positive",)),
    ("ro", "Școala specială este minunată pentru fiica mea.", ("school_places",), ("positive",)),
)

ALL_THEMES = (
    "identification", "ehc_assessment_delay", "ehc_plan_quality", "annual_review", "therapy_waits",
    "neurodevelopmental", "mental_health", "social_care_short_breaks", "school_places", "exclusion_attendance",
    "transport", "personal_budgets", "adulthood_transition", "communication_coproduction", "disputes_redress",
    "information_local_offer", "equipment_access",
)


def english() -> Translator:
    """The English translator, built directly so report tests do not depend on the language registry."""
    return Translator("en", "en_GB", False, gettext.NullTranslations())


def make_info(**overrides: object) -> InspectionInfo:
    values: dict[str, object] = {
        "id": "insp-test", "area_name": "Derby", "area_code": "E06000015",
        "survey_opens": date(2026, 9, 27), "survey_closes": date(2026, 10, 1),
        "visit_starts": date(2026, 10, 4), "visit_ends": date(2026, 10, 6),
        "official_survey_url": "https://example.org/survey",
    }
    values.update(overrides)
    return InspectionInfo(**values)  # type: ignore[arg-type]


def _scale(rng: random.Random, weights: Sequence[float]) -> object:
    return rng.choices([1, 2, 3, 4, 5, "dont_know"], weights=weights)[0]


def _multi(rng: random.Random, options: Sequence[str], exclusive: Sequence[str], p_exclusive: float) -> list[str]:
    if exclusive and rng.random() < p_exclusive:
        return [rng.choice(list(exclusive))]
    k = rng.choice((1, 1, 2, 2, 3))
    return rng.sample(list(options), k)


def _sentence(rng: random.Random, bank: Sequence[Sentence], language: str) -> Sentence:
    """Mostly a sentence in the parent's language; English when the bank has none, sometimes by choice."""
    own = [s for s in bank if s[0] == language]
    if own and rng.random() < 0.85:
        return rng.choice(own)
    return rng.choice([s for s in bank if s[0] == "en"])


def _scrubbed_by(versions: random.Random | None) -> str | None:
    """Which scrubber cleaned one answer: the current one, an older one, or unknown (None)."""
    if versions is None:
        return scrubber_version()
    draw = versions.random()
    if draw < CURRENT_SHARE:
        return scrubber_version()
    return OLD_VERSION if draw < (1 + CURRENT_SHARE) / 2 else None


def make_record(rng: random.Random, languages: Sequence[str], versions: random.Random | None = None) -> ResponseRecord:
    """One response. ``versions`` draws the scrubber versions (its own stream, so the answers do not change
    with it); without it every text is marked as cleaned by the current scrubber."""
    weights = [LANGUAGE_WEIGHTS.get(code, 1.0) for code in languages]
    language = rng.choices(list(languages), weights=weights)[0]
    answers: dict[str, object] = {
        "respondent": rng.choices(["parent_carer", "young_person", "other"], weights=[90, 6, 4])[0],
        "age_band": rng.choices(["under_5", "5_to_10", "11_to_13", "14_to_15", "16_to_18", "19_to_25"],
                                weights=[12, 38, 20, 14, 11, 5])[0],
        "support": rng.choices(["sen_support", "ehc_plan", "assessment_requested", "none", "not_sure"],
                               weights=[34, 36, 16, 8, 6])[0],
        "setting": rng.choices(["early_years", "mainstream", "resourced_provision", "special_school",
                                "alternative_provision", "college", "not_in_education", "home_education"],
                               weights=[10, 45, 8, 20, 4, 6, 4, 3])[0],
    }
    if rng.random() < 0.9:
        answers["needs"] = _multi(rng, ["communication", "learning", "emotional", "sensory_physical", "medical",
                                        "other"], (), 0)
    if rng.random() < 0.95:
        answers["identified"] = _scale(rng, [22, 26, 20, 15, 9, 8])
    if answers["support"] in ("ehc_plan", "assessment_requested") and rng.random() < 0.9:
        answers["assessment_wait"] = rng.choices(
            ["under_20_weeks", "20_weeks_to_1_year", "1_to_2_years", "over_2_years", "still_waiting", "refused"],
            weights=[22, 30, 16, 6, 18, 8])[0]
    if rng.random() < 0.95:
        answers["right_help"] = _scale(rng, [25, 27, 20, 14, 8, 6])
    if rng.random() < 0.9:
        answers["services_waited"] = _multi(
            rng, ["speech_language", "occupational_therapy", "physiotherapy", "camhs", "autism_adhd_assessment",
                  "short_breaks", "equipment", "transport"], ["none"], 0.15)
    if rng.random() < 0.95:
        answers["involved"] = _scale(rng, [18, 22, 24, 20, 12, 4])
    if rng.random() < 0.9:
        answers["contact_replies"] = _scale(rng, [28, 26, 20, 12, 6, 8])
    if answers["age_band"] in ("14_to_15", "16_to_18", "19_to_25") and rng.random() < 0.9:
        answers["next_steps"] = _scale(rng, [20, 24, 22, 14, 8, 12])
    if rng.random() < 0.9:
        answers["excluded"] = _multi(rng, ["sent_home", "part_time_timetable", "suspended", "excluded"],
                                     ["none", "not_sure"], 0.7)

    themes: list[ThemeAssignment] = []
    flags: set[str] = set()
    text_languages: dict[str, str] = {}
    scrubbed_by: dict[str, str] = {}
    for question, bank, p in (("worked_well", STRENGTHS, 0.45), ("inspectors_should_know", CONCERNS, 0.7)):
        if rng.random() >= p:
            continue
        text_language, text, sentence_themes, sentence_flags = _sentence(rng, bank, language)
        answers[question] = text
        text_languages[question] = text_language
        version = _scrubbed_by(versions)
        if version is not None:
            scrubbed_by[question] = version
        flags.update(sentence_flags)
        if rng.random() < 0.6:
            # The parent confirmed (or corrected) the suggestion; the classifier's guess stays recorded.
            if rng.random() < 0.3:
                themes.append(ThemeAssignment(rng.choice(ALL_THEMES), question, "classifier"))
            themes.extend(ThemeAssignment(t, question, "parent") for t in sentence_themes)
        else:
            themes.extend(ThemeAssignment(t, question, "classifier") for t in sentence_themes)
    themes.extend(ThemeAssignment(theme, question, "rule") for theme, question in themes_from_answers(answers))
    answers["quote_ok"] = "yes" if rng.random() < 0.6 else "no"
    return ResponseRecord(language, answers, text_languages, tuple(themes), tuple(sorted(flags)),
                          forum=rng.choice([None, "forum-a", "forum-b"]), scrubbed_by=scrubbed_by)


def make_records(n: int, *, seed: int = 0, languages: Sequence[str] = DEFAULT_LANGUAGES) -> list[ResponseRecord]:
    rng, versions = random.Random(seed), random.Random(f"scrubber versions {seed}")
    return [make_record(rng, languages, versions) for _ in range(n)]
