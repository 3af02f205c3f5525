"""Finance: the payment requests awaiting release, and releasing one with the financial
system's reference."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import Any
from uuid import UUID

import anyio.to_thread
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from grants.access import FINANCE
from grants.application import Grants
from grants.bootstrap import Services
from grants.commands import ReleasePayment
from grants.http_values import DepartmentQuery, PositionQuery, TextQuery
from grants.idempotency import Receipt
from grants.projections.positions import UnknownPosition, ViewBehind
from grants.users import User
from grants.web.forms import Field, Form, FormPage, Section, submit
from grants.web.i18n import Translator
from grants.web.layout import page, translator


@get("/payments", guards=[FINANCE])
async def payments_page(
    request: Request[User, Any, Any],
    services: NamedDependency[Services],
    department: DepartmentQuery = None,
    released: TextQuery = None,
    min_position: PositionQuery = None,
) -> Template:
    t = translator(request)
    views = services.views
    # The queue waits for a release just made to be gone from it; on a timeout the
    # page shows the view as it is, and a reload catches up.
    with suppress(ViewBehind, UnknownPosition):
        await services.positions.reached([views.payments.name], min_position)
    rows = await anyio.to_thread.run_sync(views.payments.awaiting_release, department)
    funding = await anyio.to_thread.run_sync(views.funding.rows)
    departments = sorted({r.department for r in funding})
    return page(
        request,
        "payments.html",
        rows=rows,
        department=department or "",
        department_options=[(code, t.department(code)) for code in departments],
        released=released,
    )


def release_form(t: Translator, grants: Grants, project_id: UUID, request_id: UUID) -> FormPage:
    project = grants.project(project_id)
    payment = project.payment_requests.get(request_id)
    if payment is None:
        raise NotFoundException("no such payment request")
    return FormPage(
        title=t("form.release"),
        action=f"/payments/{project_id}/{request_id}",
        submit=t("payments.release"),
        cancel="/payments",
        sections=[
            Section(
                [
                    Field("payment_ref", t("field.payment_ref")),
                    Field("paid_on", t("field.paid_on"), "date", hint=t("hint.date")),
                ]
            )
        ],
        values={"paid_on": date.today().isoformat()},
        version=project.version,
        intro=(
            f"{t.name(project)} · {project.recipient.legal_name} · {payment.fiscal_year} · "
            f"{t.money(payment.amount_cents)} · {t('field.certified_by')} {payment.certified_by}"
        ),
    )


@get("/payments/{project_id:uuid}/{request_id:uuid}", guards=[FINANCE], sync_to_thread=True)
def release_page(
    request: Request[User, Any, Any],
    project_id: FromPath[UUID],
    request_id: FromPath[UUID],
    grants: NamedDependency[Grants],
) -> Template:
    form = release_form(translator(request), grants, project_id, request_id)
    return page(request, "form.html", form=form)


@post(
    "/payments/{project_id:uuid}/{request_id:uuid}",
    guards=[FINANCE],
    sync_to_thread=True,
    status_code=303,
)
def release(
    request: Request[User, Any, Any],
    project_id: FromPath[UUID],
    request_id: FromPath[UUID],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    form_page = release_form(t, grants, project_id, request_id)

    def command(form: Form) -> Receipt:
        payment_ref = form.text("payment_ref")
        paid_on = form.day("paid_on")
        form.check()
        assert paid_on is not None
        released = ReleasePayment(
            payment_request_id=request_id, payment_ref=payment_ref, paid_on=paid_on
        )
        return grants.handle(form.context(request.user), released, project_id)

    receipt = submit(data, t, form_page, command)
    if receipt is None:
        return page(request, "form.html", status_code=422, form=form_page)
    reference = data.get("payment_ref", "").strip()
    return Redirect(
        "/payments", query_params={"released": reference, "min_position": str(receipt.position)}
    )


FINANCE_PAGES = [payments_page, release_page, release]
