"""A fact is recorded on the day it happens: no payment released, request certified or
decision taken on a day still to come, and no payment asked of a fiscal year before it
begins. Each refusal names its field, and nothing is stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api import Api
from tests.http.test_api_refusals import refused

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]]) -> Api:
    return Api(client, as_)


def test_a_payment_released_tomorrow_is_refused_by_its_day(api: Api) -> None:
    project_id = api.under_agreement(api.program({"2021-22": 100_000_00}), {"2021-22": 50_000_00})
    request_id = api.post(
        f"/api/projects/{project_id}/payment-requests",
        {"fiscal_year": "2021-22", "amount_cents": 10_000_00, "effective_on": "2021-09-01"},
    )["id"]
    problem = refused(
        api,
        422,
        "invalid_dates",
        lambda: api.client.post(
            f"/api/projects/{project_id}/disbursements",
            json={"payment_request_id": request_id, "payment_ref": "P-1", "paid_on": TOMORROW},
            headers=api.as_["fiona"],
        ),
    )
    assert problem["field"] == "paid_on"
    assert "is in the future" in problem["detail"]


def test_a_decision_dated_tomorrow_is_refused_by_its_day(api: Api) -> None:
    project_id = api.application(api.program({"2021-22": 100_000_00}))
    problem = refused(
        api,
        422,
        "invalid_dates",
        lambda: api.client.post(
            f"/api/projects/{project_id}/assessment",
            json={"score": 80, "recommendation": "fund", "effective_on": TOMORROW},
            headers=api.as_["olivia"],
        ),
    )
    assert problem["field"] == "effective_on"


def test_next_year_s_payment_cannot_be_requested_before_that_year_begins(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00, "2022-23": 100_000_00})
    project_id = api.under_agreement(program_id, {"2021-22": 50_000_00, "2022-23": 50_000_00})
    problem = refused(
        api,
        422,
        "invalid_dates",
        lambda: api.client.post(
            f"/api/projects/{project_id}/payment-requests",
            json={"fiscal_year": "2022-23", "amount_cents": 1_00, "effective_on": "2022-03-31"},
            headers=api.as_["olivia"],
        ),
    )
    assert problem["field"] == "fiscal_year"
    assert (
        problem["detail"] == "2022-23 has not begun: its payments can be requested from 2022-04-01"
    )
    # From its first day, it can.
    api.post(
        f"/api/projects/{project_id}/payment-requests",
        {"fiscal_year": "2022-23", "amount_cents": 1_00, "effective_on": "2022-04-01"},
    )
