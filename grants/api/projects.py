"""Projects: the application, the decisions on it, and reading a project's state and
history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import anyio.to_thread
import msgspec
from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from grants.access import PROGRAM_SIDE
from grants.api.commands import Answer
from grants.api.views import AsOfQuery, KnownAtQuery, ProjectsOut, reached
from grants.application import Context, Grants
from grants.bootstrap import Services
from grants.commands import (
    Acknowledge,
    Approve,
    Assess,
    CorrectApplication,
    ReceiveApplication,
    Reject,
    Withdraw,
)
from grants.domain.fiscal_year import FiscalYear
from grants.domain.project import Agreement, PaymentRequest, Project, Status
from grants.domain.recipient import Recipient
from grants.domain.reference import Pillar
from grants.eventstore import as_builtins
from grants.http_values import (
    DepartmentQuery,
    LimitQuery,
    OffsetQuery,
    PositionQuery,
    TextQuery,
)
from grants.moments import Moment, project_at


class CashFlowYear(msgspec.Struct):
    fiscal_year: FiscalYear
    amount_cents: int
    disbursed_cents: int


class ResultsOut(msgspec.Struct):
    fiscal_year: FiscalYear
    indicators: dict[str, int]


class ProjectOut(msgspec.Struct):
    id: UUID
    version: int
    program_id: UUID
    call_id: UUID | None
    department: str
    pillar: Pillar
    status: str
    title_en: str
    title_fr: str
    recipient: Recipient
    requested_cents: int
    score: int | None
    value_cents: int
    holdback_cents: int
    disbursed_cents: int
    cash_flow: list[CashFlowYear]
    agreement: Agreement | None
    payment_requests: list[PaymentRequest]
    results: list[ResultsOut]

    @classmethod
    def of(cls, project: Project) -> ProjectOut:
        years = sorted(set(project.cash_flow) | set(project.disbursed))
        return cls(
            id=project.id,
            version=project.version,
            program_id=project.program_id,
            call_id=project.call_id,
            department=project.department,
            pillar=project.pillar,
            status=project.status.value,
            title_en=project.title_en,
            title_fr=project.title_fr,
            recipient=project.recipient,
            requested_cents=project.requested_cents,
            score=project.score,
            value_cents=project.value_cents,
            holdback_cents=project.holdback_cents,
            disbursed_cents=project.disbursed_cents,
            cash_flow=[
                CashFlowYear(year, project.cash_flow.get(year, 0), project.disbursed.get(year, 0))
                for year in years
            ],
            agreement=project.agreement,
            payment_requests=list(project.payment_requests.values()),
            results=[ResultsOut(year, values) for year, values in sorted(project.results.items())],
        )


class HistoryEntry(msgspec.Struct):
    """One event of a project's life: what happened, when it took effect, when it was
    recorded, who did it, and its own data."""

    type: str
    version: int
    effective_on: date
    recorded_at: datetime
    actor: str
    data: dict[str, Any]


_ENVELOPE = {
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "actor",
    "effective_on",
}


class Projects(Controller):
    path = "/api/projects"
    tags = ["projects"]

    @post(guards=[PROGRAM_SIDE], sync_to_thread=True)
    def receive(
        self,
        data: JSONBody[ReceiveApplication],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data))

    @put("/{project_id:uuid}/application", guards=[PROGRAM_SIDE], sync_to_thread=True)
    def correct(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[CorrectApplication],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        """The application as it should read, whole (recipient, titles, pillar, amount
        requested): until it is assessed."""
        return Answer.of(grants.handle(context, data, project_id))

    @post(
        "/{project_id:uuid}/acknowledgement",
        guards=[PROGRAM_SIDE],
        sync_to_thread=True,
        status_code=200,
    )
    def acknowledge(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[Acknowledge],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        """The applicant was told the application arrived: the acknowledgement
        standard's clock stops."""
        return Answer.of(grants.handle(context, data, project_id))

    @post(
        "/{project_id:uuid}/assessment", guards=[PROGRAM_SIDE], sync_to_thread=True, status_code=200
    )
    def assess(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[Assess],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, project_id))

    @post(
        "/{project_id:uuid}/approval", guards=[PROGRAM_SIDE], sync_to_thread=True, status_code=200
    )
    def approve(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[Approve],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, project_id))

    @post(
        "/{project_id:uuid}/rejection", guards=[PROGRAM_SIDE], sync_to_thread=True, status_code=200
    )
    def reject(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[Reject],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, project_id))

    @post(
        "/{project_id:uuid}/withdrawal", guards=[PROGRAM_SIDE], sync_to_thread=True, status_code=200
    )
    def withdraw(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[Withdraw],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, project_id))

    @get()
    async def list_projects(
        self,
        services: NamedDependency[Services],
        department: DepartmentQuery = None,
        pillar: FromQuery[Pillar | None] = None,
        status: FromQuery[Status | None] = None,
        program_id: FromQuery[UUID | None] = None,
        call_id: FromQuery[UUID | None] = None,
        fiscal_year: FromQuery[FiscalYear | None] = None,
        recipient: TextQuery = None,
        limit: LimitQuery = 50,
        offset: OffsetQuery = 0,
        min_position: PositionQuery = None,
    ) -> ProjectsOut:
        """Projects, newest application first; ``recipient`` matches part of the name."""
        view = services.views.projects
        position = await reached(services, [view], min_position)
        total, items = await anyio.to_thread.run_sync(
            lambda: view.page(
                department=department,
                pillar=pillar,
                status=status,
                program_id=program_id,
                call_id=call_id,
                fiscal_year=fiscal_year,
                recipient=recipient,
                limit=limit,
                offset=offset,
            )
        )
        return ProjectsOut(items=items, total=total, limit=limit, offset=offset, position=position)

    @get("/{project_id:uuid}", sync_to_thread=True)
    def show(
        self,
        project_id: FromPath[UUID],
        grants: NamedDependency[Grants],
        as_of: AsOfQuery = None,
        known_at: KnownAtQuery = None,
    ) -> Response[ProjectOut]:
        """The project now (with its version as ``ETag``), or as of a day, as known at
        a moment, or both: folded from the events the moment keeps (no ``ETag``: a
        command is decided on the project now)."""
        moment = Moment(as_of, known_at)
        if moment:
            return Response(ProjectOut.of(project_at(grants, project_id, moment)))
        project = grants.project(project_id)
        return Response(ProjectOut.of(project), headers={"ETag": f'"{project.version}"'})

    @get("/{project_id:uuid}/history", sync_to_thread=True)
    def history(
        self,
        project_id: FromPath[UUID],
        grants: NamedDependency[Grants],
        as_of: AsOfQuery = None,
        known_at: KnownAtQuery = None,
    ) -> list[HistoryEntry]:
        """Every event, or those effective by a day and recorded by a moment."""
        moment = Moment(as_of, known_at)
        entries = []
        for event in grants.history(project_id):
            if not moment.keeps(event):
                continue
            fields = as_builtins(event)
            entries.append(
                HistoryEntry(
                    type=type(event).__name__,
                    version=fields["originator_version"],
                    effective_on=event.effective_on,
                    recorded_at=event.timestamp,
                    actor=fields["actor"],
                    data={k: v for k, v in fields.items() if k not in _ENVELOPE},
                )
            )
        return entries
