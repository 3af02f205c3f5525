"""The Strategy's performance story: the commands that keep its results framework and
spending plan (the Strategy team's), the framework and its history, and the view of
planned against actual spending and results against targets."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from grants.access import STRATEGY
from grants.api.commands import Answer
from grants.api.projects import HistoryEntry
from grants.api.views import AsOfQuery, KnownAtQuery, reached, views_of
from grants.application import Context, Grants
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
from grants.domain.fiscal_year import FiscalYear
from grants.domain.framework import CODE, ExpectedResult, Indicator
from grants.domain.reference import Pillar
from grants.eventstore import as_builtins
from grants.exports.horizontal_initiatives import horizontal_initiative_zip
from grants.http_values import DepartmentQuery, PositionQuery
from grants.moments import NOW, Moment
from grants.projections.performance import IndicatorRow, SpendingRow, TargetOut

IndicatorCode = Annotated[str, Parameter(pattern=CODE, description="The indicator's code")]

# What every event carries besides its own data.
_ENVELOPE = {"originator_id", "originator_version", "timestamp", "actor", "effective_on"}


class TargetYear(TargetOut):
    fiscal_year: str


class IndicatorOut(msgspec.Struct):
    definition: Indicator
    targets: list[TargetYear]


class FrameworkOut(msgspec.Struct):
    version: int
    expected_results: list[ExpectedResult]
    indicators: list[IndicatorOut]


class Task(msgspec.Struct):
    """A missed target that has no explanation yet."""

    code: str
    fiscal_year: str


class PerformanceOut(msgspec.Struct):
    spending: list[SpendingRow]
    indicators: list[IndicatorRow]
    tasks: list[Task]
    position: int


class Performance(Controller):
    path = "/api/performance"
    tags = ["performance"]

    @get("/framework", sync_to_thread=True)
    def framework(self, grants: NamedDependency[Grants]) -> Response[FrameworkOut]:
        """Expected results, indicators and their targets; its ``ETag`` is the version
        to send as ``If-Match``."""
        kept = grants.framework()
        indicators = [
            IndicatorOut(
                definition=indicator,
                targets=[
                    TargetYear(t.kind, t.low, t.high, t.achieve_by, fiscal_year=year)
                    for (code, year), t in sorted(kept.targets.items())
                    if code == indicator.code
                ],
            )
            for indicator in kept.indicators.values()
        ]
        out = FrameworkOut(kept.version, list(kept.expected_results.values()), indicators)
        return Response(out, headers={"ETag": f'"{kept.version}"'})

    @get("/history", sync_to_thread=True)
    def history(self, grants: NamedDependency[Grants]) -> list[HistoryEntry]:
        """Every change to the framework and the spending plan: who, when, what."""
        entries = []
        for event in grants.strategy_history():
            fields = as_builtins(event)
            entries.append(
                HistoryEntry(
                    type=type(event).__name__,
                    version=event.originator_version,
                    effective_on=event.effective_on,
                    recorded_at=event.timestamp,
                    actor=event.actor,
                    data={k: v for k, v in fields.items() if k not in _ENVELOPE},
                )
            )
        return entries

    @post("/expected-results", guards=[STRATEGY], sync_to_thread=True)
    def define_expected_result(
        self,
        data: JSONBody[DefineExpectedResult],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data))

    @put("/indicators/{code:str}", guards=[STRATEGY], sync_to_thread=True)
    def define_indicator(
        self,
        code: FromPath[IndicatorCode],
        data: JSONBody[DefineIndicator],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        """A new indicator, or its definition corrected."""
        return Answer.of(grants.handle(context, data, code=code))

    @post("/indicators/{code:str}/retirement", guards=[STRATEGY], sync_to_thread=True)
    def retire_indicator(
        self,
        code: FromPath[IndicatorCode],
        data: JSONBody[RetireIndicator],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, code=code))

    @put("/indicators/{code:str}/targets/{fiscal_year:str}", guards=[STRATEGY], sync_to_thread=True)
    def set_target(
        self,
        code: FromPath[IndicatorCode],
        fiscal_year: FromPath[FiscalYear],
        data: JSONBody[SetTarget],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, indicator=code, fiscal_year=fiscal_year))

    @post("/indicators/{code:str}/results", guards=[STRATEGY], sync_to_thread=True)
    def report_result(
        self,
        code: FromPath[IndicatorCode],
        data: JSONBody[ReportDepartmentalResult],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        """A partner department's result for a fiscal year or dated days."""
        return Answer.of(grants.handle(context, data, indicator=code))

    @put(
        "/indicators/{code:str}/explanations/{fiscal_year:str}",
        guards=[STRATEGY],
        sync_to_thread=True,
    )
    def explain_result(
        self,
        code: FromPath[IndicatorCode],
        fiscal_year: FromPath[FiscalYear],
        data: JSONBody[ExplainResult],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, indicator=code, fiscal_year=fiscal_year))

    @post("/planned-spending", guards=[STRATEGY], sync_to_thread=True)
    def plan_spending(
        self,
        data: JSONBody[SetPlannedSpending],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data))

    @post("/spending-reports", guards=[STRATEGY], sync_to_thread=True)
    def report_spending(
        self,
        data: JSONBody[ReportSpending],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data))


def performance(
    services: Services,
    fiscal_year: str | None,
    pillar: str | None,
    department: str | None,
    today: date,
    moment: Moment = NOW,
) -> tuple[list[SpendingRow], list[IndicatorRow]]:
    chosen: dict[str, Any] = {
        "fiscal_year": fiscal_year,
        "pillar": pillar,
        "department": department,
    }
    views = services.views
    return (
        views.performance.spending(moment, views.as_of, **chosen),
        views.performance.indicators(today, moment, **chosen),
    )


class PerformanceView(Controller):
    path = "/api/views"
    tags = ["views"]

    @get("/performance")
    async def performance_view(
        self,
        services: NamedDependency[Services],
        fiscal_year: FromQuery[FiscalYear | None] = None,
        pillar: FromQuery[Pillar | None] = None,
        department: DepartmentQuery = None,
        as_of: AsOfQuery = None,
        known_at: KnownAtQuery = None,
        min_position: PositionQuery = None,
    ) -> PerformanceOut:
        """Planned, allocated, committed and spent per department, pillar and fiscal
        year; each indicator's target, actual and status per fiscal year (of the owner
        ``department``), and the missed targets still to explain. As of a day
        (``as_of``), as known at a moment (``known_at``), or both: the facts the moment
        keeps, targets judged on its day."""
        views, moment = services.views, Moment(as_of, known_at)
        money = views_of(services, moment, views.funding, views.commitments, views.outcomes)
        position = await reached(services, [views.performance, *money], min_position)
        spending, indicators = await anyio.to_thread.run_sync(
            performance, services, fiscal_year, pillar, department, date.today(), moment
        )
        tasks = [Task(row.code, row.fiscal_year) for row in indicators if row.unexplained]
        return PerformanceOut(spending, indicators, tasks, position)


@get("/api/exports/horizontal-initiatives", media_type="application/zip", tags=["exports"])
async def horizontal_initiatives(
    services: NamedDependency[Services],
    fiscal_year: FromQuery[FiscalYear],
    min_position: PositionQuery = None,
) -> Response[bytes]:
    """The fiscal year's tables for the Horizontal Initiatives Database (general,
    partners' spending, expected results, indicators), as CSV files in a zip."""
    views = services.views
    reached_views = (views.performance, views.funding, views.commitments, views.outcomes)
    await reached(services, reached_views, min_position)

    def made() -> Response[bytes]:
        spending, indicators = performance(services, fiscal_year, None, None, date.today())
        planned = sum(row.planned_cents for row in services.views.performance.spending())
        download = horizontal_initiative_zip(
            fiscal_year, services.grants.framework(), spending, indicators, planned
        )
        return Response(
            download.content,
            media_type=download.media_type,
            headers={"Content-Disposition": download.disposition},
        )

    return await anyio.to_thread.run_sync(made)
