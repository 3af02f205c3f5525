"""The views: funding and outcomes by pillar, a program's commitments, the project
list, the service standards. Each takes ``min_position`` (a command's ``position``) and
waits, briefly, until the view includes it, so a client reads its own writes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import anyio.to_thread
import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, Parameter, QueryParameter

from grants.bootstrap import Services
from grants.domain.fiscal_year import FiscalYear
from grants.domain.reference import Pillar
from grants.finance import standard_flags
from grants.finance.service_standards import AtRisk, ServiceStandards, service_standards
from grants.http_values import DepartmentQuery, PositionQuery
from grants.moments import Moment
from grants.projections.commitments import CommitmentRow
from grants.projections.funding import FundingRow
from grants.projections.project_list import ProjectRow
from grants.projections.view import View

AsOfQuery = Annotated[
    date | None,
    QueryParameter(description="Only the facts effective on or before this day"),
]
KnownAtQuery = Annotated[
    datetime | None,
    QueryParameter(
        description="Only the facts recorded up to this moment (ISO 8601; UTC when no zone "
        "is given). Answered by summing the changes kept, so slower on a large store than "
        "`as_of` alone"
    ),
]


def views_of(services: Services, moment: Moment, *today: View) -> list[View]:
    """The views a question reads: those of today, or the one that keeps every change
    with its day and moment."""
    return [services.views.as_of] if moment else list(today)


class FundingTotals(msgspec.Struct):
    committed_cents: int
    disbursed_cents: int
    outstanding_cents: int
    lapsed_cents: int
    projects: int


def totals_of(rows: Iterable[FundingRow], projects: dict[str, int]) -> FundingTotals:
    """The rows' sums; ``projects``, per pillar, counts each project once, though the
    rows count it in each year it holds money."""
    rows = list(rows)
    return FundingTotals(
        committed_cents=sum(r.committed_cents for r in rows),
        disbursed_cents=sum(r.disbursed_cents for r in rows),
        outstanding_cents=sum(r.outstanding_cents for r in rows),
        lapsed_cents=sum(r.lapsed_cents for r in rows),
        projects=sum(projects.values()),
    )


class ServiceStandardsOut(ServiceStandards):
    # The cases the nightly job flagged as about to miss their standard, and its night.
    flagged_on: date | None
    flagged: list[AtRisk]
    position: int


class FundingOut(msgspec.Struct):
    rows: list[FundingRow]
    totals: FundingTotals
    position: int


class OutcomeOut(msgspec.Struct):
    pillar: str
    pillar_name_en: str
    pillar_name_fr: str
    fiscal_year: str
    indicator: str
    name_en: str
    name_fr: str
    total: int
    projects: int


class OutcomesOut(msgspec.Struct):
    rows: list[OutcomeOut]
    position: int


class CommitmentsOut(msgspec.Struct):
    program_id: UUID
    years: list[CommitmentRow]
    position: int


class ProjectsOut(msgspec.Struct):
    items: list[ProjectRow]
    total: int
    limit: int
    offset: int
    position: int


async def reached(services: Services, views: Iterable[View], min_position: int | None) -> int:
    """The least position of the views, once they include ``min_position``."""
    return await services.positions.reached([view.name for view in views], min_position)


class ViewsController(Controller):
    path = "/api/views"
    tags = ["views"]

    @get("/funding-by-pillar")
    async def funding_by_pillar(
        self,
        services: NamedDependency[Services],
        fiscal_year: FromQuery[FiscalYear | None] = None,
        department: DepartmentQuery = None,
        pillar: FromQuery[Pillar | None] = None,
        program_id: FromQuery[UUID | None] = None,
        as_of: AsOfQuery = None,
        known_at: KnownAtQuery = None,
        min_position: PositionQuery = None,
    ) -> FundingOut:
        """Committed, disbursed, outstanding and lapsed by fiscal year, pillar, department
        and program, with the projects holding money; as of a day (``as_of``), as known
        at a moment (``known_at``), or both."""
        views = services.views
        moment = Moment(as_of, known_at)
        position = await reached(services, views_of(services, moment, views.funding), min_position)
        chosen: dict[str, Any] = {
            "fiscal_year": fiscal_year,
            "pillar": pillar,
            "department": department,
            "program_id": program_id,
        }

        def read() -> FundingOut:
            if moment:
                rows, projects = views.as_of.funding(moment, **chosen)
            else:
                rows, projects = views.funding.rows(**chosen), views.funding.projects(**chosen)
            return FundingOut(rows=rows, totals=totals_of(rows, projects), position=position)

        return await anyio.to_thread.run_sync(read)

    @get("/outcomes-by-pillar")
    async def outcomes_by_pillar(
        self,
        services: NamedDependency[Services],
        fiscal_year: FromQuery[FiscalYear | None] = None,
        pillar: FromQuery[Pillar | None] = None,
        min_position: PositionQuery = None,
    ) -> OutcomesOut:
        """Projects' reported results totalled by pillar, fiscal year and indicator,
        each indicator named as the results framework names it (by its code, for one
        reported before the framework existed and never defined in it)."""
        view = services.views.outcomes
        position = await reached(services, [view], min_position)
        totals = await anyio.to_thread.run_sync(
            lambda: view.totals(fiscal_year=fiscal_year, pillar=pillar)
        )
        framework = await anyio.to_thread.run_sync(services.grants.framework)
        rows = []
        for row in totals:
            indicator = framework.indicator_names(row.indicator)
            rows.append(
                OutcomeOut(
                    pillar=row.pillar,
                    pillar_name_en=Pillar(row.pillar).name_en,
                    pillar_name_fr=Pillar(row.pillar).name_fr,
                    fiscal_year=row.fiscal_year,
                    indicator=row.indicator,
                    name_en=indicator.name_en,
                    name_fr=indicator.name_fr,
                    total=row.total,
                    projects=row.projects,
                )
            )
        return OutcomesOut(rows=rows, position=position)

    @get("/service-standards")
    async def service_standards_view(
        self,
        services: NamedDependency[Services],
        fiscal_year: FromQuery[FiscalYear],
        program_id: FromQuery[UUID | None] = None,
        quarter: FromQuery[Annotated[int | None, Parameter(ge=1, le=4)]] = None,
        min_position: PositionQuery = None,
    ) -> ServiceStandardsOut:
        """Per program and standard (acknowledgement, decision, payment): the cases whose
        clock stopped in the fiscal year (or quarter), how many within the standard and
        against its target; and the cases still running due within five business days,
        or overdue."""
        position = await reached(services, [services.views.standards], min_position)
        report = await anyio.to_thread.run_sync(
            lambda: service_standards(
                fiscal_year, quarter, program_id, services.grants, services.views, date.today()
            )
        )
        flagged_on, flagged = await anyio.to_thread.run_sync(standard_flags.flagged, services.pool)
        return ServiceStandardsOut(
            **msgspec.structs.asdict(report),
            flagged_on=flagged_on,
            flagged=[case for case in flagged if program_id in (None, case.program_id)],
            position=position,
        )

    @get("/programs/{program_id:uuid}/commitments")
    async def program_commitments(
        self,
        program_id: FromPath[UUID],
        services: NamedDependency[Services],
        as_of: AsOfQuery = None,
        known_at: KnownAtQuery = None,
        min_position: PositionQuery = None,
    ) -> CommitmentsOut:
        """Allocation, committed, disbursed and available per fiscal year; as of a day, as
        known at a moment, or both."""
        views, moment = services.views, Moment(as_of, known_at)
        position = await reached(
            services, views_of(services, moment, views.commitments), min_position
        )

        def read() -> list[CommitmentRow]:
            if moment:
                return [p.year for p in views.as_of.program_years(moment, program_id=program_id)]
            return views.commitments.years(program_id)

        years = await anyio.to_thread.run_sync(read)
        return CommitmentsOut(program_id=program_id, years=years, position=position)
