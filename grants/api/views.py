"""The views: funding and outcomes by pillar, a program's commitments, the project
list. Each takes ``min_position`` (a command's ``position``) and waits, briefly, until
the view includes it, so a client reads its own writes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from grants.application import Grants
from grants.domain.indicators import CATALOGUE
from grants.domain.reference import Pillar
from grants.projections import Views
from grants.projections.commitments import CommitmentRow
from grants.projections.funding import FundingRow
from grants.projections.project_list import ProjectRow
from grants.projections.view import View

# How long a read waits for a view to reach ``min_position`` before a 503.
WAIT_SECONDS = 3.0


class FundingTotals(msgspec.Struct):
    committed_cents: int
    disbursed_cents: int
    outstanding_cents: int
    projects: int


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


class ViewBehind(Exception):
    """The view has not yet reached the position asked for; the client retries soon."""


def reached(view: View, min_position: int | None) -> int:
    """The view's position, once it includes ``min_position``."""
    if min_position is not None:
        try:
            view.wait(Grants.name, min_position, timeout=WAIT_SECONDS)
        except TimeoutError:
            raise ViewBehind(
                f"the {view.name} view has not reached position {min_position} yet"
            ) from None
    return view.position()


class ViewsController(Controller):
    path = "/api/views"
    tags = ["views"]

    @get("/funding-by-pillar", sync_to_thread=True)
    def funding_by_pillar(
        self,
        views: NamedDependency[Views],
        fiscal_year: FromQuery[str | None] = None,
        department: FromQuery[str | None] = None,
        pillar: FromQuery[Pillar | None] = None,
        program_id: FromQuery[UUID | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> FundingOut:
        position = min(reached(view, min_position) for view in (views.funding, views.projects))
        chosen: dict[str, Any] = {
            "fiscal_year": fiscal_year,
            "pillar": pillar,
            "department": department,
            "program_id": program_id,
        }
        rows = views.funding.rows(**chosen)
        totals = FundingTotals(
            committed_cents=sum(r.committed_cents for r in rows),
            disbursed_cents=sum(r.disbursed_cents for r in rows),
            outstanding_cents=sum(r.outstanding_cents for r in rows),
            # Each project once, though the rows count it in each year it holds money.
            projects=sum(views.projects.funded(**chosen).values()),
        )
        return FundingOut(rows=rows, totals=totals, position=position)

    @get("/outcomes-by-pillar", sync_to_thread=True)
    def outcomes_by_pillar(
        self,
        views: NamedDependency[Views],
        fiscal_year: FromQuery[str | None] = None,
        pillar: FromQuery[Pillar | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> OutcomesOut:
        view = views.outcomes
        position = reached(view, min_position)
        rows = []
        for row in view.totals(fiscal_year=fiscal_year, pillar=pillar):
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

    @get("/programs/{program_id:uuid}/commitments", sync_to_thread=True)
    def program_commitments(
        self,
        program_id: FromPath[UUID],
        views: NamedDependency[Views],
        min_position: FromQuery[int | None] = None,
    ) -> CommitmentsOut:
        view = views.commitments
        position = reached(view, min_position)
        return CommitmentsOut(
            program_id=program_id, years=view.years(program_id), position=position
        )
