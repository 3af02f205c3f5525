"""A program to record projects against, and what a program officer types into each
form of a project's life, for the web tests (the browser's and the fast ones)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from grants.application import Context
from grants.bootstrap import Services
from grants.commands import RegisterProgram, SetAllocation
from grants.domain.fiscal_year import FiscalYear
from grants.domain.reference import Pillar, TransferType

THIS_YEAR = FiscalYear.of(date.today())
TODAY = date.today().isoformat()


def program(services: Services, allocation_cents: int = 500_000_00) -> UUID:
    grants, ctx = services.grants, Context(actor="olivia")
    program_id = grants.handle(
        ctx,
        RegisterProgram(
            department="JUS",
            name_en="Victims Fund",
            name_fr="Fonds d'aide aux victimes",
            transfer_type=TransferType.CONTRIBUTION,
            pillars=[Pillar.PROTECTION],
            effective_on=date(2018, 4, 1),
        ),
    ).id
    allocation = SetAllocation(amount_cents=allocation_cents, effective_on=date.today())
    grants.handle(ctx, allocation, program_id, fiscal_year=THIS_YEAR)
    return program_id


def application(program_id: UUID, requested: str = "120000") -> dict[str, str]:
    return {
        "program_id": str(program_id),
        "call_id": "",
        "recipient.legal_name": "NOW Canada Society",
        "recipient.province": "BC",
        "title_en": "The Essentials",
        "title_fr": "L'essentiel",
        "pillar": "protection",
        "requested": requested,
        "effective_on": TODAY,
    }


ASSESSMENT = {"score": "85", "recommendation": "fund", "effective_on": TODAY}


def approval(amount: str) -> dict[str, str]:
    return {
        "cash_flow[0].fiscal_year": THIS_YEAR,
        "cash_flow[0].amount": amount,
        "effective_on": TODAY,
    }


AGREEMENT = {
    "signed_on": TODAY,
    "start_on": TODAY,
    "end_on": THIS_YEAR.ends_on.isoformat(),
    "payment_basis": "advance",
    "holdback_percent": "0",
    "disclosure.agreement_number": "JUS-2026-001",
    "disclosure.recipient_type": "N",
    "disclosure.recipient_city": "Surrey",
    "disclosure.recipient_postal_code": "V3T 0A1",
    "disclosure.description_en": "Essentials for survivors leaving trafficking",
    "disclosure.description_fr": "L'essentiel pour les survivantes qui quittent la traite",
    "disclosure.expected_results_en": "Survivors served",
    "disclosure.expected_results_fr": "Survivantes servies",
}


def payment_request(amount: str) -> dict[str, str]:
    return {"fiscal_year": THIS_YEAR, "amount": amount, "kind": "", "effective_on": TODAY}
