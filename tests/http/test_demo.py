"""The demo reproduces the reports' figures, and the views show them through the API."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from grants import demo
from grants.bootstrap import Services

VICTIMS_FUND = "department=JUS&pillar=protection"


@pytest.mark.slow
def test_the_published_figures_read_back_through_the_api(
    services: Services, client: TestClient[Litestar], projections: None
) -> None:
    position = demo.load(services.grants, services.database_url)
    assert demo.load(services.grants, services.database_url) == position  # adds nothing
    assert services.grants.recorder.max_notification_id() == position

    def funding(year: str) -> dict[str, int]:
        answer = client.get(
            f"/api/views/funding-by-pillar?fiscal_year={year}&{VICTIMS_FUND}&min_position={position}",
            headers={"Authorization": f"Bearer {demo.token('sasha')}"},
        )
        assert answer.status_code == 200, answer.text
        totals: dict[str, int] = answer.json()["totals"]
        return totals

    # 004: $930,198 committed in 2020-21 across 11 projects.
    assert (funding("2020-21")["committed_cents"], funding("2020-21")["projects"]) == (
        93_019_800,
        11,
    )
    # 002: $2,503,754 to 10 projects in 2021-22 and 9 in 2022-23.
    assert (
        funding("2021-22")["committed_cents"] + funding("2022-23")["committed_cents"] == 250_375_400
    )
    assert (funding("2021-22")["projects"], funding("2022-23")["projects"]) == (10, 9)

    named = {
        "Salvation Army": (48_519_100, {"2020-21", "2021-22", "2022-23"}),
        "Envision": (27_970_400, {"2019-20", "2020-21", "2021-22"}),
        "NOW": (45_000_000, {"2019-20", "2020-21", "2021-22", "2022-23"}),
    }
    headers = {"Authorization": f"Bearer {demo.token('olivia')}"}
    for recipient, (cents, years) in named.items():
        found = client.get(f"/api/projects?recipient={recipient}", headers=headers).json()["items"]
        assert len(found) == 1 and found[0]["committed_cents"] == cents
        project = client.get(f"/api/projects/{found[0]['project_id']}", headers=headers).json()
        assert {line["fiscal_year"] for line in project["cash_flow"]} == years

    outcomes = client.get("/api/views/outcomes-by-pillar?fiscal_year=2020-21", headers=headers)
    hotline = {row["indicator"]: row["total"] for row in outcomes.json()["rows"]}
    assert hotline == {
        "victims_identified": 76,
        "referrals": 135,
        "tips_to_law_enforcement": 40,
        "partnerships": 900,
    }
