"""The funding agreement and its changes: amendments and reprofiling."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from grants.access import PROGRAM_SIDE
from grants.api.commands import Answer
from grants.application import Context, Grants
from grants.commands import Amend, Reprofile, SignAgreement


class Agreements(Controller):
    path = "/api/projects/{project_id:uuid}"
    tags = ["agreements"]
    guards = [PROGRAM_SIDE]

    @post("/agreement", sync_to_thread=True, status_code=200)
    def sign(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[SignAgreement],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, project_id))

    @post("/amendments", sync_to_thread=True, status_code=200)
    def amend(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[Amend],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, project_id))

    @post("/reprofiling", sync_to_thread=True, status_code=200)
    def reprofile(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[Reprofile],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, project_id))
