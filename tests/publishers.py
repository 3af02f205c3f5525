"""The publishers' own checks, re-implemented here since their tools do not install on
this machine: the open-data portal's rules for the proactive-disclosure table (the
``grants_trigger``, the choices and the primary key of
``tests/schemas/gc-proactive-disclosure-grants.yaml``, and the same for its
``grants-nil`` resource), and the 360Giving Data Quality Tool's checks (the quality and
usefulness sets of ``lib360dataquality`` in ThreeSixtyGiving/dataquality), each function
named after the check it does."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from grants.domain.countries import COUNTRIES

_TABLE = yaml.safe_load(
    (Path(__file__).parent / "schemas" / "gc-proactive-disclosure-grants.yaml").read_text()
)
_RESOURCES = {resource["resource_name"]: resource for resource in _TABLE["resources"]}


def _choices(resource: str, field: str) -> set[str]:
    for column in _RESOURCES[resource]["fields"]:
        if column["datastore_id"] == field:
            return set(column["choices"])
    raise KeyError(field)


_AGREEMENT_TYPES = _choices("grants", "agreement_type")
_RECIPIENT_TYPES = _choices("grants", "recipient_type")
_PROVINCES = _choices("grants", "recipient_province")
_QUARTERS = _choices("grants-nil", "quarter")
_POSTAL_CODE = re.compile(r"[A-Z]\d[A-Z]\s\d[A-Z]\d")
_NATURAL_NUMBER = re.compile(r"[1-9][0-9]*")


# The portal's table


def table_violations(rows: list[dict[str, str]]) -> list[str]:
    """What the portal's trigger refuses in each row, and the primary key's repeats
    (``ref_number``, ``amendment_number``) across all the rows given, such as every
    fiscal year's file of one department."""
    found = [
        f"{row['ref_number']}/{row['amendment_number']}: {v}" for row in rows for v in _row(row)
    ]
    key = Counter((row["ref_number"], row["amendment_number"]) for row in rows)
    found += [f"{ref}/{number}: primary key repeated" for (ref, number), n in key.items() if n > 1]
    return found


def _row(row: dict[str, str]) -> Iterator[str]:
    def required(*names: str) -> Iterator[str]:
        for name in names:
            if not row[name].strip():
                yield f"{name} is required"

    yield from required("ref_number", "amendment_number", "agreement_value")
    if "," in row["ref_number"]:
        yield "ref_number has a comma"
    if not row["amendment_number"].isdigit():
        yield "amendment_number is not an integer"
    elif int(row["amendment_number"]) != 0:
        yield from required("amendment_date")
    for name in ("amendment_date", "agreement_start_date", "agreement_end_date"):
        if row[name] and not _is_date(row[name]):
            yield f"{name} is not a date"
    try:
        value = Decimal(row["agreement_value"])
    except InvalidOperation:
        yield "agreement_value is not money"
        return
    if row["foreign_currency_type"] or row["foreign_currency_value"]:
        yield from required("foreign_currency_type", "foreign_currency_value")
    yield from required("agreement_start_date")
    start = date.fromisoformat(row["agreement_start_date"])
    if start >= date(2018, 4, 1):
        yield from required("agreement_type", "recipient_legal_name", "recipient_country")
        yield from required("recipient_city", "description_en", "description_fr")
        if row["agreement_type"] not in _AGREEMENT_TYPES:
            yield "agreement_type is not a choice"
        if row["recipient_type"] and row["recipient_type"] not in _RECIPIENT_TYPES:
            yield "recipient_type is not a choice"
        if row["recipient_country"] not in COUNTRIES:
            yield "recipient_country is not a choice"
        if row["recipient_country"] == "CA" and row["recipient_province"] not in _PROVINCES:
            yield "recipient_province is not a choice"
    if start >= date(2025, 12, 1):
        yield from required("recipient_type", "prog_name_en", "prog_name_fr")
        yield from required("prog_purpose_en", "prog_purpose_fr")
        yield from required("agreement_title_en", "agreement_title_fr", "agreement_end_date")
        yield from required("expected_results_en", "expected_results_fr")
        if row["agreement_end_date"] and start > date.fromisoformat(row["agreement_end_date"]):
            yield "agreement_start_date is after agreement_end_date"
        postal_code = " ".join(row["recipient_postal_code"].upper().split())
        if postal_code and not _POSTAL_CODE.fullmatch(postal_code):
            yield "recipient_postal_code is not A1A 1A1"
        for name, digits in (("recipient_business_number", 9), ("federal_riding_number", 5)):
            number = row[name].strip()
            if number and not (_NATURAL_NUMBER.fullmatch(number) and len(number) == digits):
                yield f"{name} is not a {digits} digit number"
    if start >= date(2026, 5, 1) and not value >= 0:
        yield "agreement_value is negative"


def nil_violations(rows: list[dict[str, str]]) -> list[str]:
    """What the portal's ``grants_nil_trigger`` refuses, and repeated primary keys."""
    found = []
    for row in rows:
        match = re.fullmatch(r"(\d{4})-(\d{4})", row["fiscal_year"])
        if not match or int(match[2]) != int(match[1]) + 1:
            found.append(f"{row['fiscal_year']}: fiscal_year is not a choice")
        if row["quarter"] not in _QUARTERS:
            found.append(f"{row['quarter']}: quarter is not a choice")
    key = Counter((row["fiscal_year"], row["quarter"]) for row in rows)
    return found + [f"{k}: primary key repeated" for k, n in key.items() if n > 1]


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# 360Giving's data quality checks: each counts the grants (or organizations) it flags.

Grant = dict[str, Any]
Check = Callable[[list[Grant]], int]
QUALITY: dict[str, Check] = {}
USEFULNESS: dict[str, Check] = {}

# The org-id.guide lists the tracker draws from, and the publisher's own prefix.
REGISTERED_PREFIXES = ("CA-GOV", "CA-CRA_ACR", "360G")


def _check(into: dict[str, Check]) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        into[check.__name__] = check
        return check

    return register


def _orgs(grant: Grant, kind: str) -> list[dict[str, Any]]:
    organizations: list[dict[str, Any]] = grant.get(kind) or []
    return organizations


@_check(QUALITY)
def ZeroAmountTest(grants: list[Grant]) -> int:
    return sum(1 for g in grants if g.get("amountAwarded") == 0)


@_check(QUALITY)
def FundingOrgUnrecognisedPrefix(grants: list[Grant]) -> int:
    return sum(1 for g in grants if any(_unrecognised(o) for o in _orgs(g, "fundingOrganization")))


@_check(QUALITY)
def RecipientOrgUnrecognisedPrefix(grants: list[Grant]) -> int:
    return sum(
        1 for g in grants if any(_unrecognised(o) for o in _orgs(g, "recipientOrganization"))
    )


def _unrecognised(organization: dict[str, Any]) -> bool:
    return not organization["id"].lower().startswith(tuple(p.lower() for p in REGISTERED_PREFIXES))


@_check(QUALITY)
def OrganizationIdUnexpectedChars(grants: list[Grant]) -> int:
    return sum(
        "\n" in o["id"]
        for g in grants
        for o in _orgs(g, "fundingOrganization") + _orgs(g, "recipientOrganization")
    )


@_check(QUALITY)
def GrantIdUnexpectedChars(grants: list[Grant]) -> int:
    return sum("\n" in g["id"] for g in grants)


@_check(QUALITY)
def MoreThanOneFundingOrg(grants: list[Grant]) -> int:
    """Flags the file, not a grant: the number of funders when more than one."""
    funders = {o["id"] for g in grants for o in _orgs(g, "fundingOrganization") if o.get("id")}
    return len(funders) if len(funders) > 1 else 0


@_check(QUALITY)
def LooksLikeEmail(grants: list[Grant]) -> int:
    email = re.compile(r"[\w.-]+@[\w.-]+\.[\w.-]+")
    return sum(
        1
        for g in grants
        for path, value in _leaves(g, "")
        if "email" not in path and isinstance(value, str) and email.search(value)
    )


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}/{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _leaves(item, f"{path}/{n}")
    else:
        yield path, value


def _dates(grant: Grant) -> list[str]:
    planned = (grant.get("plannedDates") or [{}])[0]
    return [
        d for d in (grant.get("awardDate"), planned.get("startDate"), planned.get("endDate")) if d
    ]


@_check(QUALITY)
def ImpossibleDates(grants: list[Grant]) -> int:
    return sum(1 for g in grants if not all(_is_date(d[:10]) for d in _dates(g)))


@_check(QUALITY)
def PlannedStartDateBeforeEndDate(grants: list[Grant]) -> int:
    return sum(
        1
        for g in grants
        for planned in (g.get("plannedDates") or [])[:1]
        if planned["startDate"] > planned["endDate"]
    )


@_check(QUALITY)
def FarFuturePlannedDates(grants: list[Grant]) -> int:
    limit = _years_from_today(12)
    return sum(1 for g in grants if any(d[:10] > limit for d in _dates(g)[1:]))


@_check(QUALITY)
def FarPastDates(grants: list[Grant]) -> int:
    limit = _years_from_today(-25)
    return sum(1 for g in grants if any(d[:10] < limit for d in _dates(g)))


def _years_from_today(years: int) -> str:
    today = date.today()
    # February 29 moves to the 28th in a year without it.
    return today.replace(year=today.year + years, day=min(today.day, 28)).isoformat()


@_check(QUALITY)
def PostDatedAwardDates(grants: list[Grant]) -> int:
    today = date.today().isoformat()
    return sum(1 for g in grants if g.get("awardDate", "")[:10] > today)


@_check(QUALITY)
def MultiFundingOrgIdsForName(grants: list[Grant]) -> int:
    return _multi(grants, "name", "id")


@_check(QUALITY)
def MultiFundingNamesForOrgId(grants: list[Grant]) -> int:
    return _multi(grants, "id", "name")


def _multi(grants: list[Grant], key: str, other: str) -> int:
    first: dict[str, str] = {}
    flagged = 0
    for g in grants:
        for o in _orgs(g, "fundingOrganization"):
            seen = first.setdefault(o[key], o[other])
            flagged += seen != o[other]
    return flagged


@_check(USEFULNESS)
def RecipientOrg360GPrefix(grants: list[Grant]) -> int:
    return sum(
        o["id"].lower().startswith("360g")
        for g in grants
        for o in _orgs(g, "recipientOrganization")
    )


@_check(USEFULNESS)
def FundingOrg360GPrefix(grants: list[Grant]) -> int:
    return sum(
        o["id"].lower().startswith("360g") for g in grants for o in _orgs(g, "fundingOrganization")
    )


@_check(USEFULNESS)
def NoRecipientOrgCompanyCharityNumber(grants: list[Grant]) -> int:
    return sum(
        1
        for g in grants
        if any(
            not (o.get("companyNumber") or o.get("charityNumber"))
            for o in _orgs(g, "recipientOrganization")
        )
    )


@_check(USEFULNESS)
def IncompleteRecipientOrg(grants: list[Grant]) -> int:
    return sum(
        1
        for g in grants
        if any(
            not (o.get("postalCode") or any(p.get("geoCode") for p in o.get("location") or []))
            for o in _orgs(g, "recipientOrganization")
        )
    )


@_check(USEFULNESS)
def NoGrantProgramme(grants: list[Grant]) -> int:
    return sum(not g.get("grantProgramme") for g in grants)


@_check(USEFULNESS)
def NoBeneficiaryLocation(grants: list[Grant]) -> int:
    return sum(not g.get("beneficiaryLocation") for g in grants)


@_check(USEFULNESS)
def TitleDescriptionSame(grants: list[Grant]) -> int:
    return sum(bool(g.get("title")) and g.get("title") == g.get("description") for g in grants)


@_check(USEFULNESS)
def TitleLength(grants: list[Grant]) -> int:
    return sum(len(g.get("title", "")) > 140 for g in grants)


@_check(USEFULNESS)
def NoLastModified(grants: list[Grant]) -> int:
    return sum(not g.get("dateModified") for g in grants)


@_check(USEFULNESS)
def NoDataSource(grants: list[Grant]) -> int:
    return sum(not g.get("dataSource") for g in grants)


@_check(USEFULNESS)
def PlannedDurationNotPresent(grants: list[Grant]) -> int:
    def present(g: Grant) -> bool:
        planned = (g.get("plannedDates") or [{}])[0]
        return planned.get("duration") is not None or bool(
            planned.get("startDate") and planned.get("endDate")
        )

    return sum(not present(g) for g in grants)


@_check(USEFULNESS)
def BeneficiaryLocationNameButNoCode(grants: list[Grant]) -> int:
    return sum(
        bool(p.get("name")) and not p.get("geoCode")
        for g in grants
        for p in g.get("beneficiaryLocation") or []
    )


@_check(USEFULNESS)
def BeneficiaryButNotRecipientGeoData(grants: list[Grant]) -> int:
    def flagged(g: Grant) -> bool:
        first = _orgs(g, "recipientOrganization")[0]
        return bool(g.get("beneficiaryLocation")) and not (
            first.get("postalCode") or first.get("location")
        )

    return sum(flagged(g) for g in grants)


@_check(USEFULNESS)
def RecipientGeoDataButNoBeneficiary(grants: list[Grant]) -> int:
    return sum(
        bool(_orgs(g, "recipientOrganization")[0].get("location"))
        and not g.get("beneficiaryLocation")
        for g in grants
    )


def data_quality(package: dict[str, Any]) -> dict[str, int]:
    """Each check that flags something, with how many it flags."""
    grants = package["grants"]
    found = {name: check(grants) for name, check in {**QUALITY, **USEFULNESS}.items()}
    return {name: n for name, n in found.items() if n}
