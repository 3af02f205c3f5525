"""The views: funding and outcomes by pillar, a program's commitments, the project
list, the service standards. Each takes ``min_position`` (a command's ``position``) and
waits, briefly, until the view includes it, so a client reads its own writes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import anyio.to_thread
import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, Parameter

from grants.bootstrap import Services
from grants.domain.fiscal_year import FiscalYear
from grants.domain.indicators import CATALOGUE
from grants.domain.reference import Pillar
from grants.finance.service_standards import ServiceStandards, service_standards
from grants.http_values import DepartmentQuery, PositionQuery
from grants.projections.commitments import CommitmentRow
from grants.projections.funding import FundingRow
from grants.projections.project_list import ProjectRow
from grants.projections.view import View


class FundingTotals(msgspec.Struct):
    committed_cents: int
    disbursed_cents: int
    outstanding_cents: int
    lapsed_cents: int
    projects: int


class ServiceStandardsOut(ServiceStandards):
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
        min_position: PositionQuery = None,
    ) -> FundingOut:
        views = services.views
        position = await reached(services, [views.funding], min_position)
        chosen: dict[str, Any] = {
            "fiscal_year": fiscal_year,
            "pillar": pillar,
            "department": department,
            "program_id": program_id,
        }

        def read() -> FundingOut:
            rows = views.funding.rows(**chosen)
            totals = FundingTotals(
                committed_cents=sum(r.committed_cents for r in rows),
                disbursed_cents=sum(r.disbursed_cents for r in rows),
                outstanding_cents=sum(r.outstanding_cents for r in rows),
                lapsed_cents=sum(r.lapsed_cents for r in rows),
                # Each project once, though the rows count it in each year it holds money.
                projects=sum(views.funding.projects(**chosen).values()),
            )
            return FundingOut(rows=rows, totals=totals, position=position)

        return await anyio.to_thread.run_sync(read)

    @get("/outcomes-by-pillar")
    async def outcomes_by_pillar(
        self,
        services: NamedDependency[Services],
        fiscal_year: FromQuery[FiscalYear | None] = None,
        pillar: FromQuery[Pillar | None] = None,
        min_position: PositionQuery = None,
    ) -> OutcomesOut:
        view = services.views.outcomes
        position = await reached(services, [view], min_position)
        totals = await anyio.to_thread.run_sync(
            lambda: view.totals(fiscal_year=fiscal_year, pillar=pillar)
        )
        rows = []
        for row in totals:
            indicator = CATALOGUE[row.indicator]
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
        return ServiceStandardsOut(**msgspec.structs.asdict(report), position=position)

    @get("/programs/{program_id:uuid}/commitments")
    async def program_commitments(
        self,
        program_id: FromPath[UUID],
        services: NamedDependency[Services],
        min_position: PositionQuery = None,
    ) -> CommitmentsOut:
        view = services.views.commitments
        position = await reached(services, [view], min_position)
        years = await anyio.to_thread.run_sync(view.years, program_id)
        return CommitmentsOut(program_id=program_id, years=years, position=position)
