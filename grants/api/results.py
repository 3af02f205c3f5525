"""The end of a project's life: results, the final report and close-out."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from grants.access import PROGRAM_SIDE
from grants.api.commands import Answer
from grants.application import Context, Grants
from grants.commands import AcceptFinalReport, CloseProject, ReportResults


class Results(Controller):
    path = "/api/projects/{project_id:uuid}"
    tags = ["results"]
    guards = [PROGRAM_SIDE]

    @post("/results", sync_to_thread=True)
    def report(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[ReportResults],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, project_id))

    @post("/final-report", sync_to_thread=True, status_code=200)
    def accept_final_report(
        self,
        project_id: FromPath[UUID],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
        data: JSONBody[AcceptFinalReport | None] = None,
    ) -> Answer:
        return Answer.of(grants.handle(context, data or AcceptFinalReport(), project_id))

    @post("/closeout", sync_to_thread=True, status_code=200)
    def close(
        self,
        project_id: FromPath[UUID],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
        data: JSONBody[CloseProject | None] = None,
    ) -> Answer:
        return Answer.of(grants.handle(context, data or CloseProject(), project_id))
