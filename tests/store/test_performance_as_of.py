"""The performance view as of a day, as known at a moment: for any history of the
framework, the spending plan, allocations, projects' money and results, with facts
recorded after others that took effect before them, the answer equals a plain fold of
the events the question keeps."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.application import NotFound
from grants.bootstrap import Services
from grants.commands import ReportResults, SetAllocation
from grants.domain.errors import DomainError
from grants.domain.targets import Target, TargetKind
from grants.moments import Moment
from grants.projections.rebuild import catch_up, rebuild
from tests.conftest import empty
from tests.history import OFFICER, YEARS, Played, play
from tests.store import test_performance_view as performance
from tests.store.test_as_of import DAYS, live
from tests.store.test_as_of import operation as project_operation
from tests.store.test_views import all_events

TODAY = date(2023, 6, 1)

day = st.sampled_from(DAYS)
operation = st.one_of(
    project_operation,
    st.tuples(st.just("keep"), day, performance.strategy_operation),
    st.tuples(
        st.just("allocate"), st.integers(0, 1), day, st.sampled_from(YEARS), st.integers(0, 100_000)
    ),
    st.tuples(
        st.just("results"),
        st.integers(0, 4),
        day,
        st.sampled_from(YEARS),
        st.dictionaries(st.sampled_from(performance.CODES), st.integers(0, 500), min_size=1),
    ),
)


def happen(services: Services, played: Played, op: tuple[Any, ...]) -> None:
    """One fact of any kind, on a day of its own."""
    grants = services.grants
    match op:
        case ("keep", on, kept):
            performance._do(grants, kept, on)
        case ("allocate", which, on, fiscal_year, cents):
            allocation = SetAllocation(amount_cents=cents, effective_on=on)
            grants.handle(OFFICER, allocation, played.programs[which], fiscal_year=fiscal_year)
        case ("results", which, on, fiscal_year, indicators) if played.projects:
            project_id = played.projects[which % len(played.projects)]
            report = ReportResults(fiscal_year=fiscal_year, indicators=indicators, effective_on=on)
            grants.handle(OFFICER, report, project_id)
        case ("results", *_):
            pass
        case _:
            live(services, played, op)


def spending(services: Services, moment: Moment) -> set[tuple[Any, ...]]:
    rows = services.views.performance.spending(moment, services.views.as_of)
    return {
        (r.department, r.pillar, r.fiscal_year, r.planned_cents, r.allocated_cents,
         r.committed_cents, r.spent_cents)
        for r in rows
    }  # fmt: skip


def indicators(services: Services, moment: Moment) -> set[tuple[Any, ...]]:
    rows = services.views.performance.indicators(TODAY, moment)
    return {
        (
            r.code,
            r.fiscal_year,
            r.retired,
            None if r.target is None else Target(r.target.kind, r.target.low, r.target.high,
                                                  r.target.achieve_by),
            r.actual,
            r.status,
            r.explanation_en,
        )
        for r in rows
    }  # fmt: skip


def agrees(services: Services, moment: Moment, events: list[Any]) -> None:
    kept = [e for e in events if moment.keeps(e)]
    assert spending(services, moment) == performance.expected_spending(kept)
    judged_on = moment.day(TODAY)
    assert indicators(services, moment) == performance.expected_indicators(kept, judged_on)


@pytest.mark.slow
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, max_size=30), data=st.data())
def test_as_of_and_known_at_tell_the_performance_story_of_the_events_they_keep(
    services: Services, operations: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    empty(services.database_url)
    # The framework and plan are at fixed ids: this process must forget the last example's.
    services.grants.repository.cache.clear()  # type: ignore[union-attr]
    played = play(services.grants, [])
    performance.keep(services.grants, [])
    for op in operations:
        with contextlib.suppress(DomainError, NotFound):  # refusals belong to histories
            happen(services, played, op)
    size = data.draw(st.integers(1, 7))
    views = services.views
    if data.draw(st.booleans(), label="rebuilt"):
        rebuild(services.grants, [views.performance, views.as_of], size=size)
    else:
        for view in (views.performance, views.as_of):
            catch_up(services.grants, view, size=size)
    for followed in (views.funding, views.commitments, views.outcomes):
        catch_up(services.grants, followed)
    events = all_events(services.grants)
    agrees(services, Moment(), events)
    moments = [e.timestamp for e in events]
    for _ in range(4):
        as_of = data.draw(st.none() | st.sampled_from([*DAYS, date(2021, 4, 1)]), label="as_of")
        known_at = data.draw(st.none() | st.sampled_from(moments), label="known_at")
        agrees(services, Moment(as_of, known_at), events)


def test_a_back_dated_target_changes_the_day_but_not_what_was_known_before_it(
    services: Services,
) -> None:
    grants = services.grants
    grants.repository.cache.clear()  # type: ignore[union-attr]
    performance.keep(grants, [("define", "permits", 0)])
    target = ("target", "permits", YEARS[0], TargetKind.MINIMUM, 100, 0, None)
    performance._do(grants, target, date(2021, 4, 2))
    catch_up(grants, services.views.performance)
    before_the_correction = datetime.now(UTC)
    # Recorded now, in effect from June: the target was 80 from then on.
    performance._do(grants, (*target[:4], 80, 0, None), date(2021, 6, 1))
    catch_up(grants, services.views.performance)

    def low(moment: Moment) -> int | None:
        rows = services.views.performance.indicators(TODAY, moment, fiscal_year="2021-22")
        return None if not rows or rows[0].target is None else rows[0].target.low

    assert low(Moment()) == 80
    assert low(Moment(as_of=date(2022, 3, 31))) == 80
    assert low(Moment(as_of=date(2021, 5, 31))) == 100
    assert low(Moment(as_of=date(2022, 3, 31), known_at=before_the_correction)) == 100
    assert low(Moment(known_at=before_the_correction)) == 100
    assert low(Moment(as_of=date(2021, 4, 1))) is None
