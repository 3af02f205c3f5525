"""The funding agreement and its changes: amendments and reprofiling."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from grants.access import PROGRAM_SIDE
from grants.api.commands import Answer, today
from grants.api.projects import CashFlowIn
from grants.application import Context, Grants
from grants.domain.cash_flow import cash_flow
from grants.domain.disclosure import Disclosure
from grants.domain.fiscal_year import FiscalYear
from grants.domain.reference import PaymentBasis
from grants.http_values import Cents, Name, Paragraphs, Percent


class DisclosureIn(msgspec.Struct, forbid_unknown_fields=True):
    """What the open-data disclosure publishes of the agreement: a description in both
    languages and the recipient's city from agreements starting April 2018; its type
    and the expected results too from December 2025."""

    agreement_number: Name = ""
    recipient_type: Name = ""
    recipient_legal_name_fr: Name = ""
    recipient_operating_name: Name = ""
    recipient_city: Name = ""
    recipient_postal_code: Name = ""
    federal_riding_name_en: Name = ""
    federal_riding_name_fr: Name = ""
    federal_riding_number: Name = ""
    description_en: Paragraphs = ""
    description_fr: Paragraphs = ""
    expected_results_en: Paragraphs = ""
    expected_results_fr: Paragraphs = ""
    naics_identifier: Name = ""
    coverage: Name = ""
    additional_information_en: Paragraphs = ""
    additional_information_fr: Paragraphs = ""


class AgreementIn(msgspec.Struct, forbid_unknown_fields=True):
    signed_on: date
    start_on: date
    end_on: date
    payment_basis: PaymentBasis
    holdback_percent: Percent
    disclosure: DisclosureIn = msgspec.field(default_factory=DisclosureIn)


class AmendmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """Only what changes: a new cash flow (which sets the new value), new dates."""

    cash_flow: CashFlowIn | None = None
    start_on: date | None = None
    end_on: date | None = None
    effective_on: date | None = None


class ReprofilingIn(msgspec.Struct, forbid_unknown_fields=True):
    from_fiscal_year: FiscalYear
    to_fiscal_year: FiscalYear
    amount_cents: Cents
    effective_on: date | None = None


class Agreements(Controller):
    path = "/api/projects/{project_id:uuid}"
    tags = ["agreements"]
    guards = [PROGRAM_SIDE]

    @post("/agreement", sync_to_thread=True, status_code=200)
    def sign(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[AgreementIn],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(
            grants.sign_agreement(
                context,
                project_id,
                start_on=data.start_on,
                end_on=data.end_on,
                payment_basis=data.payment_basis,
                holdback_percent=data.holdback_percent,
                disclosure=Disclosure.written(**msgspec.structs.asdict(data.disclosure)),
                signed_on=data.signed_on,
            )
        )

    @post("/amendments", sync_to_thread=True, status_code=200)
    def amend(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[AmendmentIn],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        flow = (
            cash_flow((line.fiscal_year, line.amount_cents) for line in data.cash_flow)
            if data.cash_flow is not None
            else None
        )
        return Answer.of(
            grants.amend_agreement(
                context,
                project_id,
                cash_flow=flow,
                start_on=data.start_on,
                end_on=data.end_on,
                effective_on=data.effective_on or today(),
            )
        )

    @post("/reprofiling", sync_to_thread=True, status_code=200)
    def reprofile(
        self,
        project_id: FromPath[UUID],
        data: JSONBody[ReprofilingIn],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(
            grants.reprofile(
                context,
                project_id,
                data.from_fiscal_year,
                data.to_fiscal_year,
                data.amount_cents,
                effective_on=data.effective_on or today(),
            )
        )
