"""Tests for the personal-data scrubber (bot/privacy/scrub.py) and its evaluation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.scrub_eval import evaluate, load_set
from bot.privacy.normalise import normalise
from bot.privacy.scrub import KINDS, PLACEHOLDERS, Scrubbed, scrub, scrub_jsonl
from bot.privacy.scrub_formats import nhs_checksum_ok
from bot.privacy.scrub_keep import area_names

_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


def assert_removed(text: str, secret: str, kind: str, language: str | None = None) -> Scrubbed:
    result = scrub(text, language)
    assert secret not in result.text, result.text
    assert kind in result.removed, (result.removed, result.text)
    assert PLACEHOLDERS[kind] in result.text
    return result


def assert_unchanged(text: str, language: str | None = None) -> None:
    result = scrub(text, language)
    assert result.text == text
    assert result.removed == ()
    assert not result.changed


# --- API -------------------------------------------------------------------------------------------------------
def test_result_shape_and_order_of_removed_kinds() -> None:
    result = scrub("My son Jake is on 07700 900123 and at jake.mum@example.com", "en")
    assert isinstance(result, Scrubbed)
    assert result.changed
    assert result.removed == ("name", "phone", "email")
    assert result.text == "My son [name] is on [phone] and at [email]"


def test_one_removed_entry_per_placeholder() -> None:
    result = scrub("Call 0113 496 0571 or 0161 496 0832, ask Mrs Patel or Mr Davies.")
    assert len(_PLACEHOLDER.findall(result.text)) == len(result.removed)
    assert result.removed.count("phone") == 2
    assert result.removed.count("name") == 2


def test_kinds_and_placeholders_match_the_spec() -> None:
    assert set(KINDS) == set(PLACEHOLDERS)
    assert PLACEHOLDERS["date_of_birth"] == "[date of birth]"
    assert PLACEHOLDERS["nhs_number"] == "[NHS number]"


def test_empty_and_plain_text() -> None:
    assert_unchanged("")
    assert_unchanged("   ")


def test_language_tags_are_accepted_in_any_form() -> None:
    for tag in ("zh", "zh-Hans", "zh_Hans", "ZH", None, ""):
        assert scrub("我女儿叫李婷婷，她很好。", tag).removed == ("name",)


# --- phone -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "+44 (0)7700 900456",
        "+44 7700 900456",
        "0044 7700 900789",
        "0113 496 0571",
        "(0121) 496 0456",
        "020 7946 0958",
        "+44 20 7946 0782",
        "+48 512 345 678",
    ],
)
def test_phone_formats(number: str) -> None:
    assert_removed(f"You can reach me on {number} most evenings.", number, "phone")


def test_ten_digit_reference_without_leading_zero_is_not_a_phone() -> None:
    assert_unchanged("The tribunal reference was 2847561930 on the letter.")


def test_durations_and_years_are_not_phones() -> None:
    assert_unchanged("We waited 18 months, then 2 years, from 2019 to 2023.")


# --- email, link, handle -------------------------------------------------------------------------------------
def test_email_removed_whole_including_domain() -> None:
    result = assert_removed("Email sarah.jones84@gmail.com please", "sarah.jones84@gmail.com", "email")
    assert "gmail" not in result.text
    assert result.removed == ("email",)  # not also a handle or a link


@pytest.mark.parametrize(
    "link",
    ["https://oursendjourney.co.uk/ehcp-fight", "www.facebook.com/groups/sendparents", "t.me/sendmums"],
)
def test_links(link: str) -> None:
    result = assert_removed(f"See {link}.", link, "link")
    assert result.text.endswith("[link].")  # trailing full stop kept


def test_telegram_handle() -> None:
    assert_removed("Message me @leannemum82 any time", "@leannemum82", "handle")


# --- postcode --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "postcode", ["LS6 2AB", "M14 5RT", "SW1A 1AA", "sw1a1aa", "b15 2tt", "N8  0QY", "EC1A-1BB"]
)
def test_postcode_formats(postcode: str) -> None:
    assert_removed(f"Our postcode is {postcode} if that matters.", postcode, "postcode")


def test_ordinals_and_times_are_not_postcodes() -> None:
    assert_unchanged("In y6 2nd term he went in at 10 4am starts, ks1 3rd week.")


# --- NHS number ------------------------------------------------------------------------------------------------
def test_nhs_checksum() -> None:
    assert nhs_checksum_ok("9434765919")
    assert not nhs_checksum_ok("9434765918")
    assert not nhs_checksum_ok("123456789")
    assert not nhs_checksum_ok("12345678901")


@pytest.mark.parametrize("written", ["943 476 5919", "943-476-5919", "9434765919"])
def test_valid_nhs_number_removed(written: str) -> None:
    assert_removed(f"Reference {written} on the letter", written, "nhs_number")


def test_invalid_checksum_without_cue_is_kept() -> None:
    assert_unchanged("Reference 943 476 5918 on the letter")


def test_invalid_checksum_right_after_nhs_cue_is_removed() -> None:
    assert_removed("His NHS number is 401 023 2138 I think", "401 023 2138", "nhs_number")


# --- dates -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Amelia was born on 12/05/2015 in Leeds.", "12/05/2015"),
        ("DOB 02.11.2016, diagnosed later", "02.11.2016"),
        ("His date of birth is 23 Sept 2012.", "23 Sept 2012"),
        ("He was born 4th June 2014.", "4th June 2014"),
        ("Born on the 3rd of January 2017.", "3rd of January 2017"),
        ("Syn urodził się 15.08.2016 r.", "15.08.2016"),
        ("Mi hija nació el 7 de mayo de 2016.", "7 de mayo de 2016"),
        ("Elle est née le 14 février 2015.", "14 février 2015"),
        ("Син народився 05.06.2014.", "05.06.2014"),
        ("Oğlumun doğum tarihi 11/11/2015.", "11/11/2015"),
        ("تاريخ ميلاد ابني 03/09/2017", "03/09/2017"),
        ("出生日期是2015年5月12日。", "2015年5月12日"),
    ],
)
def test_dates_of_birth_removed(text: str, date: str) -> None:
    assert_removed(text, date, "date_of_birth")


def test_appointment_dates_months_and_years_are_kept() -> None:
    assert_unchanged("The OT appointment was on 3 March 2023 and the review is on 12/06/2025.")
    assert_unchanged("He was diagnosed in March 2019, born in 2015, and the plan came in 2023.")


def test_only_the_first_date_after_a_birth_cue_is_a_birth_date() -> None:
    result = scrub("Born 12/05/2015, assessed 03/04/2019.")
    assert result.removed == ("date_of_birth",)
    assert "03/04/2019" in result.text


# --- address ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("We live at 14 Oak Tree Road, Leeds.", "14 Oak Tree Road"),
        ("Flat 2, 37 Victoria Street, Bristol", "Flat 2, 37 Victoria Street"),
        ("We are at 2a Station Road now", "2a Station Road"),
        ("mieszkamy przy ul. Długiej 5 w Slough", "ul. Długiej 5"),
        ("nous habitons au 12 rue de la Paix", "12 rue de la Paix"),
        ("vivimos en calle Mayor 3", "calle Mayor 3"),
    ],
)
def test_addresses(text: str, address: str) -> None:
    assert_removed(text, address, "address")


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("abitiamo in via Roma 10", "via Roma 10"),
        ("locuim pe strada Florilor nr. 5", "strada Florilor nr. 5"),
        ("живемо на вул. Шевченка 5", "вул. Шевченка 5"),
        ("Adresimiz Atatürk Caddesi No: 5", "Atatürk Caddesi No: 5"),
    ],
)
def test_other_language_addresses(text: str, address: str) -> None:
    assert_removed(text, address, "address")


def test_street_word_without_number_is_not_an_address() -> None:
    assert_unchanged("The clinic on the high street closed.")


# --- school ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "school",
    [
        "St Mary's C of E Primary School",
        "Oakwood Academy",
        "Hillside School",
        "Greenfield Infant School",
        "Brookfield Special School",
        "St Joseph's Catholic Primary",
    ],
)
def test_english_school_names(school: str) -> None:
    assert_removed(f"She goes to {school} and it is going badly.", school, "school")


def test_school_name_without_leading_sentence_word() -> None:
    result = scrub("Yesterday Oakwood Academy phoned me.")
    assert result.text == "Yesterday [school] phoned me."


def test_polish_school() -> None:
    assert_removed(
        "Syn chodził do Szkoły Podstawowej nr 12 w Krakowie.", "Szkoły Podstawowej nr 12", "school"
    )


@pytest.mark.parametrize(
    ("text", "school", "kept"),
    [
        ("a învățat la Școala Gimnazială nr. 3 din Iași", "Școala Gimnazială nr. 3", "Iași"),
        ("estudió en el colegio San José", "San José", "colegio"),
        ("ходив у школа № 5", "школа № 5", "ходив"),
        ("她在阳光小学上学", "阳光小学", "上学"),
        ("Atatürk İlkokulu'nda okudu", "Atatürk İlkokulu", "okudu"),
    ],
)
def test_other_language_schools(text: str, school: str, kept: str) -> None:
    result = assert_removed(text, school, "school")
    assert kept in result.text


def test_generic_chinese_school_words_are_kept() -> None:
    assert_unchanged("他去特殊学校，我女儿的学校很好，我们学校没有SENCO。")


def test_generic_school_phrases_are_kept() -> None:
    assert_unchanged("The Virtual School helped, but a Special School place never came.")
    assert_unchanged("Primary School was fine; Secondary School was a disaster.")
    assert_unchanged("He needs a special school, not mainstream school.")


# --- names -----------------------------------------------------------------------------------------------------
def test_title_cues() -> None:
    for text, name in [
        ("Mrs Patel was brilliant.", "Patel"),
        ("Ask Dr. Ahmed about it.", "Ahmed"),
        ("The headteacher, Mrs J. Whitfield, said no.", "Whitfield"),
        ("Mr O'Neill left in July.", "O'Neill"),
        ("Miss Ellis-Brown runs the unit.", "Ellis-Brown"),
    ]:
        assert_removed(text, name, "name")


def test_title_beats_area_name_but_area_alone_is_kept() -> None:
    assert_removed("Mrs Kent from the school rang.", "Kent", "name")
    assert_unchanged("We moved to Kent in 2020.")


def test_titles_are_kept_as_context() -> None:
    assert scrub("Mrs Patel and Dr Ahmed").text == "Mrs [name] and Dr [name]"


def test_kinship_and_naming_cues_in_english() -> None:
    for text, name in [
        ("My son Jake has waited 18 months.", "Jake"),
        ("My daughter, Poppy, is 7.", "Poppy"),
        ("My son is called Oliver.", "Oliver"),
        ("his keyworker is called Priya", "Priya"),
        ("my lad kyle is 12", "kyle"),
        ("My son Will has autism.", "Will"),
    ]:
        assert_removed(text, name, "name", "en")


def test_first_last_pair_and_listed_name_without_cue() -> None:
    assert_removed("Tom Gallagher from the SEN team never answers.", "Tom Gallagher", "name")
    assert_removed("Amelia was diagnosed with ASD.", "Amelia", "name")


def test_repeated_name_is_removed_everywhere() -> None:
    result = scrub("My son Xander is 9. Xander hates the bus.")
    assert "Xander" not in result.text
    assert result.removed == ("name", "name")


def test_sentence_start_words_and_family_words_are_kept() -> None:
    assert_unchanged("Mum here. The school says he is fine but Dad disagrees.")
    assert_unchanged("Yesterday Grandma took him to the GP.")
    assert_unchanged("Will they ever listen? May was the worst month.")


def test_ambiguous_name_without_cue_is_kept() -> None:
    assert_unchanged("Grace period ended and Hope is all we have.")


# --- per-language cues -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("pl", "Mój syn Kacper czeka od 18 miesięcy.", "Kacper"),
        ("pl", "Moja córka ma na imię Hania.", "Hania"),
        ("pl", "Pani Nowak z rady nie odpowiada.", "Nowak"),
        ("ro", "Fiul meu Andrei așteaptă de 2 ani.", "Andrei"),
        ("ro", "Doamna Popescu nu a răspuns.", "Popescu"),
        ("es", "Mi hijo Mateo tiene autismo.", "Mateo"),
        ("es", "Mi hija se llama Valentina.", "Valentina"),
        ("fr", "Mon fils Lucas attend depuis 2 ans.", "Lucas"),
        ("fr", "Ma fille s'appelle Inès.", "Inès"),
        ("it", "Mio figlio Lorenzo aspetta da 20 mesi.", "Lorenzo"),
        ("pt", "Meu filho Gabriel espera há 2 anos.", "Gabriel"),
        ("pt", "A minha filha chama-se Beatriz.", "Beatriz"),
        ("uk", "Мій син Андрій чекає вже 18 місяців.", "Андрій"),
        ("uk", "Пані Коваленко обіцяла передзвонити.", "Коваленко"),
        ("tr", "Oğlum Emre 2 yıldır bekliyor.", "Emre"),
        ("tr", "Öğretmeni Ayşe Hanım çok yardımcı.", "Ayşe"),
        ("lt", "Mano sūnus Lukas laukia.", "Lukas"),
        ("sk", "Môj syn Matej čaká.", "Matej"),
        ("so", "Wiilkayga Cabdi wuxuu sugayay.", "Cabdi"),
        ("ur", "میرا بیٹا احمد دو سال سے انتظار کر رہا ہے۔", "احمد"),
        ("ur", "میری بیٹی کا نام عائشہ ہے۔", "عائشہ"),
        ("ar", "ابني يوسف عمره ثماني سنوات.", "يوسف"),
        ("ar", "المعلمة السيدة فاطمة ساعدتنا.", "فاطمة"),
        ("fa", "پسرم آرش دو سال است منتظر است.", "آرش"),
        ("ps", "زما زوی احمد انتظار کوي.", "احمد"),
        ("bn", "আমার ছেলে রহিম দুই বছর ধরে অপেক্ষা করছে।", "রহিম"),
        ("pa", "ਮੇਰਾ ਪੁੱਤਰ ਹਰਜੀਤ ਉਡੀਕ ਕਰ ਰਿਹਾ ਹੈ।", "ਹਰਜੀਤ"),
        ("gu", "મારો દીકરો આરવ રાહ જુએ છે.", "આરવ"),
        ("zh", "我儿子小明等了18个月。", "小明"),
        ("zh", "王老师对我女儿很好。", "王"),
        ("zh", "我女儿叫李婷婷。", "李婷婷"),
    ],
)
def test_language_cues(language: str, text: str, name: str) -> None:
    assert_removed(text, name, "name", language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ur", "میرا بیٹا بہت پریشان ہے کیونکہ اسکول میں کوئی مدد نہیں ملتی۔"),
        ("ur", "میرے بیٹے کو ADHD ہے۔"),
        ("ar", "ابني يعاني من صعوبات في النطق."),
        ("pl", "Syn urodził się w marcu 2016 i ma autyzm."),
        ("uk", "Син народився у 2014 році."),
        ("zh", "我儿子今年7岁，我女儿很好。"),
        ("tr", "Okul SENCO ile görüşmemize izin vermedi."),
    ],
)
def test_cue_followed_by_ordinary_word_is_kept(language: str, text: str) -> None:
    assert_unchanged(text, language)


# --- keep list -------------------------------------------------------------------------------------------------
def test_send_jargon_and_durations_are_kept() -> None:
    assert_unchanged(
        "CAMHS, the EHC plan (EHCP), SENCO, SEN, SEND, SENDIASS, NHS, OT, SALT, ADHD, ASD, GP, CQC, Ofsted, "
        "IPSEA, the LA and the Local Offer: 18 months, 2 years, 20 weeks."
    )
    assert_unchanged("Speech and Language Therapy and the Educational Psychologist saw him once.")


def test_every_local_area_name_and_alias_is_kept() -> None:
    names = area_names()
    assert len({n for n in names}) >= 153
    for area in names:
        text = f"We moved to {area} last year and {area} Council refused."
        assert scrub(text).text == text, area


def test_area_pairs_are_not_first_last_names() -> None:
    assert_unchanged("Milton Keynes and Tower Hamlets both have better Local Offer pages.")


# --- scrub_jsonl -----------------------------------------------------------------------------------------------
def test_scrub_jsonl_outputs_one_line_per_input_in_order() -> None:
    lines = [
        json.dumps({"text": "My son Jake is 9", "language": "en"}),
        json.dumps({"text": "Nothing personal here."}),
        json.dumps({"text": "Mój syn Kacper", "language": None}),
    ]
    out = [json.loads(line) for line in scrub_jsonl(lines)]
    assert out == [
        {"text": "My son [name] is 9", "removed": ["name"]},
        {"text": "Nothing personal here.", "removed": []},
        {"text": "Mój syn [name]", "removed": ["name"]},
    ]


@pytest.mark.parametrize(
    "bad",
    [
        "not json at all",
        "[1, 2]",
        json.dumps({"language": "en"}),
        json.dumps({"text": 5}),
        json.dumps({"text": "Mrs Patel", "language": 7}),
        "",
    ],
)
def test_scrub_jsonl_bad_lines_give_errors_without_echoing_text(bad: str) -> None:
    out = list(scrub_jsonl([bad, json.dumps({"text": "Mrs Patel"})]))
    assert len(out) == 2
    error = json.loads(out[0])
    assert set(error) == {"error"}
    assert "Patel" not in out[0]
    assert json.loads(out[1]) == {"text": "Mrs [name]", "removed": ["name"]}


def test_scrub_jsonl_keeps_non_ascii_readable() -> None:
    (line,) = scrub_jsonl([json.dumps({"text": "Мій син Андрій", "language": "uk"}, ensure_ascii=False)])
    assert "Мій син [name]" in line


# --- robustness ------------------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_and_counts_match(text: str) -> None:
    result = scrub(text)
    assert isinstance(result.text, str)
    assert all(kind in KINDS for kind in result.removed)
    if not result.removed:
        assert result.text == normalise(text)


def test_scrubbing_twice_changes_nothing_more() -> None:
    for row in load_set():
        once = scrub(str(row["text"]), str(row["language"]))
        twice = scrub(once.text, str(row["language"]))
        assert twice.text == once.text, row["id"]


# --- labelled set and quality gate -----------------------------------------------------------------------------
def test_labelled_set_is_well_formed() -> None:
    rows = load_set()
    assert len(rows) >= 80
    languages = {str(r["language"]) for r in rows}
    assert {"en", "pl", "ur", "ar", "ro", "es", "fr", "pt", "uk", "tr"} <= languages
    assert len({r["id"] for r in rows}) == len(rows)
    assert any(not r["pii"] for r in rows)  # false-positive checks are present
    for row in rows:
        for item in row["pii"]:  # type: ignore[union-attr]
            assert item["kind"] in KINDS
            assert item["text"] in row["text"], row["id"]
        for phrase in row["keep"]:  # type: ignore[union-attr]
            assert phrase in row["text"], row["id"]


def test_quality_gate_on_the_whole_labelled_set() -> None:
    report = evaluate(load_set(), repeats=1)
    assert report.pii.total >= 100
    assert report.pii.rate >= 0.95, report.misses
    assert report.lost_rate < 0.05, report.lost
    assert report.clean.rate == 1.0  # texts with no personal data come out as they went in


# --- adversarial sets (issue 13.1) -----------------------------------------------------------------------------
ADVERSARIAL_DEV = Path(__file__).parent / "data" / "scrub_adversarial_dev.jsonl"
ADVERSARIAL_BLIND = Path(__file__).parent / "data" / "scrub_adversarial_blind.jsonl"


@pytest.mark.parametrize("path", [ADVERSARIAL_DEV, ADVERSARIAL_BLIND], ids=["dev", "blind"])
def test_adversarial_sets_are_well_formed(path: Path) -> None:
    rows = load_set(path)
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["language"] for r in rows}) >= (20 if path == ADVERSARIAL_BLIND else 10)
    assert sum(1 for r in rows if not r["pii"]) >= 10  # over-scrubbing is measured too
    for row in rows:
        for item in row["pii"]:  # type: ignore[union-attr]
            assert item["kind"] in KINDS
            assert item["text"] in normalise(str(row["text"])), row["id"]  # labels are in normalised form
        for phrase in row["keep"]:  # type: ignore[union-attr]
            assert phrase in row["text"], row["id"]


def test_quality_gate_on_the_adversarial_sets() -> None:
    """Floors just under the figures measured when these rules were written (docs/scrubbing.md)."""
    dev = evaluate(load_set(ADVERSARIAL_DEV), repeats=1)
    assert dev.pii.rate >= 0.93, dev.misses
    assert dev.clean.rate == 1.0, dev.lost
    blind = evaluate(load_set(ADVERSARIAL_BLIND), repeats=1)
    assert blind.pii.rate >= 0.75  # 0.757 at the first and only blind run; per-item results are not used
    assert blind.clean.caught >= 20
    assert blind.lost_rate < 0.025
    for kind in ("email", "phone", "date_of_birth"):
        assert blind.by_kind[kind].rate == 1.0, kind


# --- normalisation -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Mrs\u202eKhan\u202c", "MrsKhan"),  # bidi override and pop
        ("Ms\u2066Adeyemi\u2069", "MsAdeyemi"),  # isolates
        ("Fin\u200bley\ufeff", "Finley"),  # zero-width space, BOM
        ("\uff30\uff41\uff54\uff45\uff4c", "Patel"),  # full-width letters
        ("\x1b[31mred\x1b[0m text", "red text"),  # ANSI colours
        ("\x1b]0;title\x07ok", "ok"),  # OSC sequence
        ("a\x00b\x07c\r\nd\te", "abc\nd\te"),  # controls; newline and tab stay
        ("\u200b\u200b", ""),
        ("می\u200cخواهد", "می\u200cخواهد"),  # Persian ZWNJ is spelling
        ("Ja\u200cke", "Jake"),  # ZWNJ inside a Latin name is not
        ("很好，但是", "很好，但是"),  # Chinese punctuation stays full-width
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f468\u200d\U0001f469\u200d\U0001f467"),  # emoji ZWJ
    ],
)
def test_normalise(raw: str, clean: str) -> None:
    assert normalise(raw) == clean
    assert normalise(clean) == clean


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100))
def test_normalise_is_idempotent_and_leaves_no_invisible_control(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "\x1b" not in once and "\u200b" not in once and "\u202e" not in once


# --- the examples, one per kind ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "secret", "kind", "language"),
    [
        ("oliver has been out of school for a year", "oliver", "name", "en"),
        ("jack his brother is also autistic", "jack", "name", "en"),
        ("Keeley and Brandon are both waiting", "Keeley", "name", "en"),
        ("We saw Nkechi at the panel", "Nkechi", "name", "en"),
        ("kai-lee's case was closed", "kai-lee", "name", "en"),
        ("张伟和刘洋都没有得到支持", "刘洋", "name", "zh"),
        ("call seven seven zero zero nine zero zero one two three", "seven seven zero", "phone", "en"),
        ("write to mum [at] example [dot] com", "example", "email", "en"),
        ("we live at number 9 on the high street", "number 9", "address", "en"),
        ("she is at oakfield academy", "oakfield", "school", "en"),
        ("born on the twelfth of may two thousand and sixteen", "twelfth", "date_of_birth", "en"),
        ("MY SON JAYDEN NEEDS HELP", "JAYDEN", "name", "en"),
        ("Mrs\u202eKhan\u202c never replied", "Khan", "name", "en"),
        ("Mr \uff30\uff41\uff54\uff45\uff4c is the SENCO", "Patel", "name", "en"),
        ("daughter (Mia, 4) has no place", "Mia", "name", "en"),
        ("mój numer: zero siedem siedem zero zero dziewięć zero zero jeden dwa trzy", "siedem", "phone", "pl"),
        ("رقمي صفر سبعة سبعة صفر صفر تسعة صفر صفر واحد اثنان ثلاثة", "سبعة", "phone", "ar"),
        ("我的电话是零七七零零九零零一二三", "零七七", "phone", "zh"),
        ("mi correo es ana.lopez arroba hotmail punto com", "ana.lopez", "email", "es"),
        ("email: john.doe (at) outlook (dot) com", "john.doe", "email", "en"),
        ("Nació el cuatro de junio de dos mil catorce", "catorce", "date_of_birth", "es"),
        ("mio figlio matteo ha bisogno di aiuto", "matteo", "name", "it"),
        ("KIZIM ELİF OKULA GİTMİYOR", "ELİF", "name", "tr"),
        ("the paediatrician, dr. hussain, said wait", "hussain", "name", "en"),
    ],
)
def test_adversarial_examples_are_removed(text: str, secret: str, kind: str, language: str) -> None:
    result = scrub(text, language)
    assert secret not in result.text and secret not in normalise(result.text), result.text
    assert kind in result.removed, result


@pytest.mark.parametrize(
    "text",
    [
        "The Autism Team said number 1 priority is sleep; we waited 2 years.",
        "number two on my list is transport; number one is a school place",
        "It took three, four, five, six, seven, eight, nine, ten months of emails",
        "the meeting is at 10 dot 30 tomorrow",
        "we met at the school. It was fine",
        "a 20 minute drive to the special school",
        "my dr appointment was cancelled",
        "our nearest secondary school is 12 miles away",
        "MY SON HAS ADHD AND THE LA DOES NOTHING",
        "王国的故事他很喜欢",
        "高中和小学都不一样，我们等了很久",
        "May was awful, June was better, and by August the SENDIASS adviser had helped.",
        "born in March 2015, diagnosed in the third week of May 2019",
    ],
)
def test_adversarial_look_alikes_are_kept(text: str) -> None:
    assert_unchanged(text, "zh" if "\u4e00" <= text[0] <= "\u9fff" else "en")


def test_a_listed_name_brings_the_rest_of_its_list_but_not_known_terms() -> None:
    assert scrub("The Autism Team and Brandon", "en").text == "The Autism Team and [name]"
    assert scrub("Keeley, Tyrese and Brandon", "en").text == "[name], [name] and [name]"
    assert scrub("Brandon and Leeds City Council", "en").text == "[name] and Leeds City Council"


def test_glued_title_reads_as_title_and_placeholder() -> None:
    assert scrub("Mrs\u202eKhan\u202c never replied", "en").text == "Mrs [name] never replied"
