"""Payments: the program side certifies a request, finance releases it; finance records
recoveries of overpayments."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from grants.access import FINANCE, PROGRAM_SIDE
from grants.api.commands import Answer, today
from grants.application import Context, Grants
from grants.domain.fiscal_year import FiscalYear
from grants.domain.reference import PaymentKind
from grants.http_values import Cents, RequiredName


class PaymentRequestIn(msgspec.Struct, forbid_unknown_fields=True):
    fiscal_year: FiscalYear
    amount_cents: Cents
    kind: PaymentKind | None = None
    effective_on: date | None = None


class DisbursementIn(msgspec.Struct, forbid_unknown_fields=True):
    payment_request_id: UUID
    payment_ref: RequiredName
    paid_on: date


class RecoveryIn(msgspec.Struct, forbid_unknown_fields=True):
    fiscal_year: FiscalYear
    amount_cents: Cents
    payment_ref: RequiredName
    effective_on: date | None = None


class Payments(Controller):
    path = "/api/projects/{project_id:uuid}"
    tags = ["payments"]

    @post("/payment-requests", guards=[PROGRAM_SIDE], sync_to_thread=True)
    def request_payment(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[PaymentRequestIn],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        """Certifies a payment request; the answer's ``id`` is the request's."""
        return Answer.of(
            grants.request_payment(
                context,
                project_id,
                data.fiscal_year,
                data.amount_cents,
                data.kind,
                effective_on=data.effective_on or today(),
            )
        )

    @post("/disbursements", guards=[FINANCE], sync_to_thread=True)
    def release(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[DisbursementIn],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(
            grants.release_payment(
                context, project_id, data.payment_request_id, data.payment_ref, paid_on=data.paid_on
            )
        )

    @post("/recoveries", guards=[FINANCE], sync_to_thread=True)
    def recover(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[RecoveryIn],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(
            grants.recover_overpayment(
                context,
                project_id,
                data.fiscal_year,
                data.amount_cents,
                data.payment_ref,
                effective_on=data.effective_on or today(),
            )
        )
