"""Business days, as the service standards count them: weekends and the federal general
holidays of the Canada Labour Code are not business days."""

from __future__ import annotations

from datetime import date

from grants.domain.service_standards import DEFAULTS, Standard, add_business_days, business_days


def test_business_days_skip_weekends_and_federal_holidays() -> None:
    # Canada Day 2021 was a Thursday; the Civic Holiday is no federal holiday.
    assert business_days(date(2021, 6, 24), date(2021, 7, 9)) == 10
    assert add_business_days(date(2021, 6, 24), 10) == date(2021, 7, 9)
    assert business_days(date(2021, 7, 30), date(2021, 8, 3)) == 2
    # Christmas and Boxing Day 2024 were a Wednesday and a Thursday.
    assert business_days(date(2024, 12, 24), date(2024, 12, 27)) == 1
    assert business_days(date(2024, 11, 8), date(2024, 11, 12)) == 1  # Remembrance Day
    assert business_days(date(2024, 12, 24), date(2024, 12, 24)) == 0


def test_a_case_meets_its_standard_on_its_last_day_and_not_after() -> None:
    acknowledgement, decision = DEFAULTS[Standard.ACKNOWLEDGEMENT], DEFAULTS[Standard.DECISION]
    assert acknowledgement.met(date(2021, 6, 24), date(2021, 7, 9))
    assert not acknowledgement.met(date(2021, 6, 24), date(2021, 7, 12))
    # Thirty weeks, holidays or not.
    assert decision.due_on(date(2024, 1, 1)) == date(2024, 7, 29)
