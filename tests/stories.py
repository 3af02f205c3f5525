"""Builders for domain tests: a program, and a project brought to a given point."""

from __future__ import annotations

from datetime import date

from grants.domain.disclosure import Disclosure
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.project import Project
from grants.domain.recipient import Recipient
from grants.domain.reference import PaymentBasis, Pillar, TransferType

Y1, Y2 = FiscalYear("2021-22"), FiscalYear("2022-23")
ON = date(2021, 5, 3)
SIGNED_ON = date(2021, 6, 1)
# What an agreement of 2021 must say for the open-data disclosure.
DISCLOSURE = Disclosure(
    recipient_city="Ottawa",
    description_en="Support for survivors of human trafficking.",
    description_fr="Soutien aux personnes survivantes de la traite.",
)


def program(transfer_type: TransferType = TransferType.CONTRIBUTION) -> Program:
    return Program.register(
        department="JUS",
        name_en="Victims Fund",
        name_fr="Fonds d'aide aux victimes",
        transfer_type=transfer_type,
        pillars=(Pillar.PROTECTION,),
        actor="olivia",
        effective_on=date(2021, 4, 1),
    )


def application(requested_cents: int = 100_000, of: Program | None = None) -> Project:
    return Project.receive(
        of or program(),
        None,
        recipient=Recipient("NOW Canada Society", "BC"),
        title_en="The Essentials",
        title_fr="L'essentiel",
        pillar=Pillar.PROTECTION,
        requested_cents=requested_cents,
        actor="olivia",
        effective_on=ON,
    )


def approved(flow: dict[FiscalYear, int] | None = None) -> Project:
    project = application()
    project.assess(80, "fund", actor="olivia", effective_on=ON)
    project.approve(flow or {Y1: 60_000, Y2: 40_000}, actor="olivia", effective_on=ON)
    return project


def under_agreement(
    holdback_percent: int = 10, flow: dict[FiscalYear, int] | None = None
) -> Project:
    project = approved(flow)
    project.sign_agreement(
        start_on=SIGNED_ON,
        end_on=date(2023, 3, 31),
        payment_basis=PaymentBasis.REIMBURSEMENT,
        holdback_percent=holdback_percent,
        disclosure=DISCLOSURE,
        actor="olivia",
        effective_on=SIGNED_ON,
    )
    return project


def paid(project: Project, year: FiscalYear, cents: int) -> None:
    """Certified by the officer, released by finance, in September of that year."""
    on = date(year.start_year, 9, 1)
    request = project.request_payment(year, cents, None, actor="olivia", effective_on=on)
    project.release_payment(request, f"PAY-{project.version}", actor="fiona", effective_on=on)
