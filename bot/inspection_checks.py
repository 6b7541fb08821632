"""What an operator types for an inspection's dates, checked before anything is stored. Pure functions.

Refused (an error): a date not in YYYY-MM-DD form, a survey that closes before it opens, a visit with a
start but no end (or an end but no start), a visit that ends before it starts, and a visit that starts on
or before the day the survey opens (inspectors visit after families have had their say).
Accepted: a visit that starts while the survey is still open. Inspectorates often keep the parents'
survey open into the first days on site, so the visit may overlap the survey's close.
Warned about (created anyway): a survey that has already closed, a survey still open after the visit
ends, and an inspection of the same area with the same survey dates as one that exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from bot.inspection import Inspection

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Dates:
    survey_opens: date
    survey_closes: date
    visit_starts: date | None = None
    visit_ends: date | None = None


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_option_date(option: str, value: str | None) -> date | None:
    """ISO dates only (2026-10-01): unambiguous in any locale. The error names the option."""
    if value is None:
        return None
    try:
        if not _ISO_DATE.match(value.strip()):  # fromisoformat also takes 20261001 and week dates
            raise ValueError(value)
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{option} {value!r} is not a date: use the form YYYY-MM-DD, e.g. 2026-10-01.") from None


def check_dates(dates: Dates, today: date) -> Findings:
    found = Findings()
    if dates.survey_closes < dates.survey_opens:
        found.errors.append(f"--survey-closes {dates.survey_closes} is before --survey-opens {dates.survey_opens}: "
                            "the survey cannot close before it opens.")
    if (dates.visit_starts is None) != (dates.visit_ends is None):
        given, missing = (("--visit-starts", "--visit-ends") if dates.visit_ends is None
                          else ("--visit-ends", "--visit-starts"))
        found.errors.append(f"{given} is given without {missing}: give both visit dates, or neither.")
    if dates.visit_starts and dates.visit_ends and dates.visit_ends < dates.visit_starts:
        found.errors.append(f"--visit-ends {dates.visit_ends} is before --visit-starts {dates.visit_starts}: "
                            "the visit cannot end before it starts.")
    if dates.visit_starts and dates.visit_starts <= dates.survey_opens:
        found.errors.append(f"--visit-starts {dates.visit_starts} is not after --survey-opens {dates.survey_opens}: "
                            "the visit must start after the survey opens.")
    if found.errors:
        return found
    if dates.survey_closes < today:
        found.warnings.append(f"the survey closed on {dates.survey_closes}, before today ({today}): "
                              "parents can no longer answer it.")
    if dates.visit_ends and dates.survey_closes > dates.visit_ends:
        found.warnings.append(f"the survey is still open after the visit ends ({dates.visit_ends}): "
                              "answers given after the visit cannot inform it.")
    return found


def duplicates(area_code: str, dates: Dates, existing: Iterable[Inspection]) -> list[str]:
    """Warnings for inspections of the same area with the same survey dates (a command typed twice?)."""
    return [f"inspection {i.id} already covers this area with the same survey dates; this creates another one."
            for i in existing
            if i.area_code == area_code and (i.survey_opens, i.survey_closes) == (dates.survey_opens,
                                                                                  dates.survey_closes)]
