"""The year-end as of a day and as known at a moment: holdbacks retained, the agreements
ending and the results reports overdue are those of the facts the moment keeps, the
deadlines worked out on its day; a back-dated amendment changes the day but not what
was known before it was recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api import Api


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None) -> Api:
    return Api(client, as_)


def year_end(api: Api, fiscal_year: str, query: str) -> Any:
    return api.get(
        f"/api/views/year-end?fiscal_year={fiscal_year}&min_position={api.position()}&{query}"
    )


def test_holdbacks_and_deadlines_answer_as_of_a_day_and_as_known_at_a_moment(api: Api) -> None:
    program_id = api.program({"2022-23": 100_000_00})
    # Signed 2021-06-01, running to 2023-03-31, a tenth held back.
    project_id = api.under_agreement(program_id, {"2022-23": 50_000_00}, holdback_percent=10)
    known = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    # Recorded now, in effect from January 2022: worth $40,000, ending in February.
    api.post(
        f"/api/projects/{project_id}/amendments",
        {
            "cash_flow": [{"fiscal_year": "2022-23", "amount_cents": 40_000_00}],
            "end_on": "2023-02-28",
            "effective_on": "2022-01-10",
        },
    )

    def retained(query: str) -> int:
        figures: int = year_end(api, "2022-23", query)["totals"]["holdback_retained_cents"]
        return figures

    assert retained("") == 4_000_00
    assert retained("as_of=2022-12-15") == 4_000_00
    assert retained("as_of=2021-12-31") == 5_000_00
    assert retained(f"as_of=2022-12-15&known_at={known}") == 5_000_00
    assert retained(f"known_at={known}") == 5_000_00
    assert retained("as_of=2021-05-31") == 0  # not signed yet

    def ending(query: str) -> list[str]:
        report = year_end(api, "2022-23", query)
        return [due["project_id"] for due in report["agreements_ending"]]

    # Within 90 days of December 15 ends February 28, not March 31.
    assert ending("as_of=2022-12-15") == [project_id]
    assert ending(f"as_of=2022-12-15&known_at={known}") == []
    on_the_day = year_end(api, "2022-23", "as_of=2022-12-15")
    assert on_the_day["deadlines_as_of"] == "2022-12-15"
    assert on_the_day["agreements_ending"][0]["due_on"] == "2023-02-28"

    def overdue(query: str) -> list[tuple[str, str]]:
        report = year_end(api, "2021-22", query)
        assert report["results_overdue_count"] == len(report["results_overdue"])
        return [(due["project_id"], due["due_on"]) for due in report["results_overdue"]]

    # 2021-22's results were due June 30, 2022, and never reported.
    assert overdue("as_of=2022-06-30") == []
    assert overdue("as_of=2022-07-01") == [(project_id, "2022-06-30")]
    assert overdue(f"as_of=2022-07-01&known_at={known}") == [(project_id, "2022-06-30")]
    # A department filter reads the award register's department.
    assert year_end(api, "2021-22", "as_of=2022-07-01&department=CBSA")["results_overdue"] == []
