"""The performance view, on real PostgreSQL: for any history of the framework, targets,
departmental results, explanations, planned and reported spending, beside any history of
programs and projects, it answers what a plain fold of the same events gives, folded in
batches of any size or rebuilt from nothing."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.application import Context, Grants, NotFound
from grants.bootstrap import Services
from grants.commands import (
    DefineExpectedResult,
    DefineIndicator,
    ExplainResult,
    ReportDepartmentalResult,
    ReportSpending,
    RetireIndicator,
    SetPlannedSpending,
    SetTarget,
)
from grants.domain.errors import DomainError
from grants.domain.framework import Direction, Framework, Frequency
from grants.domain.program import Program
from grants.domain.project import Project
from grants.domain.reference import Pillar
from grants.domain.spending import SpendingPlan
from grants.domain.targets import Target, TargetKind, status
from grants.projections.rebuild import batches, catch_up, rebuild
from tests.conftest import empty
from tests.history import YEARS, histories, play

SASHA = Context(actor="sasha")
ON = date(2021, 4, 2)
CODES = ("referrals", "survivors_served", "partnerships", "permits")
RESULTS = (("protected", Pillar.PROTECTION), ("empowered", Pillar.EMPOWERMENT))
LINES = st.tuples(st.sampled_from(["JUS", "WAGE", "CBSA"]), st.sampled_from(list(Pillar)[:3]))
year = st.sampled_from(YEARS)
code = st.sampled_from(CODES)

strategy_operation = st.one_of(
    st.tuples(st.just("define"), code, st.integers(0, 1)),
    st.tuples(st.just("retire"), code),
    st.tuples(
        st.just("target"),
        code,
        year,
        st.sampled_from(list(TargetKind)),
        st.integers(0, 300),
        st.integers(0, 300),
        st.none() | st.integers(0, 364),
    ),
    st.tuples(
        st.just("result"),
        code,
        st.sampled_from(["PS", "IRCC"]),
        year,
        st.booleans(),
        st.integers(0, 300),
    ),
    st.tuples(st.just("explain"), code, year),
    st.tuples(st.just("plan"), LINES, year, st.integers(0, 10**6)),
    st.tuples(st.just("spend"), LINES, year, st.integers(0, 10**6)),
)


def keep(grants: Grants, operations: list[tuple[Any, ...]]) -> None:
    for name, pillar in RESULTS:
        grants.handle(
            SASHA,
            DefineExpectedResult(code=name, pillar=pillar, name_en=name, name_fr=name),
        )
    for op in operations:
        with contextlib.suppress(DomainError, NotFound):  # refusals belong to histories
            _do(grants, op)


def _do(grants: Grants, op: tuple[Any, ...], on: date = ON) -> None:
    """One step of the Strategy team's keeping, in effect on a day."""
    match op:
        case ("define", code, result):
            defined = DefineIndicator(
                expected_result=RESULTS[result][0],
                name_en=code,
                name_fr=code,
                definition_en="d",
                definition_fr="d",
                unit="people",
                direction=Direction.INCREASE,
                data_source="s",
                owner="PS",
                frequency=Frequency.ANNUAL,
                effective_on=on,
            )
            grants.handle(SASHA, defined, code=code)
        case ("retire", code):
            grants.handle(SASHA, RetireIndicator(reason="fewer", effective_on=on), code=code)
        case ("target", code, fy, kind, low, span, day):
            by = None if day is None else fy.starts_on + timedelta(days=day)
            target = SetTarget(kind=kind, low=low, high=low + span, achieve_by=by, effective_on=on)
            grants.handle(SASHA, target, indicator=code, fiscal_year=fy)
        case ("result", code, department, fy, dated, value):
            period: dict[str, Any] = (
                {"starts_on": fy.starts_on - timedelta(days=200), "ends_on": fy.ends_on}
                if dated
                else {"fiscal_year": fy}
            )
            reported = ReportDepartmentalResult(
                department=department, value=value, source="s", effective_on=on, **period
            )
            grants.handle(SASHA, reported, indicator=code)
        case ("explain", code, fy):
            explained = ExplainResult(explanation_en="e", explanation_fr="f", effective_on=on)
            grants.handle(SASHA, explained, indicator=code, fiscal_year=fy)
        case ("plan", (department, pillar), fy, cents):
            line = {"department": department, "pillar": pillar, "fiscal_year": fy}
            planned = SetPlannedSpending(**line, amount_cents=cents, reason="r", effective_on=on)
            grants.handle(SASHA, planned)
        case ("spend", (department, pillar), fy, cents):
            line = {"department": department, "pillar": pillar, "fiscal_year": fy}
            spent = ReportSpending(**line, amount_cents=cents, source="s", effective_on=on)
            grants.handle(SASHA, spent)


def expected_spending(events: list[Any]) -> set[tuple[Any, ...]]:
    """Per department, pillar, year: planned, allocated, committed, spent."""
    home: dict[Any, tuple[str, str]] = {}
    allocations: dict[tuple[Any, str], int] = {}
    money: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    planned: dict[tuple[str, str, str], int] = {}
    reported: dict[tuple[str, str, str], int] = {}
    for e in events:
        match e:
            case Program.Registered():
                home[e.originator_id] = (e.department, e.pillars[0])
            case Program.AllocationSet():
                allocations[(e.originator_id, e.fiscal_year)] = e.amount_cents
            case Program.CommitmentChanged():
                for fy, cents in e.changes.items():
                    money[(e.department, e.pillar, fy)][1] += cents
            case Project.DisbursementReleased() | Project.OverpaymentRecovered():
                sign = 1 if isinstance(e, Project.DisbursementReleased) else -1
                money[(e.department, e.pillar, e.fiscal_year)][2] += sign * e.amount_cents
            case SpendingPlan.PlannedSpendingSet():
                planned[(e.department, e.pillar, e.fiscal_year)] = e.amount_cents
            case SpendingPlan.SpendingReported():
                reported[(e.department, e.pillar, e.fiscal_year)] = e.amount_cents
    for (program, allocated_in), cents in allocations.items():
        money[(*home[program], allocated_in)][0] += cents
    lines = set(money) | set(planned) | set(reported)
    rows = set()
    for line in lines:
        allocated, committed, disbursed = money.get(line, [0, 0, 0])
        plan = planned.get(line, 0)
        if not (plan or allocated or committed or disbursed or line in reported):
            continue
        rows.add((*line, plan, allocated, committed, reported.get(line, disbursed)))
    return rows


def expected_indicators(events: list[Any], today: date) -> set[tuple[Any, ...]]:
    """Per indicator and year: target, actual, status, explanation."""
    defined: dict[str, Any] = {}
    retired: set[str] = set()
    targets: dict[tuple[str, str], Target] = {}
    departments: dict[tuple[str, str, date, date], tuple[str, int]] = {}
    projects: dict[tuple[Any, str], dict[str, int]] = {}
    explained: dict[tuple[str, str], str] = {}
    for e in events:
        match e:
            case Framework.IndicatorDefined():
                defined[e.code] = e
            case Framework.IndicatorRetired():
                retired.add(e.code)
            case Framework.TargetSet():
                targets[(e.indicator, e.fiscal_year)] = Target(e.kind, e.low, e.high, e.achieve_by)
            case Framework.DepartmentalResultReported():
                key = (e.indicator, e.department, e.starts_on, e.ends_on)
                departments[key] = (e.fiscal_year, e.value)
            case Framework.ResultExplained():
                explained[(e.indicator, e.fiscal_year)] = e.explanation_en
            case Project.ResultsReported():
                projects[(e.originator_id, e.fiscal_year)] = e.indicators
    actual: dict[tuple[str, str], list[int | None]] = defaultdict(lambda: [None, None])
    for (code, _, _, _), (fy, value) in departments.items():
        actual[(code, fy)][1] = (actual[(code, fy)][1] or 0) + value
    for (_, fy), indicators in projects.items():
        for code, value in indicators.items():
            actual[(code, fy)][0] = (actual[(code, fy)][0] or 0) + value
    rows = set()
    for code in defined:
        for fy in {y for c, y in targets if c == code} | {y for c, y in actual if c == code}:
            parts = actual.get((code, fy), [None, None])
            total = None if parts == [None, None] else sum(p or 0 for p in parts)
            target = targets.get((code, fy))
            judged = status(target, total, today)
            rows.add(
                (code, fy, code in retired, target, total, judged, explained.get((code, fy), ""))
            )
    return rows


def agrees(services: Services, today: date) -> None:
    events = [e for chunk in batches(services.grants, 0, None) for _, e in chunk]
    view = services.views.performance
    spending = {
        (r.department, r.pillar, r.fiscal_year, r.planned_cents, r.allocated_cents,
         r.committed_cents, r.spent_cents)
        for r in view.spending()
    }  # fmt: skip
    assert spending == expected_spending(events)
    indicators = {
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
        for r in view.indicators(today)
    }  # fmt: skip
    assert indicators == expected_indicators(events, today)


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    projects=histories,
    framework=st.lists(strategy_operation, max_size=40),
    batch=st.integers(1, 9),
    today=st.sampled_from([date(2022, 3, 30), date(2022, 3, 31), date(2023, 6, 1)]),
)
def test_the_performance_view_is_a_fold_of_every_history(
    services: Services,
    projects: list[tuple[Any, ...]],
    framework: list[tuple[Any, ...]],
    batch: int,
    today: date,
) -> None:
    empty(services.database_url)
    # The framework and plan are at fixed ids: this process must forget the last example's.
    services.grants.repository.cache.clear()  # type: ignore[union-attr]
    play(services.grants, projects)
    keep(services.grants, framework)
    head = services.grants.recorder.max_notification_id() or 0
    for view in services.views.by_name().values():
        catch_up(services.grants, view, size=batch)
        assert view.position() == head
    agrees(services, today)
    assert rebuild(services.grants, list(services.views.by_name().values()), size=batch + 2) == head
    agrees(services, today)
