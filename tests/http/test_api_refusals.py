"""Each refusal answers the right status and code, names the field where one is to
blame, and stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from grants.application import Grants
from grants.bootstrap import Services
from tests.api import Api

Send = Callable[[Api, str, str], Any]


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]]) -> Api:
    return Api(client, as_)


def refused(api: Api, status: int, code: str, send: Callable[[], Any]) -> dict[str, Any]:
    """Sends a command that must be refused, and checks the store did not move."""
    before = api.position()
    response = send()
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code, problem
    assert problem["status"] == status
    assert api.position() == before, "a refused command stored an event"
    return problem


def test_an_approval_over_the_allocation_is_refused(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00})
    api.approved(program_id, {"2021-22": 80_000_00})
    project_id = api.application(program_id, 30_000_00)
    api.post(
        f"/api/projects/{project_id}/assessment",
        {"score": 75, "recommendation": "fund", "effective_on": "2021-05-10"},
    )
    problem = refused(
        api,
        409,
        "allocation_exceeded",
        lambda: api.client.post(
            f"/api/projects/{project_id}/approval",
            json={
                "cash_flow": [{"fiscal_year": "2021-22", "amount_cents": 20_000_01}],
                "effective_on": "2021-05-20",
            },
            headers=api.as_["olivia"],
        ),
    )
    assert problem["field"] == "cash_flow"
    assert api.get(f"/api/projects/{project_id}")["status"] == "assessed"


@pytest.fixture
def project_id(api: Api) -> str:
    program_id = api.program({"2021-22": 100_000_00, "2022-23": 100_000_00})
    return api.under_agreement(
        program_id, {"2021-22": 60_000_00, "2022-23": 40_000_00}, holdback_percent=10
    )


def request(api: Api, project_id: str, year: str, cents: int, who: str = "olivia") -> Any:
    return api.client.post(
        f"/api/projects/{project_id}/payment-requests",
        json={"fiscal_year": year, "amount_cents": cents, "effective_on": f"{year[:4]}-10-01"},
        headers=api.as_[who],
    )


def test_a_payment_over_the_years_cash_flow_is_refused(api: Api, project_id: str) -> None:
    api.pay(project_id, "2021-22", 50_000_00, "PAY-1")
    refused(api, 409, "cash_flow_exceeded", lambda: request(api, project_id, "2021-22", 10_000_01))


def test_a_payment_into_the_holdback_before_the_final_report_is_refused(
    api: Api, project_id: str
) -> None:
    api.pay(project_id, "2021-22", 60_000_00, "PAY-1")
    api.pay(project_id, "2022-23", 30_000_00, "PAY-2")
    refused(api, 409, "holdback_not_released", lambda: request(api, project_id, "2022-23", 1))


def test_a_payment_before_the_agreement_is_refused(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00})
    project_id = api.approved(program_id, {"2021-22": 10_000_00})
    refused(api, 409, "agreement_not_signed", lambda: request(api, project_id, "2021-22", 1))


def test_a_payment_after_close_out_is_refused(api: Api, project_id: str) -> None:
    api.indicators("referrals")
    api.post(
        f"/api/projects/{project_id}/results",
        {"fiscal_year": "2021-22", "indicators": {"referrals": 12}},
    )
    api.post(f"/api/projects/{project_id}/final-report", {})
    api.post(f"/api/projects/{project_id}/closeout", {})
    refused(api, 409, "project_closed", lambda: request(api, project_id, "2021-22", 1))


def test_the_certifier_never_releases_the_payment(api: Api, project_id: str) -> None:
    request_id = request(api, project_id, "2021-22", 1_000_00, who="ada").json()["id"]
    problem = refused(
        api,
        403,
        "segregation_of_duties",
        lambda: api.client.post(
            f"/api/projects/{project_id}/disbursements",
            json={
                "payment_request_id": request_id,
                "payment_ref": "PAY-1",
                "paid_on": "2021-10-02",
            },
            headers=api.as_["ada"],
        ),
    )
    assert "ada certified this request" in problem["detail"]


@pytest.mark.parametrize(
    ("who", "path", "status", "code"),
    [
        ("olivia", "disbursements", 403, "forbidden_role"),
        ("sasha", "payment-requests", 403, "forbidden_role"),
        ("fiona", "payment-requests", 403, "forbidden_role"),
        ("nobody", "payment-requests", 401, "unauthenticated"),
        ("forged", "payment-requests", 401, "unauthenticated"),
    ],
)
def test_each_role_does_only_its_part(
    api: Api, project_id: str, who: str, path: str, status: int, code: str
) -> None:
    strangers = {"nobody": {}, "forged": {"Authorization": "Bearer not-a-token"}}
    headers = strangers[who] if who in strangers else api.as_[who]
    refused(
        api,
        status,
        code,
        lambda: api.client.post(
            f"/api/projects/{project_id}/{path}",
            json={"fiscal_year": "2021-22", "amount_cents": 1},
            headers=headers,
        ),
    )


def test_malformed_json_is_a_400(api: Api, project_id: str) -> None:
    refused(
        api,
        400,
        "malformed_request",
        lambda: api.client.post(
            f"/api/projects/{project_id}/payment-requests",
            content=b'{"fiscal_year": ',
            headers={**api.as_["olivia"], "Content-Type": "application/json"},
        ),
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fiscal_year": "2021-23", "amount_cents": 1}, "fiscal_year"),
        ({"fiscal_year": "2021-22", "amount_cents": "ten"}, "amount_cents"),
        ({"fiscal_year": "2021-22", "amount_cents": 1.5}, "amount_cents"),
        ({"fiscal_year": "2021-22"}, "amount_cents"),
        ({"fiscal_year": "2021-22", "amount_cents": 1, "amont": 1}, "amont"),
        ({"fiscal_year": "2021-22", "amount_cents": 0}, "amount_cents"),
        ({"fiscal_year": "2021-22", "amount_cents": 1, "kind": "gift"}, "kind"),
    ],
)
def test_an_invalid_field_is_a_422_that_names_it(
    api: Api, project_id: str, body: dict[str, Any], field: str
) -> None:
    problem = refused(
        api,
        422,
        problem_code(body),
        lambda: api.client.post(
            f"/api/projects/{project_id}/payment-requests", json=body, headers=api.as_["olivia"]
        ),
    )
    assert problem["field"] == field


def problem_code(body: dict[str, Any]) -> str:
    return "invalid_amount" if body.get("amount_cents") == 0 else "invalid_field"


def test_an_unknown_project_is_a_404_and_an_unknown_program_a_bad_field(api: Api) -> None:
    refused(
        api,
        404,
        "not_found",
        lambda: api.client.post(
            "/api/projects/00000000-0000-4000-8000-000000000000/assessment",
            json={"score": 1, "recommendation": "x"},
            headers=api.as_["olivia"],
        ),
    )
    problem = refused(
        api,
        422,
        "unknown_reference",
        lambda: api.client.post(
            "/api/projects",
            json={
                "program_id": "00000000-0000-4000-8000-000000000000",
                "recipient": {"legal_name": "X", "province": "ON"},
                "title_en": "X",
                "pillar": "protection",
                "requested_cents": 1,
            },
            headers=api.as_["olivia"],
        ),
    )
    assert problem["field"] == "program_id"


def test_a_stale_version_is_a_409(api: Api, project_id: str) -> None:
    api.indicators("referrals")
    version = api.get(f"/api/projects/{project_id}")["version"]
    api.client.post(
        f"/api/projects/{project_id}/results",
        headers=api.as_["olivia"],
        json={"fiscal_year": "2021-22", "indicators": {"referrals": 1}},
    )
    refused(
        api,
        409,
        "stale_version",
        lambda: api.client.post(
            f"/api/projects/{project_id}/results",
            json={"fiscal_year": "2021-22", "indicators": {"referrals": 2}},
            headers={**api.as_["olivia"], "If-Match": f'"{version}"'},
        ),
    )
    current = api.client.get(f"/api/projects/{project_id}", headers=api.as_["olivia"])
    answer = api.post(
        f"/api/projects/{project_id}/results",
        {"fiscal_year": "2021-22", "indicators": {"referrals": 2}},
        headers={"If-Match": current.headers["etag"]},
    )
    assert answer["version"] == version + 2


def _framework_read_before(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch, retired: str
) -> None:
    """The next report is decided on the framework as it was just before an indicator
    was retired."""
    stale = services.grants.framework()
    api.post(f"/api/performance/indicators/{retired}/retirement", {"reason": "Fewer."}, "sasha")
    read_again = Grants.framework
    first = iter([stale])
    monkeypatch.setattr(Grants, "framework", lambda self: next(first, None) or read_again(self))


@pytest.mark.parametrize("if_match", [False, True])
def test_a_report_decided_on_an_indicator_retired_meanwhile_is_decided_again(
    api: Api,
    project_id: str,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    if_match: bool,
) -> None:
    api.indicators("referrals", "old_output")
    version = api.get(f"/api/projects/{project_id}")["version"]
    _framework_read_before(api, services, monkeypatch, "old_output")
    # The project did not change: the version its officer saw holds, and the report is
    # refused for what did change, not taken for a stale read of the project.
    seen = {"If-Match": f'"{version}"'} if if_match else {}
    problem = refused(
        api,
        422,
        "unknown_indicator",
        lambda: api.client.post(
            f"/api/projects/{project_id}/results",
            json={"fiscal_year": "2021-22", "indicators": {"old_output": 2}},
            headers={**api.as_["olivia"], **seen},
        ),
    )
    assert problem["field"] == "indicators.old_output"


def test_a_report_with_the_version_seen_goes_in_when_only_the_framework_changed(
    api: Api, project_id: str, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.indicators("referrals", "old_output")
    version = api.get(f"/api/projects/{project_id}")["version"]
    _framework_read_before(api, services, monkeypatch, "old_output")
    answer = api.post(
        f"/api/projects/{project_id}/results",
        {"fiscal_year": "2021-22", "indicators": {"referrals": 2}},
        headers={"If-Match": f'"{version}"'},
    )
    assert answer["version"] == version + 1
    assert api.get(f"/api/projects/{project_id}")["version"] == version + 1


def test_results_name_only_indicators_the_framework_has_in_use(api: Api, project_id: str) -> None:
    def report(indicators: dict[str, int]) -> Any:
        return api.client.post(
            f"/api/projects/{project_id}/results",
            json={"fiscal_year": "2021-22", "indicators": indicators},
            headers=api.as_["olivia"],
        )

    problem = refused(api, 422, "unknown_indicator", lambda: report({"referrals": 1}))
    assert problem["field"] == "indicators"  # nothing in use yet
    api.indicators("referrals", "old_output")
    api.post("/api/performance/indicators/old_output/retirement", {"reason": "Fewer."}, "sasha")
    for code in ("old_output", "smiles"):
        problem = refused(
            api,
            422,
            "unknown_indicator",
            lambda code=code: report({"referrals": 1, code: 2}),  # type: ignore[misc]
        )
        assert problem["field"] == f"indicators.{code}"
        assert problem["figures"]["codes"] == ["referrals"]
        assert "(referrals)" in problem["detail"]
    api.post(
        f"/api/projects/{project_id}/results",
        {"fiscal_year": "2021-22", "indicators": {"referrals": 1}},
    )
