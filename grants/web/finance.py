"""Finance: the payment requests awaiting release, and releasing one with the financial
system's reference."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from grants.api.auth import FINANCE
from grants.application import Grants
from grants.idempotency import Receipt
from grants.projections import Views
from grants.users import User
from grants.web.forms import Field, Form, FormPage, Section, submit
from grants.web.i18n import Translator
from grants.web.layout import page, translator

# How long the queue waits for the view to include a release just made, so that the
# released request is gone from it.
WAIT_SECONDS = 3.0


@get("/payments", guards=[FINANCE], sync_to_thread=True)
def payments_page(
    request: Request[User, Any, Any],
    views: NamedDependency[Views],
    grants: NamedDependency[Grants],
    department: FromQuery[str | None] = None,
    released: FromQuery[str | None] = None,
    min_position: FromQuery[int | None] = None,
) -> Template:
    t = translator(request)
    view = views.payments
    if min_position is not None:
        # On a timeout the page shows the view as it is; a reload catches up.
        with suppress(TimeoutError):
            view.wait(Grants.name, min_position, timeout=WAIT_SECONDS)
    rows = view.awaiting_release(department or None)
    departments = sorted({r.department for r in views.funding.rows()})
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
        return grants.release_payment(
            form.context(request.user), project_id, request_id, payment_ref, paid_on=paid_on
        )

    receipt = submit(data, t, form_page, command)
    if receipt is None:
        return page(request, "form.html", status_code=422, form=form_page)
    reference = data.get("payment_ref", "").strip()
    return Redirect(
        "/payments", query_params={"released": reference, "min_position": str(receipt.position)}
    )


FINANCE_PAGES = [payments_page, release_page, release]
