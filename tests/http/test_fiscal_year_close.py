"""Closing a fiscal year: finance closes it once its payables are over, what it
committed and did not pay lapses, and nothing changes it until an admin reopens it."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api import Api
from tests.http.test_api_refusals import refused


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None) -> Api:
    return Api(client, as_)


def close(api: Api, year: str, who: str = "fiona", on: str = "2022-05-02") -> Any:
    return api.client.post(
        f"/api/fiscal-years/{year}/close", json={"effective_on": on}, headers=api.as_[who]
    )


def committed(api: Api, program_id: str, year: str) -> int:
    path = f"/api/views/programs/{program_id}/commitments?min_position={api.position()}"
    return sum(
        row["committed_cents"] for row in api.get(path)["years"] if row["fiscal_year"] == year
    )


def test_closing_lapses_what_was_not_paid_and_closes_the_year_to_changes(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00, "2022-23": 100_000_00})
    project_id = api.under_agreement(
        program_id, {"2021-22": 40_000_00, "2022-23": 10_000_00}, holdback_percent=0
    )
    api.pay(project_id, "2021-22", 30_000_00, "PAY-1")
    request = api.post(
        f"/api/projects/{project_id}/payment-requests",
        {"fiscal_year": "2021-22", "amount_cents": 5_000_00, "effective_on": "2022-03-01"},
    )["id"]
    # Not before the payables at year-end are over, nor while a request awaits release.
    problem = refused(api, 409, "period_open", lambda: close(api, "2021-22", on="2022-04-30"))
    assert "2022-04-30" in problem["detail"]
    refused(api, 409, "payments_pending", lambda: close(api, "2021-22"))
    refused(api, 403, "forbidden_role", lambda: close(api, "2021-22", who="olivia"))
    api.post(
        f"/api/projects/{project_id}/disbursements",
        {"payment_request_id": request, "payment_ref": "PAY-2", "paid_on": "2022-04-20"},
        who="fiona",
    )
    assert close(api, "2021-22").status_code == 201

    # $5,000 of 2021-22 was neither paid nor certified: it lapsed.
    assert committed(api, program_id, "2021-22") == 35_000_00
    project = api.get(f"/api/projects/{project_id}")
    assert [(y["fiscal_year"], y["amount_cents"]) for y in project["cash_flow"]] == [
        ("2021-22", 35_000_00),
        ("2022-23", 10_000_00),
    ]
    lapse = api.get(f"/api/projects/{project_id}/history")[-1]
    assert (lapse["type"], lapse["actor"], lapse["data"]) == (
        "CommitmentLapsed",
        "fiona",
        {"fiscal_year": "2021-22", "amount_cents": 5_000_00},
    )
    books = api.get("/api/fiscal-years")
    assert books["closed"] == ["2021-22"]
    assert books["history"][0]["actor"] == "fiona"

    # What would change the year is refused; the next year goes on.
    for send in (
        lambda: api.client.put(
            f"/api/programs/{program_id}/allocations/2021-22",
            json={"amount_cents": 200_000_00},
            headers=api.as_["olivia"],
        ),
        lambda: api.client.post(
            f"/api/projects/{project_id}/amendments",
            json={"end_on": "2023-03-30", "effective_on": "2022-03-15"},
            headers=api.as_["olivia"],
        ),
    ):
        problem = refused(api, 409, "period_closed", send)
        assert "2021-22" in problem["detail"]
    # A request dated back into the closed year is for a year that had not begun then.
    problem = refused(
        api,
        422,
        "invalid_dates",
        lambda: api.client.post(
            f"/api/projects/{project_id}/payment-requests",
            json={"fiscal_year": "2022-23", "amount_cents": 1_00, "effective_on": "2022-03-20"},
            headers=api.as_["olivia"],
        ),
    )
    assert "2022-23 has not begun" in problem["detail"]
    api.pay(project_id, "2022-23", 10_000_00, "PAY-3")
    # A recovery of the closed year is taken, and lapses.
    api.post(
        f"/api/projects/{project_id}/recoveries",
        {"fiscal_year": "2021-22", "amount_cents": 1_000_00, "payment_ref": "REC-1"},
        who="fiona",
    )
    assert committed(api, program_id, "2021-22") == 34_000_00
    refused(api, 409, "period_closed", lambda: close(api, "2021-22"))
    # The dashboard's figures: nothing outstanding in the closed year, what lapsed shown.
    funding = api.get(
        f"/api/views/funding-by-pillar?fiscal_year=2021-22&min_position={api.position()}"
    )["totals"]
    assert (funding["outstanding_cents"], funding["lapsed_cents"]) == (0, 6_000_00)


def test_an_admin_reopens_a_closed_year_with_a_reason(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00})
    assert close(api, "2021-22").status_code == 201

    def allocate() -> Any:
        return api.client.put(
            f"/api/programs/{program_id}/allocations/2021-22",
            json={"amount_cents": 200_000_00},
            headers=api.as_["olivia"],
        )

    def reopen(reason: str, who: str = "ada") -> Any:
        return api.client.post(
            "/api/fiscal-years/2021-22/reopen", json={"reason": reason}, headers=api.as_[who]
        )

    refused(api, 409, "period_closed", allocate)
    refused(api, 403, "forbidden_role", lambda: reopen("a late invoice", who="fiona"))
    assert refused(api, 422, "invalid_field", lambda: reopen(" "))["field"] == "reason"
    assert reopen("A late invoice from the hotline.").status_code == 201
    assert allocate().status_code == 200
    history = api.get("/api/fiscal-years")["history"]
    assert [(h["closed"], h["actor"], h["reason"]) for h in history] == [
        (True, "fiona", ""),
        (False, "ada", "A late invoice from the hotline."),
    ]
    refused(api, 409, "period_open", lambda: reopen("again"))
