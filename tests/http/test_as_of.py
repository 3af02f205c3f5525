"""The views through HTTP as of a day and as known at a moment, and a closed year's
statement, which later recoveries leave as it was at the close."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api import Api
from tests.http.test_fiscal_year_close import close


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None) -> Api:
    return Api(client, as_)


def funding(api: Api, query: str) -> Any:
    return api.get(f"/api/views/funding-by-pillar?min_position={api.position()}&{query}")


def test_the_views_answer_as_of_a_day_and_as_known_at_a_moment(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00})
    project_id = api.under_agreement(program_id, {"2021-22": 60_000_00})
    api.pay(project_id, "2021-22", 25_000_00, "PAY-1")
    known = datetime.now(UTC).isoformat()
    # Recorded now, effective in August: the project was worth $40,000 from then on.
    api.post(
        f"/api/projects/{project_id}/amendments",
        {
            "cash_flow": [{"fiscal_year": "2021-22", "amount_cents": 40_000_00}],
            "effective_on": "2021-08-01",
        },
    )
    today = funding(api, "fiscal_year=2021-22")
    assert today["totals"]["committed_cents"] == 40_000_00
    # Without as_of and known_at the answer is today's; with a day after everything, too.
    assert funding(api, "fiscal_year=2021-22&as_of=2030-01-01")["rows"] == today["rows"]
    july = funding(api, "fiscal_year=2021-22&as_of=2021-07-31")
    assert (july["totals"]["committed_cents"], july["totals"]["disbursed_cents"]) == (
        60_000_00,
        0,
    )
    assert july["totals"]["projects"] == 1
    march = "as_of=2022-03-31&known_at=" + known.replace("+00:00", "Z")
    assert funding(api, march)["totals"]["committed_cents"] == 60_000_00
    assert funding(api, "as_of=2021-05-19")["rows"] == []

    # The allocation was set today, in effect from today: none in July 2021.
    commitments = api.get(f"/api/views/programs/{program_id}/commitments?as_of=2021-07-31")
    assert [(y["committed_cents"], y["allocation_cents"]) for y in commitments["years"]] == [
        (60_000_00, 0)
    ]
    year_end = api.get(f"/api/views/year-end?fiscal_year=2021-22&known_at={known[:26]}")
    assert year_end["known_at"] is not None
    assert year_end["totals"]["committed_cents"] == 60_000_00
    assert year_end["totals"]["disbursed_cents"] == 25_000_00

    project = api.get(f"/api/projects/{project_id}?as_of=2021-07-31")
    assert project["value_cents"] == 60_000_00
    assert api.get(f"/api/projects/{project_id}")["value_cents"] == 40_000_00
    history = api.get(f"/api/projects/{project_id}/history?as_of=2021-05-31")
    assert [entry["type"] for entry in history] == [
        "ApplicationReceived",
        "ApplicationAssessed",
        "ApplicationApproved",
    ]
    missing = api.client.get(
        f"/api/projects/{project_id}?as_of=2021-04-30", headers=api.as_["sasha"]
    )
    assert missing.status_code == 404


def test_a_closed_years_statement_stays_as_it_was_at_the_close(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00})
    project_id = api.under_agreement(program_id, {"2021-22": 40_000_00}, holdback_percent=0)
    api.pay(project_id, "2021-22", 30_000_00, "PAY-1")
    assert api.get("/api/fiscal-years/2021-22")["closing_statement"] is None
    assert close(api, "2021-22").status_code == 201
    api.post(
        f"/api/projects/{project_id}/recoveries",
        {"fiscal_year": "2021-22", "amount_cents": 1_000_00, "payment_ref": "REC-1"},
        who="fiona",
    )

    year = api.get(f"/api/fiscal-years/2021-22?min_position={api.position()}")
    assert year["closed"] is True
    assert [c["closed"] for c in year["history"]] == [True]
    statement = year["closing_statement"]
    assert statement["closed_by"] == "fiona"
    assert statement["totals"] == {
        "committed_cents": 30_000_00,
        "disbursed_cents": 30_000_00,
        "outstanding_cents": 0,
        "lapsed_cents": 10_000_00,
        "projects": 1,
    }
    # The recovery after the close lapsed in the year's funding, not in its statement.
    assert funding(api, "fiscal_year=2021-22")["totals"]["lapsed_cents"] == 11_000_00
