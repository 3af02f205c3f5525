"""Service standards for transfer payments, as the Policy on Transfer Payments asks
departments to publish them, measured from the events: how long the department took
to acknowledge an application, to decide on a complete one (complete once assessed) and
to pay a complete claim. Business days skip weekends and the federal general holidays
(the Canada Labour Code's, from the ``holidays`` package)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays

from grants.domain.errors import InvalidValue, rule


class Standard(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"  # application received -> acknowledged
    DECISION = "decision"  # complete (assessed) application -> approved or rejected
    PAYMENT = "payment"  # complete claim received -> payment released


class Unit(StrEnum):
    BUSINESS_DAYS = "business_days"
    WEEKS = "weeks"


@dataclass(frozen=True)
class Target:
    """Within ``within`` units, for ``percent`` of the cases."""

    within: int
    unit: Unit
    percent: int

    def due_on(self, started_on: date) -> date:
        if self.unit is Unit.WEEKS:
            return started_on + timedelta(weeks=self.within)
        return add_business_days(started_on, self.within)

    def met(self, started_on: date, ended_on: date) -> bool:
        return ended_on <= self.due_on(started_on)

    @classmethod
    def checked(cls, within: int, unit: Unit, percent: int) -> Target:
        if type(within) is not int or not 1 <= within <= 520:
            raise InvalidValue(rule("a standard is from 1 to 520 days or weeks"), field="within")
        if type(percent) is not int or not 1 <= percent <= 100:
            raise InvalidValue(rule("a target is from 1 to 100 percent"), field="target_percent")
        return cls(within, unit, percent)


# Public Safety's published standards, which a program keeps until it sets its own.
DEFAULTS = {
    Standard.ACKNOWLEDGEMENT: Target(10, Unit.BUSINESS_DAYS, 80),
    Standard.DECISION: Target(30, Unit.WEEKS, 80),
    Standard.PAYMENT: Target(30, Unit.BUSINESS_DAYS, 80),
}


@cache
def _holidays(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("CA", years=year, categories=("government", "public"))
    return frozenset(calendar)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def business_days(started_on: date, ended_on: date) -> int:
    """The business days after ``started_on`` up to ``ended_on``: 0 the same day."""
    days, day = 0, started_on
    while day < ended_on:
        day += timedelta(days=1)
        days += is_business_day(day)
    return days


def add_business_days(started_on: date, count: int) -> date:
    """The day ``count`` business days after ``started_on``."""
    day = started_on
    while count:
        day += timedelta(days=1)
        count -= is_business_day(day)
    return day
