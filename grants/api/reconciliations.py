"""Ledger reconciliation: finance uploads the financial system's payment ledger for a
fiscal year; a job on the worker matches it to the payments recorded and keeps the
report, which is read here, whole or as a CSV of the differences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.params import FromPath, FromQuery, QueryParameter

from grants.access import FINANCE
from grants.api.openapi import problem_response
from grants.api.problems import problem
from grants.domain.errors import InvalidValue, rule
from grants.domain.fiscal_year import FiscalYear
from grants.finance.differences import differences_csv
from grants.finance.matching import Class
from grants.finance.reconciliations import Reconciliation, Reconciliations, ReportLine
from grants.finance.submission import MAX_LEDGER_BYTES, NoJobQueue, Submissions
from grants.http_values import OffsetQuery
from grants.users import User

PAGE = 10_000


@dataclass
class LedgerUpload(Operation):
    """The upload's body, which the handler reads itself: the ledger as CSV, or a form
    with the file and the fiscal year."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING)),
                "multipart/form-data": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        properties={
                            "file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY),
                            "fiscal_year": Schema(type=OpenAPIType.STRING),
                        },
                        required=["file"],
                    )
                ),
            },
        )


class ReportOut(msgspec.Struct):
    reconciliation: Reconciliation
    lines: list[ReportLine]
    limit: int
    offset: int


class LedgerReconciliations(Controller):
    path = "/api/reconciliations"
    tags = ["finance"]
    guards = [FINANCE]

    @post(status_code=202, request_max_body_size=MAX_LEDGER_BYTES, operation_class=LedgerUpload)
    async def upload(
        self,
        request: Request[User, str, State],
        fiscal_year: FromQuery[FiscalYear | None] = None,
    ) -> Reconciliation:
        """The ledger as a multipart upload (field ``file``, with ``fiscal_year``) or as
        the body (``Content-Type: text/csv``, ``fiscal_year`` in the query)."""
        filename = None
        if request.content_type[0] == "multipart/form-data":
            form = await request.form()
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InvalidValue(rule("send the ledger as the form's file field"), field="file")
            ledger, filename = await upload.read(), upload.filename
            fiscal_year = fiscal_year or form.get("fiscal_year")
        else:
            ledger = await request.body()
        if not fiscal_year:
            raise InvalidValue(
                rule("the fiscal year the ledger covers, as 2024-25"), field="fiscal_year"
            )
        try:
            return await _submissions(request.app.state).submit(
                request.app.state.queue,
                fiscal_year=FiscalYear(fiscal_year),
                ledger=ledger,
                filename=filename,
                uploaded_by=request.user.name,
            )
        except NoJobQueue as missing:
            raise problem(503, "no_job_queue", "No job queue", str(missing)) from None

    @post(
        "/{reconciliation_id:uuid}/retry",
        status_code=202,
        responses={409: problem_response("Only a failed reconciliation is run again")},
    )
    async def retry(
        self, reconciliation_id: FromPath[UUID], request: Request[User, str, State]
    ) -> Reconciliation:
        """Runs a failed reconciliation again, against the store as it was at its upload."""
        try:
            return await _submissions(request.app.state).retry(
                request.app.state.queue, reconciliation_id
            )
        except NoJobQueue as missing:
            raise problem(503, "no_job_queue", "No job queue", str(missing)) from None

    @get(sync_to_thread=True)
    def recent(
        self, state: State, fiscal_year: FromQuery[FiscalYear | None] = None
    ) -> list[Reconciliation]:
        """The uploads, latest first: who sent which file when, and how each went."""
        return _store(state).recent(fiscal_year)

    @get("/{reconciliation_id:uuid}", sync_to_thread=True)
    def report(
        self,
        reconciliation_id: FromPath[UUID],
        state: State,
        class_: Annotated[list[Class] | None, QueryParameter(name="class")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=PAGE)] = PAGE,
        offset: OffsetQuery = 0,
    ) -> ReportOut:
        """The reconciliation and, once done, its lines (a page at a time; ``class``
        picks some classes only)."""
        store = _store(state)
        summary = store.found(reconciliation_id)
        lines = store.lines(reconciliation_id, classes=class_ or (), limit=limit, offset=offset)
        return ReportOut(reconciliation=summary, lines=lines, limit=limit, offset=offset)

    @get("/{reconciliation_id:uuid}/differences.csv", sync_to_thread=True, media_type="text/csv")
    def differences(self, reconciliation_id: FromPath[UUID], state: State) -> Response[str]:
        """Every line that is not a match, for a spreadsheet."""
        store = _store(state)
        download = differences_csv(store, store.found(reconciliation_id))
        return Response(
            download.content,
            media_type=download.media_type,
            headers={"Content-Disposition": download.disposition},
        )


def _submissions(state: State) -> Submissions:
    submissions: Submissions = state.services.submissions
    return submissions


def _store(state: State) -> Reconciliations:
    store: Reconciliations = state.services.reconciliations
    return store
