"""The funding data in the 360Giving Data Standard (1.4): a package of grants, each with
its commitment transactions (approvals, amendments, reprofiling, lapses) and its
disbursement transactions (payments, and recoveries as negative values)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from babel import Locale

from grants.domain.program import Program
from grants.domain.recipient import PROVINCE_NAMES
from grants.domain.reference import DEPARTMENTS, Pillar
from grants.projections.awards import Award, Commitment
from grants.projections.payments import Paid

VERSION = "1.4"
# The publisher's own prefix for identifiers, as 360Giving asks of every publisher, for
# what no register identifies.
PREFIX = "360G-CA-NSCHT"
# org-id.guide's registers: the Receiver General's department numbers (Government of
# Canada), and the Canada Revenue Agency's nine-digit business numbers.
GOVERNMENT_OF_CANADA = "CA-GOV"
CANADA_REVENUE_AGENCY = "CA-CRA_ACR"
# Countries of the tracker's list that 360Giving's countryCode codelist lacks (Kosovo).
_NOT_IN_CODELIST = frozenset({"XK"})
_ENGLISH = Locale("en", "CA")
# Grants that were awarded: approved, whether or not they ran their course since.
AWARDED = ("approved", "under_agreement", "final_report_accepted", "closed")


def package(
    awards: Iterable[Award],
    programs: Mapping[UUID, Program],
    commitments: Mapping[UUID, list[Commitment]],
    payments: Iterable[Paid],
    issued: date,
    source: str,
) -> dict[str, Any]:
    """``source``: the address the package is published at, each grant's dataSource."""
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
                source,
            )
            for a in awards
            if a.status in AWARDED and a.approved_on is not None
        ],
    }


def _grant(
    award: Award, program: Program, commitments: list[Commitment], paid: list[Paid], source: str
) -> dict[str, Any]:
    disclosure = award.disclosure or {}
    recipient = award.recipient
    department_en = DEPARTMENTS.get(award.department, (award.department,))[0]
    funder = (
        f"{GOVERNMENT_OF_CANADA}-{program.publication.department_number}"
        if program.publication
        else f"{PREFIX}-{award.department}"
    )
    where = _location(recipient)
    grant: dict[str, Any] = {
        "id": f"{PREFIX}-{award.project_id}",
        "title": award.title_en,
        "currency": "CAD",
        "amountAppliedFor": _dollars(award.requested_cents),
        "amountAwarded": _dollars(sum(c.amount_cents for c in commitments)),
        "amountDisbursed": _dollars(sum(p.amount_cents for p in paid)),
        "awardDate": award.approved_on.isoformat() if award.approved_on else None,
        "recipientOrganization": [_recipient(recipient, disclosure, where)],
        "beneficiaryLocation": [where],
        "fundingOrganization": [
            {"id": funder, "name": department_en, "department": program.name_en}
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
    if description := disclosure.get("description_en"):
        grant["description"] = description
    if award.modified_at:
        grant["dateModified"] = award.modified_at.isoformat()
    grant["dataSource"] = source
    if award.start_on and award.end_on:
        grant["plannedDates"] = [
            {"startDate": award.start_on.isoformat(), "endDate": award.end_on.isoformat()}
        ]
    return grant


def _recipient(
    recipient: Mapping[str, Any], disclosure: Mapping[str, str], where: dict[str, str]
) -> dict[str, Any]:
    number = recipient.get("business_number")
    organization = {
        # The register takes the business number alone, without its program account.
        "id": f"{CANADA_REVENUE_AGENCY}-{number[:9]}"
        if number
        else f"{PREFIX}-{_slug(recipient['legal_name'])}",
        "name": recipient["legal_name"],
        "addressCountry": recipient.get("country", "CA"),
        "location": [where],
    }
    optional = {
        "addressRegion": recipient.get("province"),
        "addressLocality": disclosure.get("recipient_city"),
        "postalCode": disclosure.get("recipient_postal_code"),
    }
    organization.update({key: value for key, value in optional.items() if value})
    return organization


def _location(recipient: Mapping[str, Any]) -> dict[str, str]:
    """Where the recipient is, which is where the tracker knows its work to be: its
    province (ISO 3166-2, such as CA-ON) in Canada, its country elsewhere."""
    country = recipient.get("country", "CA")
    province = recipient.get("province")
    if country == "CA" and province:
        where = {"geoCode": f"CA-{province}", "name": PROVINCE_NAMES[province][0]}
    else:
        where = {"geoCode": country, "name": _ENGLISH.territories.get(country, country)}
    if country not in _NOT_IN_CODELIST:
        where["countryCode"] = country
    return where


def _dollars(cents: int) -> Decimal:
    """Dollars as an exact decimal, written as a JSON number."""
    return Decimal(cents).scaleb(-2)


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
