"""Ledger reconciliation: finance uploads the financial system's payment ledger for a
fiscal year; a job on the worker matches it to the payments recorded and keeps the
report, which is read here, whole or as a CSV of the differences."""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import UUID

import anyio.to_thread
import msgspec
from arq.connections import ArqRedis
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from grants.api.auth import FINANCE
from grants.api.problems import problem
from grants.application import Grants, NotFound
from grants.domain.errors import InvalidValue
from grants.domain.fiscal_year import FiscalYear
from grants.finance.ledger import dollars
from grants.finance.matching import Class
from grants.finance.reconciliations import Reconciliation, Reconciliations, ReportLine, Side
from grants.queue import queue_name
from grants.users import User

# A year of payments of a large department, with room to spare.
MAX_LEDGER_BYTES = 64 * 1024 * 1024
PAGE = 10_000


class ReportOut(msgspec.Struct):
    reconciliation: Reconciliation
    lines: list[ReportLine]
    limit: int
    offset: int


class LedgerReconciliations(Controller):
    path = "/api/reconciliations"
    tags = ["finance"]
    guards = [FINANCE]

    @post(status_code=202, request_max_body_size=MAX_LEDGER_BYTES)
    async def upload(
        self,
        request: Request[User, str, State],
        grants: NamedDependency[Grants],
        fiscal_year: FromQuery[str | None] = None,
    ) -> Reconciliation:
        """The ledger as a multipart upload (field ``file``, with ``fiscal_year``) or as
        the body (``Content-Type: text/csv``, ``fiscal_year`` in the query)."""
        filename = None
        if request.content_type[0] == "multipart/form-data":
            form = await request.form()
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InvalidValue("send the ledger as the form's file field", field="file")
            ledger, filename = await upload.read(), upload.filename
            fiscal_year = fiscal_year or form.get("fiscal_year")
        else:
            ledger = await request.body()
        if not fiscal_year:
            raise InvalidValue("the fiscal year the ledger covers, as 2024-25", field="fiscal_year")
        year = FiscalYear(fiscal_year)
        reconciliations: Reconciliations = request.app.state.services.reconciliations
        queue: ArqRedis | None = request.app.state.queue
        if queue is None:
            raise problem(503, "no_job_queue", "No job queue", "set REDIS_URL and run a worker")
        summary = await anyio.to_thread.run_sync(
            lambda: reconciliations.upload(
                fiscal_year=year,
                ledger=ledger,
                filename=filename,
                uploaded_by=request.user.name,
                store_position=grants.recorder.max_notification_id() or 0,
            )
        )
        await queue.enqueue_job(
            "reconcile",
            str(summary.id),
            _job_id=f"reconcile:{summary.id}",
            _queue_name=queue_name(request.app.state.services.database_url),
        )
        return summary

    @get(sync_to_thread=True)
    def recent(
        self, state: State, fiscal_year: FromQuery[str | None] = None
    ) -> list[Reconciliation]:
        """The uploads, latest first: who sent which file when, and how each went."""
        return _store(state).recent(fiscal_year)

    @get("/{reconciliation_id:uuid}", sync_to_thread=True)
    def report(
        self,
        reconciliation_id: FromPath[UUID],
        state: State,
        class_: FromQuery[list[Class] | None] = None,
        limit: FromQuery[int] = PAGE,
        offset: FromQuery[int] = 0,
    ) -> ReportOut:
        """The reconciliation and, once done, its lines (a page at a time; ``class``
        picks some classes only)."""
        store = _store(state)
        summary = _found(store, reconciliation_id)
        lines = store.lines(reconciliation_id, classes=class_ or (), limit=limit, offset=offset)
        return ReportOut(reconciliation=summary, lines=lines, limit=limit, offset=offset)

    @get("/{reconciliation_id:uuid}/differences.csv", sync_to_thread=True)
    def differences(self, reconciliation_id: FromPath[UUID], state: State) -> Response[str]:
        """Every line that is not a match, for a spreadsheet."""
        store = _store(state)
        summary = _found(store, reconciliation_id)
        differences = [c for c in Class if c is not Class.MATCHED]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["class", "payment_ref", "ledger_line", "ledger_amount", "ledger_paid_on",
             "ledger_recipient", "tracker_amount", "tracker_paid_on", "project_id",
             "tracker_recipient"]
        )  # fmt: skip
        for line in store.lines(reconciliation_id, classes=differences):
            writer.writerow(
                [line.class_, line.payment_ref, *_ledger(line.ledger), *_tracker(line.tracker)]
            )
        name = f"reconciliation-{summary.fiscal_year}-{summary.id}.csv"
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


def _store(state: State) -> Reconciliations:
    store: Reconciliations = state.services.reconciliations
    return store


def _found(store: Reconciliations, reconciliation_id: UUID) -> Reconciliation:
    summary = store.get(reconciliation_id)
    if summary is None:
        raise NotFound("reconciliation", reconciliation_id)
    return summary


def _ledger(side: Side | None) -> list[Any]:
    if side is None:
        return ["", "", "", ""]
    return [side.line, dollars(side.amount_cents), side.paid_on, side.recipient or ""]


def _tracker(side: Side | None) -> list[Any]:
    if side is None:
        return ["", "", "", ""]
    return [dollars(side.amount_cents), side.paid_on, side.project_id, side.recipient or ""]
