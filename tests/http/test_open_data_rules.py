"""Open data the publishers' own checks accept, whatever officers record: agreements and
amendments recorded through the API to reach what the demo never does (amendments
across the December 2025 rules, the $25,000 line, values the table refuses), then the
files checked by the portal's rules and 360Giving's data quality checks
(``tests/publishers.py``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api import PROGRAM, Api
from tests.http.test_api_refusals import refused
from tests.http.test_exports import read_csv, validate_360giving
from tests.publishers import data_quality, nil_violations, table_violations

NOW = {"legal_name": "NOW Canada Society", "province": "BC", "business_number": "123456789RR0001"}
DISCLOSURE = {
    "recipient_type": "N",
    "recipient_city": "Vancouver",
    "recipient_postal_code": "v6b 1a1",
    "federal_riding_name_en": "Vancouver Centre",
    "federal_riding_name_fr": "Vancouver-Centre",
    "federal_riding_number": "59036",
    "description_en": "Support for survivors of human trafficking.",
    "description_fr": "Soutien aux personnes survivantes de la traite.",
    "expected_results_en": "More survivors supported.",
    "expected_results_fr": "Plus de personnes survivantes soutenues.",
}
PUBLICATION = {
    "department_number": "004",
    "purpose_en": "To help victims.",
    "purpose_fr": "Aider les victimes.",
}


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None) -> Api:
    return Api(client, as_)


@pytest.fixture
def program_id(api: Api) -> str:
    program_id = api.program({"2025-26": 1_000_000_00, "2026-27": 1_000_000_00})
    publish(api, program_id, PUBLICATION)
    return program_id


def publish(api: Api, program_id: str, details: dict[str, str]) -> Any:
    return api.client.put(
        f"/api/programs/{program_id}/publication", json=details, headers=api.as_["olivia"]
    )


def approved(api: Api, program_id: str, flow: dict[str, int], recipient: dict[str, str]) -> str:
    project_id: str = api.post(
        "/api/projects",
        {
            "program_id": program_id,
            "recipient": recipient,
            "title_en": "The Essentials",
            "title_fr": "L'essentiel",
            "pillar": "protection",
            "requested_cents": sum(flow.values()),
            "effective_on": "2025-06-01",
        },
    )["id"]
    api.post(
        f"/api/projects/{project_id}/assessment",
        {"score": 82, "recommendation": "fund", "effective_on": "2025-06-10"},
    )
    api.post(
        f"/api/projects/{project_id}/approval",
        {
            "cash_flow": [{"fiscal_year": y, "amount_cents": c} for y, c in flow.items()],
            "effective_on": "2025-06-20",
        },
    )
    return project_id


def agreement(start_on: str, **disclosure: str) -> dict[str, Any]:
    return {
        "signed_on": start_on,
        "start_on": start_on,
        "end_on": "2027-03-31",
        "payment_basis": "reimbursement",
        "holdback_percent": 0,
        "disclosure": {**DISCLOSURE, **disclosure},
    }


def signed(
    api: Api,
    program_id: str,
    flow: dict[str, int],
    start_on: str,
    recipient: dict[str, str] = NOW,
    **disclosure: str,
) -> str:
    project_id = approved(api, program_id, flow, recipient)
    api.post(f"/api/projects/{project_id}/agreement", agreement(start_on, **disclosure))
    return project_id


def csv_rows(api: Api, path: str) -> list[dict[str, str]]:
    response = api.client.get(f"{path}&min_position={api.position()}", headers=api.as_["sasha"])
    assert response.status_code == 200, response.text
    return read_csv(response.text)[1]


def test_amendments_keep_the_initial_start_date_and_every_row_meets_the_table(
    api: Api, program_id: str
) -> None:
    # Signed before the December 2025 rules, without what they require, then amended to
    # start after: published under its initial start, to which those rules do not apply.
    before = signed(
        api,
        program_id,
        {"2025-26": 30_000_00},
        "2025-11-14",
        recipient_type="",
        expected_results_en="",
    )
    api.post(
        f"/api/projects/{before}/amendments",
        {
            "cash_flow": [{"fiscal_year": "2026-27", "amount_cents": 40_000_00}],
            "start_on": "2026-04-01",
            "effective_on": "2026-01-15",
        },
    )
    # The $25,000 line: an agreement of exactly $25,000 is not disclosed; amended to a
    # cent more, it is, as its amendment 1.
    line = signed(api, program_id, {"2025-26": 25_000_00}, "2025-12-01")
    api.post(
        f"/api/projects/{line}/amendments",
        {
            "cash_flow": [{"fiscal_year": "2025-26", "amount_cents": 25_000_01}],
            "effective_on": "2026-02-02",
        },
    )
    rows = csv_rows(api, "/api/exports/proactive-disclosure?fiscal_year=2025-26")

    assert [
        (
            r["amendment_number"],
            r["amendment_date"],
            r["agreement_start_date"],
            r["agreement_value"],
        )
        for r in rows
    ] == [
        ("0", "", "2025-11-14", "30000.00"),
        ("1", "2026-01-15", "2025-11-14", "40000.00"),
        ("1", "2026-02-02", "2025-12-01", "25000.01"),
    ]
    assert rows[2]["recipient_business_number"] == "123456789"
    assert rows[2]["recipient_postal_code"] == "V6B 1A1"
    assert rows[0]["ref_number"] == rows[1]["ref_number"] == "004-2025-2026-Q3-00001"
    later = csv_rows(api, "/api/exports/proactive-disclosure?fiscal_year=2026-27")
    assert later == []
    assert table_violations(rows + later) == []


def test_what_the_table_refuses_is_refused_when_recorded_and_nothing_is_stored(
    api: Api, program_id: str
) -> None:
    flow = {"2025-26": 30_000_00}
    for recipient, field in (
        ({**NOW, "country": "UK"}, "recipient.country"),
        (
            {"legal_name": "Polaris Project", "province": "ON", "country": "US"},
            "recipient.province",
        ),
    ):
        problem = refused(
            api,
            422,
            "invalid_value",
            lambda r=recipient: api.client.post(  # type: ignore[misc]
                "/api/projects",
                json={
                    "program_id": program_id,
                    "recipient": r,
                    "title_en": "T",
                    "title_fr": "T",
                    "pillar": "protection",
                    "requested_cents": 1,
                    "effective_on": "2025-06-01",
                },
                headers=api.as_["olivia"],
            ),
        )
        assert problem["field"] == field
    leading_zero = approved(api, program_id, flow, {**NOW, "business_number": "012345678"})
    project_id = approved(api, program_id, flow, NOW)
    for target, terms, field in (
        (project_id, agreement("2025-12-01", federal_riding_number="01234"),
         "disclosure.federal_riding_number"),
        (project_id, agreement("2025-12-01", federal_riding_name_fr=""),
         "disclosure.federal_riding_name_fr"),
        (leading_zero, agreement("2025-12-01"), "recipient.business_number"),
    ):  # fmt: skip
        problem = refused(
            api,
            422,
            "invalid_value",
            lambda t=target, body=terms: api.client.post(  # type: ignore[misc]
                f"/api/projects/{t}/agreement", json=body, headers=api.as_["olivia"]
            ),
        )
        assert problem["field"] == field
    # Before December 2025, a business number with a leading zero is still published.
    api.post(f"/api/projects/{leading_zero}/agreement", agreement("2025-11-30"))
    api.post(f"/api/projects/{project_id}/agreement", agreement("2025-12-01"))
    problem = refused(
        api,
        409,
        "agreement_not_signed",
        lambda: api.client.post(
            f"/api/projects/{project_id}/amendments",
            json={"end_on": "2027-01-31", "effective_on": "2025-11-30"},
            headers=api.as_["olivia"],
        ),
    )
    assert "2025-12-01" in problem["detail"]


def test_a_department_has_one_number_and_a_number_one_department(api: Api, program_id: str) -> None:
    other = api.post("/api/programs", {**PROGRAM, "department": "PS", "name_en": "Hotline"})["id"]
    problem = refused(api, 409, "department_number_taken", lambda: publish(api, other, PUBLICATION))
    assert problem["field"] == "department_number"
    assert "Victims Fund" in problem["detail"]
    assert publish(api, other, {**PUBLICATION, "department_number": "005"}).status_code == 200
    second = api.post("/api/programs", {**PROGRAM, "name_en": "Second fund"})["id"]
    problem = refused(
        api,
        409,
        "department_number_taken",
        lambda: publish(api, second, {**PUBLICATION, "department_number": "013"}),
    )
    assert "004" in problem["detail"]
    assert publish(api, second, PUBLICATION).status_code == 200


def test_quarters_with_nothing_to_disclose_are_nil_records(api: Api, program_id: str) -> None:
    signed(api, program_id, {"2025-26": 30_000_00}, "2025-11-14")
    rows = csv_rows(api, "/api/exports/proactive-disclosure-nil?fiscal_year=2025-26")
    assert rows == [
        {"fiscal_year": "2025-2026", "quarter": "Q1"},
        {"fiscal_year": "2025-2026", "quarter": "Q2"},
        {"fiscal_year": "2025-2026", "quarter": "Q4"},
    ]
    assert nil_violations(rows) == []
    # Another department disclosed nothing at all that year.
    others = csv_rows(
        api, "/api/exports/proactive-disclosure-nil?fiscal_year=2025-26&department=PS"
    )
    assert [row["quarter"] for row in others] == ["Q1", "Q2", "Q3", "Q4"]


def test_the_360giving_package_passes_the_data_quality_checks(api: Api, program_id: str) -> None:
    signed(api, program_id, {"2025-26": 30_000_00}, "2025-11-14")
    signed(
        api,
        program_id,
        {"2025-26": 50_000_00},
        "2025-12-01",
        recipient={"legal_name": "UNODC", "province": "", "country": "AT"},
        recipient_postal_code="",
        federal_riding_name_en="",
        federal_riding_name_fr="",
        federal_riding_number="",
    )
    response = api.client.get(
        f"/api/exports/360giving?department=JUS&min_position={api.position()}",
        headers=api.as_["sasha"],
    )
    assert response.status_code == 200, response.text
    package = json.loads(response.text)
    validate_360giving(package)
    grants = package["grants"]
    # Only what no register identifies is left: a recipient without a business number
    # gets the publisher's own identifier, and none has a UK company or charity number.
    assert data_quality(package) == {
        "RecipientOrg360GPrefix": 1,
        "NoRecipientOrgCompanyCharityNumber": 2,
    }
    assert {g["fundingOrganization"][0]["id"] for g in grants} == {"CA-GOV-004"}
    recipients = {
        g["recipientOrganization"][0]["name"]: (
            g["recipientOrganization"][0]["id"],
            g["beneficiaryLocation"][0]["geoCode"],
        )
        for g in grants
    }
    assert recipients == {
        "NOW Canada Society": ("CA-CRA_ACR-123456789", "CA-BC"),
        "UNODC": ("360G-CA-NSCHT-unodc", "AT"),
    }
    assert all(g["dataSource"].endswith("/api/exports/360giving?department=JUS") for g in grants)
    empty = api.client.get("/api/exports/360giving?department=PS", headers=api.as_["sasha"])
    assert empty.status_code == 404
    assert empty.json()["code"] == "nothing_to_publish"
