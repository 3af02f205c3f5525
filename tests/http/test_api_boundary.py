"""Values beyond the boundary are refused where they enter, with a 4xx problem that
names the field, and nothing is stored: the poison values that once stopped every view
(amounts past bigint, NUL bytes), loose ones (amounts as text or decimals, fiscal years
in other digits or centuries) and whatever once answered 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from grants.bootstrap import Services
from grants.domain.values import MAX_CENTS, NAME_LENGTH
from grants.projections.rebuild import catch_up
from tests.api import Api
from tests.http.test_api_refusals import refused

BIGINT = 2**63


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]]) -> Api:
    return Api(client, as_)


@pytest.fixture
def program_id(api: Api) -> str:
    return api.program({"2021-22": 100_000_00})


def application(program_id: str, **changed: Any) -> dict[str, Any]:
    recipient: dict[str, Any] = {"legal_name": "NOW Canada Society", "province": "BC"}
    body = {
        "program_id": program_id,
        "title_en": "The Essentials",
        "pillar": "protection",
        "requested_cents": 100_000_00,
        "effective_on": "2021-05-01",
    }
    return {**body, **changed, "recipient": {**recipient, **changed.pop("recipient", {})}}


@pytest.mark.parametrize(
    ("changed", "field"),
    [
        ({"requested_cents": BIGINT}, "requested_cents"),
        ({"requested_cents": MAX_CENTS + 1}, "requested_cents"),
        ({"requested_cents": -1}, "requested_cents"),
        ({"requested_cents": "10000"}, "requested_cents"),
        ({"requested_cents": 10000.0}, "requested_cents"),
        ({"requested_cents": True}, "requested_cents"),
        ({"recipient": {"legal_name": "NOW\x00Canada"}}, "recipient.legal_name"),
        ({"recipient": {"legal_name": " "}}, "recipient.legal_name"),
        ({"title_en": "Title\x1b[31m"}, "title_en"),
        ({"title_en": "x" * (NAME_LENGTH + 1)}, "title_en"),
        ({"recipient": {"business_number": "\u0661" * 9}}, "recipient.business_number"),
        ({"effective_on": "9999-12-31"}, "effective_on"),
        ({"effective_on": "0001-01-01"}, "effective_on"),
    ],
)
def test_an_application_out_of_bounds_is_refused_and_nothing_stored(
    api: Api, program_id: str, changed: dict[str, Any], field: str
) -> None:
    problem = refused(
        api,
        422,
        # The recipient is the domain's own value, checked by the domain itself.
        "invalid_dates"
        if "effective_on" in changed
        else "invalid_value"
        if field.startswith("recipient.")
        else "invalid_field",
        lambda: api.client.post(
            "/api/projects", json=application(program_id, **changed), headers=api.as_["olivia"]
        ),
    )
    assert problem["field"] == field


@pytest.mark.parametrize(
    "amount", [BIGINT, MAX_CENTS + 1, "100", 100.0, 1e2, None, [1], {"cents": 1}]
)
def test_an_allocation_is_whole_cents_within_the_range(
    api: Api, program_id: str, amount: Any
) -> None:
    problem = refused(
        api,
        422,
        "invalid_field",
        lambda: api.client.put(
            f"/api/programs/{program_id}/allocations/2022-23",
            json={"amount_cents": amount},
            headers=api.as_["olivia"],
        ),
    )
    assert problem["field"] == "amount_cents"


def test_the_largest_allocation_is_taken(api: Api, program_id: str) -> None:
    answer = api.client.put(
        f"/api/programs/{program_id}/allocations/2022-23",
        json={"amount_cents": MAX_CENTS},
        headers=api.as_["olivia"],
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    "fiscal_year", ["\u0662\u0660\u0662\u0666-27", "\u00b2\u2070\u00b2\u2076-27", "9999-00",
                    "0000-01", "2021"],
)  # fmt: skip
def test_a_fiscal_year_is_ascii_and_in_the_span(
    api: Api, program_id: str, fiscal_year: str
) -> None:
    problem = refused(
        api,
        422,
        "invalid_field",
        lambda: api.client.put(
            f"/api/programs/{program_id}/allocations/{fiscal_year}",
            json={"amount_cents": 1},
            headers=api.as_["olivia"],
        ),
    )
    assert problem["field"] == "fiscal_year"
    views = api.client.get(
        f"/api/views/funding-by-pillar?fiscal_year={fiscal_year}", headers=api.as_["sasha"]
    )
    assert views.status_code == 422, views.text
    assert views.json()["field"] == "fiscal_year"


def test_indicator_values_are_counts_within_the_range(api: Api) -> None:
    project_id = api.under_agreement(api.program({"2021-22": 100_000_00}), {"2021-22": 50_000_00})
    for value in (BIGINT, -1, "3", 2.5):
        problem = refused(
            api,
            422,
            "invalid_field",
            lambda value=value: api.client.post(  # type: ignore[misc]
                f"/api/projects/{project_id}/results",
                json={"fiscal_year": "2021-22", "indicators": {"referrals": value}},
                headers=api.as_["olivia"],
            ),
        )
        assert problem["field"] == "indicators"


@pytest.mark.parametrize(
    "query",
    [
        "offset=-1",
        "offset=1000000000000000000000000000000",
        "limit=-60",
        "limit=0",
        "limit=501",
        "recipient=%00",
        "department=P%00S",
        "fiscal_year=2021",
        "status=lost",
        "min_position=-1",
    ],
)
def test_list_parameters_out_of_bounds_are_refused(api: Api, query: str) -> None:
    answer = api.client.get(f"/api/projects?{query}", headers=api.as_["sasha"])
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == query.split("=")[0]


def test_a_position_the_store_never_reached_is_refused_at_once(api: Api) -> None:
    answer = api.client.get(
        f"/api/views/funding-by-pillar?min_position={10**12}", headers=api.as_["sasha"]
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "unknown_position"
    assert answer.json()["field"] == "min_position"


def test_recipient_search_takes_percent_and_underscore_as_themselves(
    api: Api, program_id: str, services: Services
) -> None:
    api.post("/api/projects", application(program_id))
    catch_up(services.grants, services.views.projects)
    for typed, found in (("now canada", 1), ("%", 0), ("_", 0), ("now%", 0)):
        page = api.get(f"/api/projects?recipient={typed}")
        assert page["total"] == found, typed


def test_headers_out_of_bounds_are_refused(api: Api, program_id: str) -> None:
    allocation = f"/api/programs/{program_id}/allocations/2022-23"
    for header, value in (("If-Match", '"' + "9" * 5000 + '"'), ("Idempotency-Key", "k\x7fey")):
        problem = refused(
            api,
            422,
            "invalid_value",
            lambda header=header, value=value: api.client.put(  # type: ignore[misc]
                allocation,
                json={"amount_cents": 1},
                headers={**api.as_["olivia"], header: value},
            ),
        )
        assert problem["field"] == header


def test_json_nested_deeply_is_refused_without_reading_it_all(api: Api, program_id: str) -> None:
    """Decoded straight into the command's type, a body is refused at the first value of
    the wrong shape: the nesting is never walked (it once overflowed the stack)."""
    deep = '{"amount_cents": ' + "[" * 100_000 + "]" * 100_000 + "}"
    problem = refused(
        api,
        422,
        "invalid_field",
        lambda: api.client.put(
            f"/api/programs/{program_id}/allocations/2022-23",
            content=deep.encode(),
            headers={**api.as_["olivia"], "Content-Type": "application/json"},
        ),
    )
    assert problem["field"] == "amount_cents"


def test_a_body_larger_than_a_command_takes_is_refused(api: Api, program_id: str) -> None:
    huge = json.dumps(application(program_id, title_en="x" * 9_000_000)).encode()
    before = api.position()
    answer = api.client.post(
        "/api/projects",
        content=huge,
        headers={**api.as_["olivia"], "Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert api.position() == before
