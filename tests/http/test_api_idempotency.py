"""A retry with the same Idempotency-Key gets the first answer and records nothing."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.api import Api


def test_a_retried_disbursement_never_pays_twice(
    client: TestClient[Litestar], as_: dict[str, dict[str, str]]
) -> None:
    api = Api(client, as_)
    program_id = api.program({"2021-22": 100_000_00})
    project_id = api.under_agreement(program_id, {"2021-22": 50_000_00}, holdback_percent=0)
    request_id = api.post(
        f"/api/projects/{project_id}/payment-requests",
        {"fiscal_year": "2021-22", "amount_cents": 10_000_00, "effective_on": "2021-09-01"},
    )["id"]
    release = {"payment_request_id": request_id, "payment_ref": "PAY-1", "paid_on": "2021-09-15"}
    key = {"Idempotency-Key": "release-PAY-1"}

    first = client.post(
        f"/api/projects/{project_id}/disbursements", json=release, headers={**as_["fiona"], **key}
    )
    position = api.position()
    again = client.post(
        f"/api/projects/{project_id}/disbursements", json=release, headers={**as_["fiona"], **key}
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert api.position() == position
    assert api.get(f"/api/projects/{project_id}")["disbursed_cents"] == 10_000_00


def test_the_same_key_for_another_request_is_refused(
    client: TestClient[Litestar], as_: dict[str, dict[str, str]]
) -> None:
    api = Api(client, as_)
    key = {"Idempotency-Key": "register-1"}
    body = {
        "department": "PS",
        "name_en": "A",
        "name_fr": "B",
        "transfer_type": "grant",
        "pillars": ["prevention"],
    }
    client.post("/api/programs", json=body, headers={**as_["olivia"], **key})
    position = api.position()
    other = client.post(
        "/api/programs", json={**body, "name_en": "C"}, headers={**as_["olivia"], **key}
    )
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert api.position() == position


def test_keys_belong_to_the_user_who_sent_them(
    client: TestClient[Litestar], as_: dict[str, dict[str, str]]
) -> None:
    body = {
        "department": "PS",
        "name_en": "A",
        "name_fr": "B",
        "transfer_type": "grant",
        "pillars": ["prevention"],
    }
    key = {"Idempotency-Key": "same"}
    mine = client.post("/api/programs", json=body, headers={**as_["olivia"], **key}).json()
    theirs = client.post("/api/programs", json=body, headers={**as_["oscar"], **key}).json()
    assert mine["id"] != theirs["id"]


def test_a_refused_command_leaves_its_key_free(
    client: TestClient[Litestar], as_: dict[str, dict[str, str]]
) -> None:
    key = {"Idempotency-Key": "k"}
    body = {
        "department": "PS",
        "name_en": "",
        "name_fr": "B",
        "transfer_type": "grant",
        "pillars": ["prevention"],
    }
    assert (
        client.post("/api/programs", json=body, headers={**as_["olivia"], **key}).status_code == 422
    )
    fixed = client.post(
        "/api/programs", json={**body, "name_en": "A"}, headers={**as_["olivia"], **key}
    )
    assert fixed.status_code == 201
