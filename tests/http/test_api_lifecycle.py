"""A project's whole life through HTTP, on real PostgreSQL, and what the API answers."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from tests.api import Api


def test_a_whole_life_through_the_api(
    client: TestClient[Litestar], as_: dict[str, dict[str, str]]
) -> None:
    api = Api(client, as_)
    program_id = api.program({"2021-22": 500_000_00, "2022-23": 500_000_00})
    call_id = api.post(
        "/api/calls",
        {
            "program_id": program_id,
            "title_en": "Human trafficking envelope",
            "title_fr": "Enveloppe de la traite des personnes",
            "pillar": "protection",
            "opens_on": "2021-04-01",
            "closes_on": "2021-06-30",
            "budget_cents": 1_000_000_00,
        },
    )["id"]
    project_id = api.post(
        "/api/projects",
        {
            "program_id": program_id,
            "call_id": call_id,
            "recipient": {
                "legal_name": "Salvation Army",
                "province": "ON",
                "business_number": "107951618RR0001",
            },
            "title_en": "Illuminate",
            "title_fr": "Illuminer",
            "pillar": "protection",
            "requested_cents": 485_191_00,
            "effective_on": "2021-05-01",
        },
    )["id"]
    base = f"/api/projects/{project_id}"
    api.post(
        f"{base}/assessment", {"score": 88, "recommendation": "fund", "effective_on": "2021-05-15"}
    )
    approval = api.post(
        f"{base}/approval",
        {
            "effective_on": "2021-05-20",
            "cash_flow": [
                {"fiscal_year": "2021-22", "amount_cents": 250_000_00},
                {"fiscal_year": "2022-23", "amount_cents": 235_191_00},
            ],
        },
    )
    assert approval["version"] == 3 and approval["position"] > 0
    api.post(
        f"{base}/agreement",
        {
            "signed_on": "2021-06-01",
            "start_on": "2021-06-01",
            "end_on": "2023-03-31",
            "payment_basis": "reimbursement",
            "holdback_percent": 10,
            "disclosure": {
                "recipient_city": "Ottawa",
                "description_en": "Support for survivors of human trafficking.",
                "description_fr": "Soutien aux personnes survivantes de la traite.",
            },
        },
    )
    api.pay(project_id, "2021-22", 250_000_00, "PAY-2021-001")
    api.pay(project_id, "2022-23", 150_000_00, "PAY-2022-001")
    api.post(
        f"{base}/recoveries",
        {
            "fiscal_year": "2022-23",
            "amount_cents": 1_000_00,
            "payment_ref": "REC-2022-001",
            "effective_on": "2022-11-01",
        },
        who="fiona",
    )
    api.indicators("survivors_served", "referrals")
    api.post(
        f"{base}/results",
        {
            "fiscal_year": "2022-23",
            "effective_on": "2023-03-01",
            "indicators": {"survivors_served": 140, "referrals": 60},
        },
    )
    api.post(f"{base}/final-report", {"effective_on": "2023-03-15"})
    holdback = api.post(
        f"{base}/payment-requests",
        {
            "fiscal_year": "2022-23",
            "kind": "holdback",
            "amount_cents": 48_519_10,
            "effective_on": "2023-03-16",
        },
    )
    api.post(
        f"{base}/disbursements",
        {
            "payment_request_id": holdback["id"],
            "payment_ref": "PAY-2022-002",
            "paid_on": "2023-03-20",
        },
        who="frank",
    )
    api.post(f"{base}/closeout", {"effective_on": "2023-03-31"})

    project = api.get(base)
    assert project["status"] == "closed"
    assert project["value_cents"] == 447_519_10  # what was paid; the rest lapsed
    assert project["disbursed_cents"] == 250_000_00 + 150_000_00 - 1_000_00 + 48_519_10
    program = api.get(f"/api/programs/{program_id}")
    committed = {y["fiscal_year"]: y["committed_cents"] for y in program["years"]}
    assert committed == {"2021-22": 250_000_00, "2022-23": 197_519_10}

    history = api.get(f"{base}/history")
    assert [entry["type"] for entry in history] == [
        "ApplicationReceived",
        "ApplicationAssessed",
        "ApplicationApproved",
        "AgreementSigned",
        "PaymentRequested",
        "DisbursementReleased",
        "PaymentRequested",
        "DisbursementReleased",
        "OverpaymentRecovered",
        "ResultsReported",
        "FinalReportAccepted",
        "PaymentRequested",
        "HoldbackReleased",
        "ProjectClosed",
    ]
    released = history[5]
    assert released["actor"] == "fiona" and released["effective_on"] == "2021-09-15"
    assert released["data"]["certified_by"] == "olivia"
    assert released["data"]["payment_ref"] == "PAY-2021-001"
    assert all(entry["recorded_at"] for entry in history)


def test_programs_and_calls_are_listed(
    client: TestClient[Litestar], as_: dict[str, dict[str, str]]
) -> None:
    api = Api(client, as_)
    program_id = api.program({"2021-22": 100})
    api.post(
        "/api/calls",
        {
            "program_id": program_id,
            "title_en": "Call",
            "title_fr": "Appel",
            "pillar": "protection",
            "opens_on": "2021-04-01",
            "closes_on": "2021-06-30",
            "budget_cents": 100,
        },
    )
    programs = api.get("/api/programs")
    assert [p["name_fr"] for p in programs] == ["Fonds d'aide aux victimes"]
    assert programs[0]["years"] == [
        {
            "fiscal_year": "2021-22",
            "allocation_cents": 100,
            "committed_cents": 0,
            "available_cents": 100,
        }
    ]
    assert [c["title_en"] for c in api.get(f"/api/calls?program_id={program_id}")] == ["Call"]


def test_the_api_describes_itself(client: TestClient[Litestar]) -> None:
    schema: dict[str, Any] = client.get("/schema/openapi.json").json()
    assert "/api/projects/{project_id}/disbursements" in schema["paths"]
    assert client.get("/schema").status_code == 200
    assert client.get("/health").json()["status"] == "ok"
