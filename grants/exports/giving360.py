"""The funding data in the 360Giving Data Standard (1.4): a package of grants, each with
its commitment transactions (approvals, amendments, reprofiling, lapses) and its
disbursement transactions (payments, and recoveries as negative values)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from grants.domain.program import Program
from grants.domain.reference import DEPARTMENTS, Pillar
from grants.projections.awards import Award, Commitment
from grants.projections.payments import Paid

VERSION = "1.4"
# The publisher's own prefix for identifiers, as 360Giving asks of every publisher.
PREFIX = "360G-CA-NSCHT"
# Grants that were awarded: approved, whether or not they ran their course since.
AWARDED = ("approved", "under_agreement", "final_report_accepted", "closed")


def package(
    awards: Iterable[Award],
    programs: Mapping[UUID, Program],
    commitments: Mapping[UUID, list[Commitment]],
    payments: Iterable[Paid],
    issued: date,
) -> dict[str, Any]:
    paid: dict[UUID, list[Paid]] = {}
    for payment in payments:
        paid.setdefault(payment.project_id, []).append(payment)
    return {
        "version": VERSION,
        "title": "National Strategy to Combat Human Trafficking: grants and contributions",
        "issued": issued.isoformat(),
        "grants": [
            _grant(
                a,
                programs[a.program_id],
                commitments.get(a.project_id, []),
                paid.get(a.project_id, []),
            )
            for a in awards
            if a.status in AWARDED and a.approved_on is not None
        ],
    }


def _grant(
    award: Award, program: Program, commitments: list[Commitment], paid: list[Paid]
) -> dict[str, Any]:
    disclosure = award.disclosure or {}
    recipient = award.recipient
    department_en = DEPARTMENTS.get(award.department, (award.department,))[0]
    grant: dict[str, Any] = {
        "id": f"{PREFIX}-{award.project_id}",
        "title": award.title_en,
        "description": disclosure.get("description_en") or award.title_en,
        "currency": "CAD",
        "amountAppliedFor": _dollars(award.requested_cents),
        "amountAwarded": _dollars(sum(c.amount_cents for c in commitments)),
        "amountDisbursed": _dollars(sum(p.amount_cents for p in paid)),
        "awardDate": award.approved_on.isoformat() if award.approved_on else None,
        "recipientOrganization": [_recipient(recipient, disclosure)],
        "fundingOrganization": [
            {
                "id": f"{PREFIX}-{award.department}",
                "name": department_en,
                "department": program.name_en,
            }
        ],
        "grantProgramme": [{"code": str(program.id), "title": program.name_en}],
        "fromOpenCall": "Yes" if award.call_id else "No",
        "classifications": [
            {
                "vocabulary": f"{PREFIX}-pillar",
                "code": award.pillar,
                "title": Pillar(award.pillar).name_en,
            }
        ],
        "commitmentTransaction": [
            {
                "id": f"{PREFIX}-{award.project_id}-c{c.version}-{c.fiscal_year}",
                "transactionDate": c.changed_on.isoformat(),
                "currency": "CAD",
                "value": _dollars(c.amount_cents),
                "description": f"{c.reason}, fiscal year {c.fiscal_year}",
            }
            for c in commitments
        ],
        "disbursementTransaction": [
            {
                "id": f"{PREFIX}-{award.project_id}-{p.payment_ref}",
                "transactionDate": p.paid_on.isoformat(),
                "currency": "CAD",
                "value": _dollars(p.amount_cents),
                "description": f"fiscal year {p.fiscal_year}",
            }
            for p in sorted(paid, key=lambda p: (p.paid_on, p.payment_ref))
        ],
    }
    if award.start_on and award.end_on:
        grant["plannedDates"] = [
            {"startDate": award.start_on.isoformat(), "endDate": award.end_on.isoformat()}
        ]
    return grant


def _recipient(recipient: Mapping[str, Any], disclosure: Mapping[str, str]) -> dict[str, Any]:
    number = recipient.get("business_number")
    organization = {
        # org-id.guide's list for Canada's registered charities, by business number.
        "id": f"CA-CRA_ACR-{number}" if number else f"{PREFIX}-{_slug(recipient['legal_name'])}",
        "name": recipient["legal_name"],
        "addressCountry": recipient.get("country", "CA"),
    }
    optional = {
        "addressRegion": recipient.get("province"),
        "addressLocality": disclosure.get("recipient_city"),
        "postalCode": disclosure.get("recipient_postal_code"),
    }
    organization.update({key: value for key, value in optional.items() if value})
    return organization


def _dollars(cents: int) -> Decimal:
    """Dollars as an exact decimal, written as a JSON number."""
    return Decimal(cents).scaleb(-2)


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
