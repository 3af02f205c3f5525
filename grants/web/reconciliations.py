"""Finance's ledger reconciliations: the uploads with the form to send one, and each
report, followed while the worker reconciles it, then its counts and totals by class,
its differences a page at a time and as a CSV file."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import Any
from uuid import UUID

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from grants.access import FINANCE
from grants.domain.errors import DomainError
from grants.domain.fiscal_year import FiscalYear
from grants.finance.columns import standard
from grants.finance.differences import DIFFERENCES, differences_csv
from grants.finance.ledger import ledger_header
from grants.finance.matching import Class
from grants.finance.reconciliations import (
    Reconciliation,
    ReconciliationNotFailed,
    Reconciliations,
    Status,
)
from grants.finance.submission import MAX_LEDGER_BYTES, NoJobQueue, kept_name
from grants.http_values import PageQuery
from grants.users import User
from grants.web.forms import Field, Form, FormPage, Section
from grants.web.i18n import Translator
from grants.web.layout import attachment, page, translator
from grants.web.ledger_columns import LEDGER_COLUMNS_PAGES

PAGE_SIZE = 50
FINISHED = (Status.DONE, Status.FAILED)


def _store(request: Request[Any, Any, State]) -> Reconciliations:
    store: Reconciliations = request.app.state.services.reconciliations
    return store


def upload_form(t: Translator) -> FormPage:
    return FormPage(
        title=t("reconciliations.upload"),
        action="/reconciliations",
        submit=t("reconciliations.send"),
        sections=[
            Section(
                [
                    Field("fiscal_year", t("field.fiscal_year"), hint=t("hint.fiscal_year")),
                    Field("file", t("field.ledger_file"), "file", hint=t("hint.ledger_file")),
                ]
            )
        ],
        values={"fiscal_year": str(FiscalYear.of(date.today()))},
    )


def _uploads_page(
    request: Request[User, Any, State], form: FormPage, status_code: int = 200
) -> Template:
    return page(
        request,
        "reconciliations.html",
        status_code=status_code,
        form=form,
        rows=[(summary, _differences(summary)) for summary in _store(request).recent()],
    )


def _differences(summary: Reconciliation) -> int | None:
    """How many lines are not matches, once the report is written."""
    if summary.counts is None:
        return None
    return sum(summary.counts.get(c, 0) for c in DIFFERENCES)


@get("/reconciliations", guards=[FINANCE], sync_to_thread=True)
def uploads_page(request: Request[User, Any, State]) -> Template:
    return _uploads_page(request, upload_form(translator(request)))


@post(
    "/reconciliations",
    guards=[FINANCE],
    status_code=303,
    request_max_body_size=MAX_LEDGER_BYTES,
)
async def upload(request: Request[User, Any, State]) -> Template | Redirect:
    """Keeps the ledger and queues its job, then shows the report as it comes; a file
    that cannot be read is shown refused by its field, the fiscal year kept. A file
    whose columns are not the tracker's names waits for finance to say which column
    holds what (``grants.web.ledger_columns``)."""
    t = translator(request)
    form_page = upload_form(t)
    sent = await request.form()
    form = Form({k: v for k, v in sent.items() if isinstance(v, str)}, t, form_page)
    year = form.fiscal_year("fiscal_year")
    ledger = sent.get("file")
    # A browser sends an empty part with no name when no file was chosen.
    if not isinstance(ledger, UploadFile) or not ledger.filename:
        form.refuse("file", t("error.required"))
    if year is not None and isinstance(ledger, UploadFile) and not form_page.errors:
        data, filename = await ledger.read(), kept_name(ledger.filename)
        try:
            header = await anyio.to_thread.run_sync(ledger_header, data)
            if standard(header) is None:
                draft_id = await anyio.to_thread.run_sync(
                    lambda: _store(request).drafts.keep(
                        fiscal_year=year,
                        ledger=data,
                        filename=filename,
                        uploaded_by=request.user.name,
                    )
                )
                return Redirect(f"/reconciliations/drafts/{draft_id}", status_code=303)
            summary = await request.app.state.services.submissions.submit(
                request.app.state.queue,
                fiscal_year=year,
                ledger=data,
                filename=filename,
                uploaded_by=request.user.name,
            )
        except DomainError as refused:
            form.refused_by(refused)
        except NoJobQueue:
            form.refuse("", t("reconciliations.no_queue"))
        else:
            return Redirect(f"/reconciliations/{summary.id}", status_code=303)
    return await anyio.to_thread.run_sync(lambda: _uploads_page(request, form_page, 422))


@get("/reconciliations/{reconciliation_id:uuid}", guards=[FINANCE], sync_to_thread=True)
def report_page(
    request: Request[User, Any, State],
    reconciliation_id: FromPath[UUID],
    page_number: PageQuery = 1,
) -> Template:
    store = _store(request)
    summary = store.found(reconciliation_id)
    differences = _differences(summary) or 0
    lines = (
        store.lines(
            reconciliation_id,
            classes=DIFFERENCES,
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        if differences
        else []
    )
    return page(
        request,
        "reconciliation.html",
        summary=summary,
        finished=summary.status in FINISHED,
        classes=list(Class),
        lines=lines,
        differences=differences,
        page_number=page_number,
        pages=max(1, -(-differences // PAGE_SIZE)),
    )


@get("/reconciliations/{reconciliation_id:uuid}/progress", guards=[FINANCE], sync_to_thread=True)
def progress(request: Request[User, Any, State], reconciliation_id: FromPath[UUID]) -> Template:
    """The report's status region alone, which the report page fetches again while
    the job is queued or running."""
    summary = _store(request).found(reconciliation_id)
    return page(
        request,
        "reconciliation_progress.html",
        summary=summary,
        finished=summary.status in FINISHED,
    )


@get(
    "/reconciliations/{reconciliation_id:uuid}/differences.csv",
    guards=[FINANCE],
    sync_to_thread=True,
)
def differences_download(
    request: Request[User, Any, State], reconciliation_id: FromPath[UUID]
) -> Response[Any]:
    store = _store(request)
    return attachment(differences_csv(store, store.found(reconciliation_id)))


@post("/reconciliations/{reconciliation_id:uuid}/retry", guards=[FINANCE], status_code=303)
async def retry(request: Request[User, Any, State], reconciliation_id: FromPath[UUID]) -> Redirect:
    """Runs a failed reconciliation again; the report page then follows it (or says
    how it stands, when it had already been run again)."""
    with suppress(ReconciliationNotFailed):
        await request.app.state.services.submissions.retry(
            request.app.state.queue, reconciliation_id
        )
    return Redirect(f"/reconciliations/{reconciliation_id}", status_code=303)


RECONCILIATION_PAGES = [
    uploads_page,
    upload,
    report_page,
    progress,
    differences_download,
    retry,
    *LEDGER_COLUMNS_PAGES,
]
