"""The pure pieces behind the operator checks: links, dates, the secret's check value and wrapped key."""

from __future__ import annotations

from datetime import date

import pytest

from bot.inspection import Inspection
from bot.inspection_checks import Dates, check_dates, duplicates, parse_option_date
from bot.privacy import keyring
from bot.weblinks import require_https_url, url_problem

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize("url", ["https://www.gov.uk/government/publications/x", "https://example.org",
                                 "https://reports.ofsted.gov.uk/provider/44/80000?x=1#top", "https://xn--bcher-kva.de/",
                                 "https://forms.office.com:443/r/abc"])
def test_usable_links(url):
    assert url_problem(url) is None and require_https_url(url, "--url") == url


@pytest.mark.parametrize(("url", "why"), [
    ("http://example.org", "https://"), ("example.org/survey", "https://"), ("https://example", "real web site"),
    ("https://-bad-.org", "real web site"), ("https://user:pw@example.org", "user name"),
    ("https://example.org/a b", "spaces"), ("https://example.org/\n", "spaces"), ("", "empty"),
    ("https://example.org:99999/", "not a web address"), ("https://127.0.0.1/", "real web site"),
])
def test_unusable_links_say_why(url, why):
    assert why in url_problem(url)
    with pytest.raises(ValueError, match="--official-survey-url"):
        require_https_url(url, "--official-survey-url")


def test_dates_are_iso_only_and_name_the_option():
    assert parse_option_date("--survey-opens", "2026-10-01") == date(2026, 10, 1)
    assert parse_option_date("--visit-ends", None) is None
    for bad in ("20261001", "2026-W40-1", "01/10/2026", "2026-10-32"):
        with pytest.raises(ValueError, match=r"--survey-opens .* use the form YYYY-MM-DD"):
            parse_option_date("--survey-opens", bad)


def test_date_rules():
    d = date
    ok = check_dates(Dates(d(2027, 1, 4), d(2027, 1, 15), d(2027, 1, 12), d(2027, 1, 14)), TODAY)
    assert ok.errors == [] and ok.warnings == ["the survey is still open after the visit ends (2027-01-14): "
                                               "answers given after the visit cannot inform it."]
    before = check_dates(Dates(d(2027, 1, 4), d(2027, 1, 15), d(2027, 1, 4), d(2027, 1, 6)), TODAY)
    assert any("must start after the survey opens" in e for e in before.errors)
    past = check_dates(Dates(d(2026, 1, 4), d(2026, 1, 15)), TODAY)
    assert past.errors == [] and "before today (2026-12-05)" in past.warnings[0]
    same = Inspection("abcd2345", "E06000015", d(2027, 1, 4), d(2027, 1, 15))
    other = Inspection("efgh2345", "E08000025", d(2027, 1, 4), d(2027, 1, 15))
    assert duplicates("E06000015", Dates(d(2027, 1, 4), d(2027, 1, 15)), [same, other]) == [
        "inspection abcd2345 already covers this area with the same survey dates; this creates another one."]


def test_the_check_value_and_the_wrapped_key_open_only_with_the_same_secret():
    a, b = "a" * 32, "b" * 32
    assert keyring.matches(a, keyring.check_value(a)) and not keyring.matches(b, keyring.check_value(a))
    wrapped = keyring.wrap(a, "the data key")
    assert "the data key" not in wrapped and a not in wrapped
    assert keyring.unwrap(a, wrapped) == "the data key" and keyring.unwrap(b, wrapped) is None
    assert keyring.unwrap(a, wrapped[:-4] + "AAAA") is None
