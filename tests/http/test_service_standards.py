"""Service standards measured from the events: an application acknowledged within 10
business days, a complete (assessed) application decided within 30 weeks, a complete
claim paid within 30 business days; weekends and federal holidays are not business
days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from grants.domain.service_standards import business_days
from tests.api import Api
from tests.http.test_api_refusals import refused


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None) -> Api:
    return Api(client, as_)


def received(api: Api, program_id: str, on: date) -> str:
    project_id: str = api.post(
        "/api/projects",
        {
            "program_id": program_id,
            "recipient": {"legal_name": "NOW Canada Society", "province": "BC"},
            "title_en": "The Essentials",
            "title_fr": "L'essentiel",
            "pillar": "protection",
            "requested_cents": 50_000_00,
            "effective_on": on.isoformat(),
        },
    )["id"]
    return project_id


def business_days_ago(count: int) -> date:
    day = date.today()
    while business_days(day, date.today()) < count:
        day -= timedelta(days=1)
    return day


def test_each_standard_is_measured_from_the_events(api: Api) -> None:
    program_id = api.program({"2021-22": 1_000_000_00})
    on_time, late, decided = (received(api, program_id, date(2021, 6, 24)) for _ in range(3))
    api.post(f"/api/projects/{on_time}/acknowledgement", {"effective_on": "2021-07-09"})
    api.post(f"/api/projects/{late}/acknowledgement", {"effective_on": "2021-07-12"})
    refused(
        api,
        409,
        "status_forbids",
        lambda: api.client.post(
            f"/api/projects/{late}/acknowledgement",
            json={"effective_on": "2021-07-13"},
            headers=api.as_["olivia"],
        ),
    )
    # A decision acknowledges an application not yet acknowledged.
    api.post(
        f"/api/projects/{decided}/assessment",
        {"score": 80, "recommendation": "fund", "effective_on": "2021-06-28"},
    )
    api.post(
        f"/api/projects/{decided}/approval",
        {
            "cash_flow": [{"fiscal_year": "2021-22", "amount_cents": 50_000_00}],
            "effective_on": "2021-06-30",
        },
    )
    api.post(
        f"/api/projects/{decided}/agreement",
        {
            "signed_on": "2021-07-02",
            "start_on": "2021-07-02",
            "end_on": "2022-03-31",
            "payment_basis": "reimbursement",
            "holdback_percent": 0,
            "disclosure": {
                "recipient_city": "Vancouver",
                "description_en": "Support for survivors.",
                "description_fr": "Soutien aux personnes survivantes.",
            },
        },
    )
    request = api.post(
        f"/api/projects/{decided}/payment-requests",
        {
            "fiscal_year": "2021-22",
            "amount_cents": 10_000_00,
            "claim_received_on": "2021-07-15",
            "effective_on": "2021-08-20",
        },
    )["id"]
    api.post(
        f"/api/projects/{decided}/disbursements",
        {"payment_request_id": request, "payment_ref": "PAY-1", "paid_on": "2021-08-27"},
        who="fiona",
    )
    report = api.get(
        f"/api/views/service-standards?fiscal_year=2021-22&program_id={program_id}"
        f"&min_position={api.position()}"
    )
    figures = {
        row["standard"]: (
            row["cases"],
            row["met"],
            row["percent_met"],
            row["median_business_days"],
            row["target_percent"],
        )
        for row in report["rows"]
    }
    assert figures == {
        "acknowledgement": (3, 2, 66.7, 10, 80),
        "decision": (1, 1, 100.0, 2, 80),
        "payment": (1, 0, 0.0, 31, 80),
    }
    # A program's own standard replaces the published one.
    response = api.client.put(
        f"/api/programs/{program_id}/service-standards/payment",
        json={"within": 35, "unit": "business_days", "target_percent": 90},
        headers=api.as_["olivia"],
    )
    assert response.status_code == 200, response.text
    payment = next(
        row
        for row in api.get(
            "/api/views/service-standards?fiscal_year=2021-22&quarter=2"
            f"&min_position={response.json()['position']}"
        )["rows"]
        if row["standard"] == "payment" and row["program_id"] == program_id
    )
    assert (payment["within"], payment["met"], payment["target_percent"]) == (35, 1, 90)


def test_the_running_cases_about_to_miss_their_standard_are_listed(api: Api) -> None:
    year = f"{date.today().year - (date.today().month < 4)}"
    program_id = api.program({})
    soon = received(api, program_id, business_days_ago(7))
    overdue = received(api, program_id, business_days_ago(12))
    received(api, program_id, business_days_ago(2))  # due in eight business days
    fiscal_year = f"{year}-{(int(year) + 1) % 100:02d}"
    report: Any = api.get(
        f"/api/views/service-standards?fiscal_year={fiscal_year}&min_position={api.position()}"
    )
    assert [(case["project_id"], case["overdue"]) for case in report["at_risk"]] == [
        (overdue, True),
        (soon, False),
    ]
