"""The performance story through HTTP: the Strategy team keeps its framework and plan
by commands under the same conventions as every other (roles, If-Match, Idempotency-Key,
problem details), and the view sets results against targets and plans against money."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api import Api

INDICATOR = {
    "expected_result": "victims_protected",
    "name_en": "Temporary resident permits to victims",
    "name_fr": "Permis de séjour temporaire aux victimes",
    "definition_en": "Permits issued to victims of trafficking in the fiscal year.",
    "definition_fr": "Permis délivrés aux victimes de la traite dans l'exercice.",
    "unit": "permits",
    "direction": "maintain",
    "data_source": "IRCC administrative data",
    "owner": "IRCC",
    "frequency": "annual",
    "baseline": 50,
    "baseline_on": "2019-03-31",
}


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None) -> Api:
    return Api(client, as_)


def put(api: Api, path: str, body: Any, who: str = "sasha", **headers: str) -> Any:
    return api.client.put(path, json=body, headers={**api.as_[who], **headers})


def framework(api: Api) -> None:
    api.post(
        "/api/performance/expected-results",
        {
            "code": "victims_protected",
            "pillar": "protection",
            "name_en": "Victims are protected",
            "name_fr": "Les victimes sont protégées",
        },
        who="sasha",
    )
    assert put(api, "/api/performance/indicators/permits", INDICATOR).status_code == 200


def test_a_missed_target_is_a_task_until_explained_in_both_languages(api: Api) -> None:
    framework(api)
    target = {"kind": "minimum", "low": 100}
    assert put(api, "/api/performance/indicators/permits/targets/2021-22", target).is_success
    result = {"department": "IRCC", "value": 81, "source": "002", "fiscal_year": "2021-22"}
    api.post("/api/performance/indicators/permits/results", result, who="sasha")
    answer = api.post(
        "/api/performance/indicators/permits/results", {**result, "value": 80}, who="sasha"
    )
    view = api.get(f"/api/views/performance?min_position={answer['position']}")
    [row] = view["indicators"]
    assert (row["code"], row["fiscal_year"], row["actual"], row["status"]) == (
        "permits",
        "2021-22",
        80,
        "not_met",
    )
    assert row["target"] == {"kind": "minimum", "low": 100, "high": 100, "achieve_by": "2022-03-31"}
    assert view["tasks"] == [{"code": "permits", "fiscal_year": "2021-22"}]

    explained = put(
        api,
        "/api/performance/indicators/permits/explanations/2021-22",
        {"explanation_en": "Fewer applications.", "explanation_fr": "Moins de demandes."},
    ).json()
    view = api.get(f"/api/views/performance?min_position={explained['position']}")
    assert view["tasks"] == []
    assert view["indicators"][0]["explanation_fr"] == "Moins de demandes."
    history = api.get("/api/performance/history")
    replaced = [e for e in history if e["type"] == "DepartmentalResultReported"][-1]
    assert (replaced["actor"], replaced["data"]["replaced"]) == ("sasha", 81)


def test_planned_spending_stands_beside_the_money_the_tracker_knows(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00})
    project_id = api.under_agreement(program_id, {"2021-22": 60_000_00})
    api.pay(project_id, "2021-22", 25_000_00, "PAY-1")
    line = {"department": "JUS", "pillar": "protection", "fiscal_year": "2021-22"}
    api.post("/api/performance/planned-spending", {**line, "amount_cents": 1_000_000_00}, "sasha")
    reported = api.post(
        "/api/performance/spending-reports",
        {**line, "department": "IRCC", "amount_cents": 400_000_00, "source": "DRR 2021-22"},
        "sasha",
    )
    view = api.get(f"/api/views/performance?min_position={reported['position']}")
    spending = {row["department"]: row for row in view["spending"]}
    assert spending["JUS"] == {
        **line,
        "planned_cents": 1_000_000_00,
        "allocated_cents": 100_000_00,
        "committed_cents": 60_000_00,
        "spent_cents": 25_000_00,
        "disbursed_cents": 25_000_00,
        "reported_cents": None,
    }
    assert spending["IRCC"]["spent_cents"] == 400_000_00
    only = api.get("/api/views/performance?department=IRCC&fiscal_year=2021-22")
    assert [row["department"] for row in only["spending"]] == ["IRCC"]


def test_the_view_answers_as_of_a_day_and_as_known_at_a_moment(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00})
    project_id = api.under_agreement(program_id, {"2021-22": 60_000_00})
    api.pay(project_id, "2021-22", 25_000_00, "PAY-1")  # paid 2021-09-15
    line = {"department": "JUS", "pillar": "protection", "fiscal_year": "2021-22"}
    api.post(
        "/api/performance/planned-spending",
        {**line, "amount_cents": 1_000_000_00, "effective_on": "2021-04-01"},
        "sasha",
    )
    known = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    # Recorded now, in effect from July 2021: the plan was $900,000 from then on.
    api.post(
        "/api/performance/planned-spending",
        {**line, "amount_cents": 900_000_00, "reason": "cut", "effective_on": "2021-07-01"},
        "sasha",
    )

    def jus(query: str) -> tuple[int, int, int]:
        view = api.get(f"/api/views/performance?min_position={api.position()}&{query}")
        row = next(r for r in view["spending"] if r["department"] == "JUS")
        return row["planned_cents"], row["committed_cents"], row["spent_cents"]

    assert jus("") == (900_000_00, 60_000_00, 25_000_00)
    assert jus("as_of=2021-08-01") == (900_000_00, 60_000_00, 0)
    assert jus("as_of=2021-06-30") == (1_000_000_00, 60_000_00, 0)
    assert jus(f"as_of=2021-08-01&known_at={known}") == (1_000_000_00, 60_000_00, 0)
    assert jus(f"known_at={known}") == (1_000_000_00, 60_000_00, 25_000_00)
    refused = api.client.get("/api/views/performance?as_of=2021-13-01", headers=api.as_["sasha"])
    assert refused.status_code == 422 and "as_of" in refused.text


def test_the_strategy_team_keeps_the_framework_under_every_command_convention(api: Api) -> None:
    framework(api)
    body = {"kind": "range", "low": 50, "high": 90}
    path = "/api/performance/indicators/permits/targets/2022-23"
    refused = put(api, path, body, who="olivia")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden_role")
    version = api.client.get("/api/performance/framework", headers=api.as_["sasha"])
    assert version.headers["etag"] == '"3"'
    first = put(api, path, body, **{"If-Match": '"3"', "Idempotency-Key": "k-1"})
    again = put(api, path, body, **{"If-Match": '"3"', "Idempotency-Key": "k-1"})
    assert first.json() == again.json()
    stale = put(api, path, body, **{"If-Match": '"3"'})
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")
    unknown = put(api, "/api/performance/indicators/nothing/targets/2022-23", body)
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_indicator")
    upside_down = put(api, path, {"kind": "range", "low": 90, "high": 50})
    assert (upside_down.status_code, upside_down.json()["field"]) == (422, "high")
    too_long = put(
        api,
        "/api/performance/indicators/permits/explanations/2022-23",
        {"explanation_en": "x" * 1001, "explanation_fr": "x"},
    )
    assert too_long.status_code == 422
