"""The end of a project's life: results, the final report and close-out."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from msgspec import Meta

from grants.access import PROGRAM_SIDE
from grants.api.commands import Answer, DatedIn, today
from grants.application import Context, Grants
from grants.domain.fiscal_year import FiscalYear
from grants.http_values import Count


class ResultsIn(msgspec.Struct, forbid_unknown_fields=True):
    fiscal_year: FiscalYear
    indicators: Annotated[
        dict[Annotated[str, Meta(max_length=64)], Count], Meta(min_length=1, max_length=64)
    ]
    effective_on: date | None = None


class Results(Controller):
    path = "/api/projects/{project_id:uuid}"
    tags = ["results"]
    guards = [PROGRAM_SIDE]

    @post("/results", sync_to_thread=True)
    def report(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[ResultsIn],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(
            grants.report_results(
                context,
                project_id,
                data.fiscal_year,
                data.indicators,
                effective_on=data.effective_on or today(),
            )
        )

    @post("/final-report", sync_to_thread=True, status_code=200)
    def accept_final_report(
        self,
        project_id: FromPath[UUID],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
        data: JSONBody[DatedIn | None] = None,
    ) -> Answer:
        effective_on = data.effective_on if data and data.effective_on else today()
        return Answer.of(grants.accept_final_report(context, project_id, effective_on=effective_on))

    @post("/closeout", sync_to_thread=True, status_code=200)
    def close(
        self,
        project_id: FromPath[UUID],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
        data: JSONBody[DatedIn | None] = None,
    ) -> Answer:
        effective_on = data.effective_on if data and data.effective_on else today()
        return Answer.of(grants.close_project(context, project_id, effective_on=effective_on))
