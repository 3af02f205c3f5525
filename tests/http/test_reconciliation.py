"""Ledger reconciliation through the API, run by a real arq worker on a real Redis: a
ledger with each class of difference planted yields exactly those differences."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from grants.bootstrap import Services
from tests.api import Api
from tests.ledgers import ENGLISH, FRENCH, YEAR, report, upload_csv, work


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None) -> Api:
    return Api(client, as_)


@pytest.fixture
def paid(api: Api) -> dict[str, Any]:
    """Five payments released in 2021-22 (on September 15), a recovery, and one
    payment of the next year."""
    program_id = api.program({YEAR: 1_000_000_00, "2022-23": 1_000_000_00})
    project = api.under_agreement(program_id, {YEAR: 500_000_00, "2022-23": 100_000_00})
    for n in range(1, 6):
        api.pay(project, YEAR, n * 1_000_00, f"PAY-{n}")
    api.pay(project, "2022-23", 7_000_00, "PAY-NEXT")
    api.post(
        f"/api/projects/{project}/recoveries",
        {"fiscal_year": YEAR, "amount_cents": 500_00, "payment_ref": "REC-1",
         "effective_on": "2021-12-01"},
        who="fiona",
    )  # fmt: skip
    return {"project": project}


def test_each_planted_difference_is_found(
    api: Api, paid: dict[str, Any], services: Services, redis_url: str
) -> None:
    queued = upload_csv(api, ENGLISH)
    assert (queued["status"], queued["line_count"], queued["uploaded_by"]) == ("queued", 7, "fiona")

    work(services, redis_url)

    done = report(api, queued["id"])
    assert done["reconciliation"]["status"] == "done"
    assert done["reconciliation"]["counts"] == {
        "matched": 3, "amount_mismatch": 1, "date_mismatch": 1, "ledger_only": 1,
        "tracker_only": 1, "duplicate": 1,
    }  # fmt: skip
    assert done["reconciliation"]["totals_cents"] == {
        "matched": 1_000_00 + 4_000_00 - 500_00, "amount_mismatch": 2_100_00,
        "date_mismatch": 3_000_00, "ledger_only": 99_99, "tracker_only": 5_000_00,
        "duplicate": 4_000_00,
    }  # fmt: skip
    classes = [(line["payment_ref"], line["class"]) for line in done["lines"]]
    assert classes == [
        ("PAY-1", "matched"),
        ("PAY-2", "amount_mismatch"),
        ("PAY-3", "date_mismatch"),
        ("PAY-4", "matched"),
        ("PAY-4", "duplicate"),
        ("LEDGER-9", "ledger_only"),
        ("REC-1", "matched"),
        ("PAY-5", "tracker_only"),
    ]
    mismatch = done["lines"][1]
    assert mismatch["ledger"] == {
        "amount_cents": 2_100_00, "paid_on": "2021-09-15", "recipient": "NOW Canada Society",
        "line": 3,
    }  # fmt: skip
    assert mismatch["tracker"] == {
        "amount_cents": 2_000_00, "paid_on": "2021-09-15", "recipient": "NOW Canada Society",
        "project_id": paid["project"],
    }  # fmt: skip

    differences = api.client.get(
        f"/api/reconciliations/{queued['id']}/differences.csv", headers=api.as_["fiona"]
    )
    rows = differences.text.splitlines()
    assert rows[0].startswith("\ufeffclass,payment_ref,ledger_line,ledger_amount")
    assert [row.split(",")[:2] for row in rows[1:]] == [
        ["amount_mismatch", "PAY-2"], ["date_mismatch", "PAY-3"], ["duplicate", "PAY-4"],
        ["ledger_only", "LEDGER-9"], ["tracker_only", "PAY-5"],
    ]  # fmt: skip


def test_french_and_english_ledgers_read_the_same_and_a_rerun_gives_the_same_report(
    api: Api, paid: dict[str, Any], services: Services, redis_url: str
) -> None:
    english = upload_csv(api, ENGLISH)
    again = upload_csv(api, ENGLISH)
    french = api.client.post(
        "/api/reconciliations",
        files={"file": ("grand-livre.csv", FRENCH.encode(), "text/csv")},
        data={"fiscal_year": YEAR},
        headers=api.as_["fiona"],
    )
    assert french.status_code == 202, french.text
    assert french.json()["filename"] == "grand-livre.csv"

    work(services, redis_url)

    reports = [report(api, r["id"]) for r in (english, again, french.json())]
    assert [r["reconciliation"]["status"] for r in reports] == ["done"] * 3, [
        r["reconciliation"]["error"] for r in reports
    ]
    assert reports[0]["lines"] == reports[1]["lines"]
    assert reports[0]["reconciliation"]["counts"] == reports[2]["reconciliation"]["counts"]
    assert [(line["class"], line["payment_ref"], (line["ledger"] or {}).get("amount_cents"))
            for line in reports[2]["lines"]] == [
        (line["class"], line["payment_ref"], (line["ledger"] or {}).get("amount_cents"))
        for line in reports[0]["lines"]
    ]  # fmt: skip
    assert english["sha256"] == again["sha256"] != french.json()["sha256"]


@pytest.mark.parametrize(
    ("ledger", "line", "column"),
    [
        ("payment_ref,amount,paid_on\nPAY-1,1000.00,2021-09-15\nPAY-2,lots,2021-09-15\n", 3,
         "amount"),
        ("payment_ref,amount,paid_on\nPAY-1,1000.00,15/09/2021\n", 2, "paid_on"),
        ("payment_ref,amount\nPAY-1,1000.00\n", 1, "paid_on"),
        ("payment_ref;amount;paid_on\n;10;2021-09-15\n", 2, "payment_ref"),
        # Values no report could store: refused at upload, never left to the job.
        ("payment_ref,amount,paid_on\nPAY-1,92233720368547758.08,2021-09-15\n", 2, "amount"),
        ("payment_ref,amount,paid_on\nPAY\x00-1,10.00,2021-09-15\n", 2, "payment_ref"),
        ("payment_ref,amount,paid_on,recipient\nPAY-1,10.00,2021-09-15," + "x" * 301 + "\n", 2,
         "recipient"),
        ('payment_ref,amount,paid_on\nPAY-1,10.00,"' + "x" * 200_000 + '"\n', 2, None),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_naming_the_line_and_nothing_is_kept(
    api: Api, services: Services, ledger: str, line: int, column: str | None
) -> None:
    response = api.client.post(
        f"/api/reconciliations?fiscal_year={YEAR}",
        content=ledger.encode(),
        headers={**api.as_["fiona"], "Content-Type": "text/csv"},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "ledger_unreadable"
    assert problem["field"] == "file"
    assert (f"line {line}, column {column}" if column else f"line {line}") in problem["detail"]
    with psycopg.connect(services.database_url) as conn:
        assert conn.execute("SELECT count(*) FROM reconciliations").fetchone() == (0,)


def test_only_finance_uploads_ledgers(api: Api) -> None:
    response = api.client.post(
        f"/api/reconciliations?fiscal_year={YEAR}",
        content=ENGLISH.encode(),
        headers={**api.as_["olivia"], "Content-Type": "text/csv"},
    )
    assert response.status_code == 403
