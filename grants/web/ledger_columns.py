"""The page where finance says which column of a ledger holds what, for a layout the
tracker does not know: the file's first lines, then a mapping defined before (the latest
one made for this header chosen already) or a new one, kept under its name for the next
file. The ledger is read with it and sent to be reconciled; a refusal names the line and
the column, and nothing is kept, neither the reconciliation nor the new mapping."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import anyio.to_thread
import msgspec
from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Redirect, Template

from grants.access import FINANCE
from grants.application import NotFound
from grants.domain.errors import DomainError
from grants.domain.fiscal_year import FiscalYear
from grants.domain.reference import DEPARTMENTS
from grants.finance.columns import DateFormat, LedgerMapping, Sign
from grants.finance.drafts import LedgerDraft
from grants.finance.ledger import LedgerUnreadable, ledger_preview
from grants.finance.ledger_mappings import SavedMapping
from grants.finance.reconciliations import Reconciliations
from grants.finance.submission import NoJobQueue
from grants.users import User
from grants.web.forms import Field, Form, FormPage, Section
from grants.web.i18n import Translator
from grants.web.layout import page, translator

NEW = "new"
PREVIEW_LINES = 5
# The fields a new mapping names a column for, in the order the form asks for them.
COLUMNS = ("payment_ref", "amount", "debit", "credit", "paid_on", "recipient")


def _store(request: Request[Any, Any, State]) -> Reconciliations:
    store: Reconciliations = request.app.state.services.reconciliations
    return store


def columns_form(
    t: Translator, draft: LedgerDraft, header: list[str], offered: list[SavedMapping]
) -> FormPage:
    def column(name: str, hint: str | None = None, *, required: bool = False) -> Field:
        options = [("", t("columns.none")), *((c, c) for c in header)]
        return Field(name, t(f"columns.{name}"), "select", options, required, hint)

    fitting = [m for m in offered if m.fits(header)]
    return FormPage(
        title=t("columns.title"),
        action=f"/reconciliations/drafts/{draft.id}",
        submit=t("columns.submit"),
        sections=[
            Section(
                [
                    Field(
                        "mapping",
                        t("field.mapping"),
                        "select",
                        [
                            *((m.key, _option(t, m, header)) for m in offered),
                            (NEW, t("columns.new")),
                        ],
                    )
                ]
            ),
            Section(
                [
                    Field("mapping_name", t("field.mapping_name"), hint=t("hint.mapping_name")),
                    Field(
                        "department",
                        t("field.department"),
                        "select",
                        [(code, t.department(code)) for code in DEPARTMENTS],
                    ),
                    column("payment_ref", required=True),
                    column("amount", t("hint.columns_amount")),
                    Field(
                        "sign",
                        t("columns.sign"),
                        "select",
                        [(s.value, t(f"sign.{s.value}")) for s in Sign],
                    ),
                    column("debit"),
                    column("credit"),
                    column("paid_on", required=True),
                    Field(
                        "date_format",
                        t("columns.date_format"),
                        "select",
                        [
                            (f.value, t(f"date_format.{f.name.lower()}", example=f.example))
                            for f in DateFormat
                        ],
                        hint=t("hint.date_format"),
                    ),
                    column("recipient"),
                ],
                legend=t("columns.new_legend"),
                hint=t("columns.new_hint"),
            ),
        ],
        values={
            "mapping": fitting[0].key if fitting else NEW,
            "sign": Sign.PAYMENTS_POSITIVE.value,
            "date_format": DateFormat.ISO.value,
        },
        cancel="/reconciliations",
    )


def _option(t: Translator, mapping: SavedMapping, header: list[str]) -> str:
    key = "columns.saved_same_header" if mapping.fits(header) else "columns.saved"
    return t(
        key,
        name=mapping.name,
        department=mapping.department,
        author=mapping.created_by,
        day=t.day(mapping.created_at.date()),
    )


def _columns_page(
    request: Request[User, Any, State],
    draft: LedgerDraft,
    form: FormPage | None = None,
    status_code: int = 200,
) -> Template:
    header, first = ledger_preview(draft.ledger, PREVIEW_LINES)
    offered = _store(request).mappings.offered(header)
    return page(
        request,
        "reconciliation_columns.html",
        status_code=status_code,
        draft=draft,
        header=header,
        first=first,
        form=form or columns_form(translator(request), draft, header, offered),
    )


def _draft(request: Request[User, Any, State], draft_id: UUID) -> LedgerDraft:
    draft = _store(request).drafts.get(draft_id, request.user.name)
    if draft is None:
        raise NotFound("ledger draft", draft_id)
    return draft


@get("/reconciliations/drafts/{draft_id:uuid}", guards=[FINANCE], sync_to_thread=True)
def columns_page(request: Request[User, Any, State], draft_id: FromPath[UUID]) -> Template:
    return _columns_page(request, _draft(request, draft_id))


@post("/reconciliations/drafts/{draft_id:uuid}", guards=[FINANCE], status_code=303)
async def read_with_mapping(
    request: Request[User, Any, State], draft_id: FromPath[UUID]
) -> Template | Redirect:
    """Reads the ledger with the mapping chosen or defined, and sends it to be
    reconciled; a new mapping is kept only once the ledger has read with it."""
    t = translator(request)
    store = _store(request)
    draft = await anyio.to_thread.run_sync(_draft, request, draft_id)
    header, _ = await anyio.to_thread.run_sync(ledger_preview, draft.ledger, 0)
    offered = await anyio.to_thread.run_sync(store.mappings.offered, header)
    form_page = columns_form(t, draft, header, offered)
    sent = await request.form()
    form = Form({k: v for k, v in sent.items() if isinstance(v, str)}, t, form_page)
    choice = form.text("mapping")
    mapping = (
        _defined(form, header, request.user.name)
        if choice == NEW
        else next((m for m in offered if m.key == choice), None)
    )
    if mapping is None and choice and choice != NEW:
        form.refuse("mapping", t("error.choice"))
    if mapping is not None and choice == NEW:
        try:
            department, name = await anyio.to_thread.run_sync(
                store.mappings.free, mapping.department, mapping.name
            )
            mapping = msgspec.structs.replace(mapping, department=department, name=name)
        except DomainError as refused:
            form.refused_by(refused)
    if mapping is not None and not form_page.errors:
        try:
            summary = await request.app.state.services.submissions.submit(
                request.app.state.queue,
                fiscal_year=FiscalYear(draft.fiscal_year),
                ledger=draft.ledger,
                filename=draft.filename,
                uploaded_by=request.user.name,
                mapping=mapping,
            )
        except LedgerUnreadable as refused:
            form.refuse(_field_of(refused, form), t.refusal(refused))
        except DomainError as refused:
            form.refused_by(refused)
        except NoJobQueue:
            form.refuse("", t("reconciliations.no_queue"))
        else:
            if choice == NEW:
                await anyio.to_thread.run_sync(
                    lambda: store.mappings.save(
                        department=mapping.department,
                        name=mapping.name,
                        header=header,
                        columns=mapping.columns,
                        created_by=request.user.name,
                    )
                )
            await anyio.to_thread.run_sync(store.drafts.drop, draft.id)
            return Redirect(f"/reconciliations/{summary.id}", status_code=303)
    return await anyio.to_thread.run_sync(
        lambda: _columns_page(request, draft, form_page, status_code=422)
    )


def _defined(form: Form, header: list[str], author: str) -> SavedMapping | None:
    """The new mapping the form describes, not yet kept; None when it is refused."""
    name = form.text("mapping_name")
    department = form.text("department")
    required = ("payment_ref", "paid_on")
    chosen = {field: form.text(field, required=field in required) for field in COLUMNS}
    date_format = form.choice("date_format", DateFormat)
    sign = form.choice("sign", Sign)
    if form.page.errors or date_format is None or sign is None:
        return None
    try:
        columns = LedgerMapping(
            payment_ref=chosen["payment_ref"],
            paid_on=chosen["paid_on"],
            date_format=date_format,
            amount=chosen["amount"] or None,
            debit=chosen["debit"] or None,
            credit=chosen["credit"] or None,
            sign=sign,
            recipient=chosen["recipient"] or None,
        )
    except DomainError as refused:
        form.refused_by(refused)
        return None
    return SavedMapping(
        department=department,
        name=name,
        header=header,
        columns=columns,
        created_by=author,
        created_at=datetime.now(UTC),
    )


def _field_of(refused: LedgerUnreadable, form: Form) -> str:
    """The form's field that chose the column a refusal names (the date's format for a
    date that does not read), or the mapping as a whole."""
    if refused.column is None:
        return "mapping"
    if form.data.get("mapping") != NEW:
        return "mapping"
    chose = {field: form.data.get(field, "").strip() for field in COLUMNS}
    if refused.column == chose["paid_on"] and refused.line > 1:
        return "date_format"
    return next((f for f in COLUMNS if chose[f] == refused.column), "mapping")


LEDGER_COLUMNS_PAGES = [columns_page, read_with_mapping]
