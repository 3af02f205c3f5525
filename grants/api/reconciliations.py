"""Ledger reconciliation: finance uploads the financial system's payment ledger for a
fiscal year, as CSV or as an Excel workbook, in the tracker's column names or read with
a mapping finance defined; a job on the worker matches it to the payments recorded and
keeps the report, which is read here, whole or as a CSV of the differences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

import anyio.to_thread
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
from grants.domain.values import NAME_LENGTH
from grants.finance.differences import differences_csv
from grants.finance.ledger_mappings import SavedMapping
from grants.finance.matching import Class
from grants.finance.reconciliations import Reconciliation, Reconciliations, ReportLine
from grants.finance.submission import MAX_LEDGER_BYTES, NoJobQueue, Submissions
from grants.http_values import OffsetQuery
from grants.users import User

PAGE = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class LedgerUpload(Operation):
    """The upload's body, which the handler reads itself: the ledger as CSV or as a
    workbook, or a form with the file and the fiscal year."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING)),
                XLSX: OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
                ),
                "multipart/form-data": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        properties={
                            "file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY),
                            "fiscal_year": Schema(type=OpenAPIType.STRING),
                            "mapping": Schema(type=OpenAPIType.STRING),
                            "department": Schema(type=OpenAPIType.STRING),
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
        mapping: Annotated[str | None, QueryParameter(max_length=NAME_LENGTH)] = None,
        department: Annotated[str | None, QueryParameter(max_length=NAME_LENGTH)] = None,
    ) -> Reconciliation:
        """The ledger as a multipart upload (field ``file``, with ``fiscal_year``) or as
        the body (``Content-Type: text/csv``, or the workbook's type, with
        ``fiscal_year`` in the query). Its columns are the tracker's names
        (``payment_ref``, ``amount``, ``paid_on``), or those of the mapping named by
        ``mapping`` (with its ``department`` when several departments use the name; the
        mappings are at ``/api/ledger-mappings``)."""
        filename = None
        if request.content_type[0] == "multipart/form-data":
            form = await request.form()
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InvalidValue(rule("send the ledger as the form's file field"), field="file")
            ledger, filename = await upload.read(), upload.filename
            fiscal_year = fiscal_year or form.get("fiscal_year")
            mapping = mapping or _text(form.get("mapping"))
            department = department or _text(form.get("department"))
        else:
            ledger = await request.body()
        if not fiscal_year:
            raise InvalidValue(
                rule("the fiscal year the ledger covers, as 2024-25"), field="fiscal_year"
            )
        store = _store(request.app.state)
        named = (
            await anyio.to_thread.run_sync(store.mappings.named, mapping, department)
            if mapping
            else None
        )
        try:
            return await _submissions(request.app.state).submit(
                request.app.state.queue,
                fiscal_year=FiscalYear(fiscal_year),
                ledger=ledger,
                filename=filename,
                uploaded_by=request.user.name,
                mapping=named,
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


class LedgerMappingsController(Controller):
    path = "/api/ledger-mappings"
    tags = ["finance"]
    guards = [FINANCE]

    @get(sync_to_thread=True)
    def mappings(self, state: State) -> list[SavedMapping]:
        """The ledger mappings finance defined, by department and name: which column of
        a layout holds what, who defined it when, and the header it was defined on."""
        return _store(state).mappings.all()


def _text(value: object) -> str | None:
    """A form's text field, or None when it is missing, empty or a file."""
    return value if isinstance(value, str) and value else None


def _submissions(state: State) -> Submissions:
    submissions: Submissions = state.services.submissions
    return submissions


def _store(state: State) -> Reconciliations:
    store: Reconciliations = state.services.reconciliations
    return store
