"""The fiscal year-end: per program what was allocated, committed and paid and what is
left, and the deadlines the nightly job works out as of a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from grants.bootstrap import Services
from grants.finance import deadlines
from tests.api import Api


def test_what_is_left_at_year_end_and_what_falls_due(
    services: Services,
    client: TestClient[Litestar],
    as_: dict[str, dict[str, str]],
    projections: None,
) -> None:
    api = Api(client, as_)
    program_id = api.program({"2021-22": 100_000_00, "2022-23": 100_000_00})
    # Holds back 10% of $50,000 until its final report; ends March 31, 2023.
    held = api.under_agreement(program_id, {"2021-22": 20_000_00, "2022-23": 30_000_00})
    api.pay(held, "2021-22", 15_000_00, "PAY-1")
    api.post(
        f"/api/projects/{held}/payment-requests",
        {"fiscal_year": "2021-22", "amount_cents": 2_000_00, "effective_on": "2022-03-01"},
    )
    api.approved(program_id, {"2022-23": 10_000_00})
    api.indicators("survivors_served")
    api.post(
        f"/api/projects/{held}/results",
        {"fiscal_year": "2021-22", "indicators": {"survivors_served": 12},
         "effective_on": "2022-05-01"},
    )  # fmt: skip
    position = api.position()

    def year_end(year: str) -> Any:
        return api.get(f"/api/views/year-end?fiscal_year={year}&min_position={position}")

    first = year_end("2021-22")
    [program] = first["programs"]
    assert {k: v for k, v in program.items() if k.endswith("_cents")} == {
        "allocation_cents": 100_000_00,
        "committed_cents": 20_000_00,
        "disbursed_cents": 15_000_00,
        "uncommitted_cents": 80_000_00,
        "unpaid_cents": 5_000_00,
        "payable_at_year_end_cents": 2_000_00,  # certified, releasable until April 30
        "holdback_retained_cents": 0,  # the agreement ends next year
        "lapsing_cents": 3_000_00,
    }
    second = year_end("2022-23")
    [program] = second["programs"]
    assert (program["committed_cents"], program["holdback_retained_cents"]) == (
        40_000_00,
        5_000_00,
    )
    assert first["totals"]["lapsing_cents"] == 3_000_00

    assert year_end("2022-23")["deadlines_as_of"] is None  # never worked out yet
    # As of August 1, 2022: the 2021-22 results came in; nothing ends within 90 days.
    assert deadlines.refresh(services.pool, services.views.awards, date(2022, 8, 1)) == 0
    assert year_end("2022-23")["deadlines_as_of"] == "2022-08-01"
    # As of January 15, 2023: the agreement ends March 31, within 90 days.
    assert deadlines.refresh(services.pool, services.views.awards, date(2023, 1, 15)) == 1
    due = year_end("2022-23")
    assert due["deadlines_as_of"] == "2023-01-15"
    assert [(d["kind"], d["project_id"], d["due_on"]) for d in due["agreements_ending"]] == [
        ("agreement_ending", held, "2023-03-31")
    ]
    # As of August 1, 2023: the 2022-23 results are a month overdue.
    deadlines.refresh(services.pool, services.views.awards, date(2023, 8, 1))
    overdue = year_end("2022-23")["results_overdue"]
    assert [(d["fiscal_year"], d["due_on"]) for d in overdue] == [("2022-23", "2023-06-30")]
