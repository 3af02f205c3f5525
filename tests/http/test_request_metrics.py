"""`GET /metrics` counts and times the requests served, by method, route and status,
refusals included: an operator's dashboard sees commands stored, refused and failing."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import httpx
from litestar import Litestar
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.api import PROGRAM

PROGRAMS = "/api/programs"
DISBURSEMENTS = "/api/projects/{project_id}/disbursements"


def sample(client: TestClient[Litestar], name: str, method: str, path: str, status: int) -> float:
    """The value of one series of /metrics (0 if it is not there yet)."""
    wanted = {"method": method, "path": path, "status_code": str(status), "app_name": "grants"}
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for s in family.samples:
            if s.name == name and s.labels == wanted:
                return float(s.value)
    return 0.0


def test_requests_are_counted_by_route_and_status_refusals_included(
    client: TestClient[Litestar], as_: dict[str, dict[str, str]]
) -> None:
    asked: list[tuple[str, str, int, Callable[[], httpx.Response]]] = [
        ("POST", PROGRAMS, 201, lambda: client.post(PROGRAMS, json=PROGRAM, headers=as_["olivia"])),
        ("POST", PROGRAMS, 401, lambda: client.post(PROGRAMS, json=PROGRAM)),
        ("POST", PROGRAMS, 422, lambda: client.post(PROGRAMS, json={}, headers=as_["olivia"])),
        (
            "POST",
            DISBURSEMENTS,
            404,
            lambda: client.post(
                f"/api/projects/{uuid4()}/disbursements",
                json={"payment_request_id": str(uuid4()), "payment_ref": "P-1",
                      "paid_on": "2024-05-01"},
                headers=as_["fiona"],
            ),
        ),
    ]  # fmt: skip
    before = {
        (method, path, status): (
            sample(client, "grants_requests_total", method, path, status),
            sample(client, "grants_request_duration_seconds_count", method, path, status),
        )
        for method, path, status, _ in asked
    }
    for method, path, status, ask in asked:
        assert ask().status_code == status, (method, path)

    for method, path, status, _ in asked:
        counted, timed = before[method, path, status]
        assert sample(client, "grants_requests_total", method, path, status) == counted + 1
        assert (
            sample(client, "grants_request_duration_seconds_count", method, path, status)
            == timed + 1
        )
    assert sample(client, "grants_requests_in_progress", "POST", PROGRAMS, 200) == 0
