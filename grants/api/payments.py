"""Payments: the program side certifies a request, finance releases it; finance records
recoveries of overpayments."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from grants.access import FINANCE, PROGRAM_SIDE
from grants.api.commands import Answer
from grants.application import Context, Grants
from grants.commands import RecoverOverpayment, ReleasePayment, RequestPayment


class Payments(Controller):
    path = "/api/projects/{project_id:uuid}"
    tags = ["payments"]

    @post("/payment-requests", guards=[PROGRAM_SIDE], sync_to_thread=True)
    def request_payment(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[RequestPayment],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        """Certifies a payment request; the answer's ``id`` is the request's."""
        return Answer.of(grants.handle(context, data, project_id))

    @post("/disbursements", guards=[FINANCE], sync_to_thread=True)
    def release(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[ReleasePayment],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, project_id))

    @post("/recoveries", guards=[FINANCE], sync_to_thread=True)
    def recover(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[RecoverOverpayment],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, project_id))
