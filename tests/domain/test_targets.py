"""Judging a year's result against its target: at the date to achieve and at each end
of a range, as the Horizontal Initiatives Database publishes the statuses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.domain.errors import InvalidValue
from grants.domain.targets import Status, Target, TargetKind, status

DUE = date(2023, 3, 31)


def target(kind: TargetKind, low: int | None = None, high: int | None = None) -> Target:
    return Target.checked(kind, low, high, DUE)


def test_a_target_is_in_the_future_until_the_day_it_is_due_whatever_is_reported() -> None:
    minimum = target(TargetKind.MINIMUM, 10)
    assert status(minimum, 50, DUE - timedelta(days=1)) is Status.FUTURE
    assert status(minimum, None, DUE - timedelta(days=1)) is Status.FUTURE
    assert status(minimum, 50, DUE) is Status.MET
    assert status(minimum, None, DUE) is Status.NO_DATA


def test_without_a_target_there_is_nothing_to_judge() -> None:
    assert status(None, 50, DUE) is Status.NO_DATA


@pytest.mark.parametrize(
    ("kind", "low", "high", "met", "not_met"),
    [
        (TargetKind.EXACT, 10, None, (10,), (9, 11)),
        (TargetKind.MINIMUM, 10, None, (10, 11), (9,)),
        (TargetKind.MAXIMUM, None, 10, (0, 9, 10), (11,)),
        (TargetKind.RANGE, 10, 20, (10, 15, 20), (9, 21)),
    ],
)
def test_each_kind_of_target_is_met_up_to_and_including_its_bounds(
    kind: TargetKind, low: int | None, high: int | None, met: tuple[int], not_met: tuple[int]
) -> None:
    judged = target(kind, low, high)
    assert [status(judged, actual, DUE) for actual in met] == [Status.MET] * len(met)
    assert [status(judged, a, DUE) for a in not_met] == [Status.NOT_MET] * len(not_met)


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6))
def test_a_range_is_met_exactly_between_its_ends(low: int, span: int, actual: int) -> None:
    judged = target(TargetKind.RANGE, low, low + span)
    expected = Status.MET if low <= actual <= low + span else Status.NOT_MET
    assert status(judged, actual, DUE + timedelta(days=1)) is expected


def test_a_range_runs_upwards_and_each_kind_has_the_values_it_needs() -> None:
    with pytest.raises(InvalidValue, match="above"):
        target(TargetKind.RANGE, 20, 10)
    with pytest.raises(InvalidValue):
        target(TargetKind.MAXIMUM, 5)
    with pytest.raises(InvalidValue):
        target(TargetKind.MINIMUM, None, 5)
