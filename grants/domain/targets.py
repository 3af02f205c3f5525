"""Targets and how a result is judged against one, as the Horizontal Initiatives
Database and GC InfoBase publish it: a target is exact, a minimum, a maximum or a range,
to be achieved by a date; once that date is reached the actual meets it or not, or there
is no data to judge. The view and the tests both judge with ``status``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from grants.domain.errors import InvalidValue, rule
from grants.domain.fiscal_year import FiscalYear
from grants.domain.values import count, day


class TargetKind(StrEnum):
    EXACT = "exact"
    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    RANGE = "range"


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    # The date to achieve is not reached yet.
    FUTURE = "future"
    # No actual by the date to achieve, or no target to judge the actual against.
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Target:
    """``low`` is the exact value, the minimum or the range's low end; ``high`` the
    maximum or the range's high end (both the value for an exact target)."""

    kind: TargetKind
    low: int
    high: int
    achieve_by: date

    @property
    def fiscal_year(self) -> FiscalYear:
        """The year whose results are judged against it: the one it is due in."""
        return FiscalYear.of(self.achieve_by)

    @classmethod
    def checked(
        cls, kind: TargetKind, low: int | None, high: int | None, achieve_by: date
    ) -> Target:
        day(achieve_by, field="achieve_by")
        if kind in (TargetKind.EXACT, TargetKind.MINIMUM, TargetKind.RANGE) and low is None:
            raise InvalidValue(rule("a {kind} target needs its low value"), field="low", kind=kind)
        if kind in (TargetKind.MAXIMUM, TargetKind.RANGE) and high is None:
            raise InvalidValue(
                rule("a {kind} target needs its high value"), field="high", kind=kind
            )
        if kind is TargetKind.MAXIMUM:
            low = 0
        elif kind is not TargetKind.RANGE:
            high = low
        assert low is not None and high is not None
        low, high = count(low, field="low"), count(high, field="high")
        if low > high:
            raise InvalidValue(
                rule("a range runs from its low value up: {low} is above {high}"),
                field="high",
                low=low,
                high=high,
            )
        return cls(TargetKind(kind), low, high, achieve_by)

    def met_by(self, actual: int) -> bool:
        match self.kind:
            case TargetKind.EXACT:
                return actual == self.low
            case TargetKind.MINIMUM:
                return actual >= self.low
            case TargetKind.MAXIMUM:
                return actual <= self.high
            case TargetKind.RANGE:
                return self.low <= actual <= self.high


def status(target: Target | None, actual: int | None, today: date) -> Status:
    """An indicator's status for one year. Before its date to achieve a target is in the
    future, whatever has been reported so far; on that day it is due."""
    if target is None:
        return Status.NO_DATA
    if today < target.achieve_by:
        return Status.FUTURE
    if actual is None:
        return Status.NO_DATA
    return Status.MET if target.met_by(actual) else Status.NOT_MET
