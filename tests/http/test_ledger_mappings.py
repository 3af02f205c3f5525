"""Ledgers as finance exports them, through the API: a mapping finance defined (by name,
with ``?mapping=``) reads an SAP-like CSV in French and an Excel workbook with debit and
credit columns to the same report as the tracker's own columns; an unknown mapping, or a
file without the mapping's columns, is refused naming what to fix, and nothing is kept."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from grants.bootstrap import Services
from grants.finance.columns import LedgerMapping
from grants.finance.ledger import ledger_header
from tests.api import Api
from tests.exported_ledgers import (
    COUNTS,
    DEBIT_CREDIT,
    DEBIT_CREDIT_ROWS,
    SAP,
    SAP_CSV,
    XLSX,
    workbook,
)
from tests.http.test_reconciliation import paid
from tests.ledgers import YEAR, report, work

__all__ = ["paid"]  # the story of test_reconciliation, as a fixture here too


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None) -> Api:
    return Api(client, as_)


def define(
    services: Services, name: str, columns: LedgerMapping, ledger: bytes, department: str = "PS"
) -> None:
    """Finance defines a mapping (on the columns page, in the tests of the pages)."""
    services.reconciliations.mappings.save(
        department=department,
        name=name,
        header=ledger_header(ledger),
        columns=columns,
        created_by="fiona",
    )


def upload(api: Api, ledger: bytes, query: str, content_type: str = "text/csv") -> Any:
    return api.client.post(
        f"/api/reconciliations?fiscal_year={YEAR}&{query}",
        content=ledger,
        headers={**api.as_["fiona"], "Content-Type": content_type},
    )


def kept(services: Services) -> tuple[int, int]:
    with psycopg.connect(services.database_url) as conn:
        reconciliations = conn.execute("SELECT count(*) FROM reconciliations").fetchone()
        drafts = conn.execute("SELECT count(*) FROM ledger_drafts").fetchone()
    assert reconciliations and drafts
    return reconciliations[0], drafts[0]


def test_an_sap_export_and_a_workbook_reconcile_with_their_mappings_as_the_tracker_columns_do(
    api: Api, paid: dict[str, Any], services: Services, redis_url: str
) -> None:
    sap, book = SAP_CSV.encode(), workbook(DEBIT_CREDIT_ROWS)
    define(services, "SAP", SAP, sap)
    define(services, "Excel", DEBIT_CREDIT, book, department="WAGE")

    from_sap = upload(api, sap, "mapping=SAP")
    assert from_sap.status_code == 202, from_sap.text
    assert (from_sap.json()["line_count"], from_sap.json()["mapping_name"]) == (7, "SAP")
    from_book = api.client.post(
        "/api/reconciliations?mapping=Excel",
        files={"file": ("grand-livre.xlsx", book, XLSX)},
        data={"fiscal_year": YEAR},
        headers=api.as_["fiona"],
    )
    assert from_book.status_code == 202, from_book.text
    raw_book = upload(api, book, "mapping=Excel&department=WAGE", XLSX)
    assert raw_book.status_code == 202, raw_book.text

    work(services, redis_url)

    reports = [report(api, r.json()["id"]) for r in (from_sap, from_book, raw_book)]
    for done in reports:
        assert done["reconciliation"]["status"] == "done"
        assert done["reconciliation"]["counts"] == COUNTS
    recovery = [line for line in reports[0]["lines"] if line["payment_ref"] == "REC-1"]
    assert recovery[0]["class"] == "matched"
    assert recovery[0]["ledger"]["amount_cents"] == -500_00  # SAP's 500,00-


def test_the_mappings_are_listed_for_finance_with_who_defined_them(
    api: Api, services: Services
) -> None:
    define(services, "SAP", SAP, SAP_CSV.encode())
    listed = api.get("/api/ledger-mappings", who="fiona")
    assert [(m["department"], m["name"], m["created_by"]) for m in listed] == [
        ("PS", "SAP", "fiona")
    ]
    assert listed[0]["columns"] == {
        "payment_ref": "N° doc. paiement", "paid_on": "Date paiement",
        "date_format": "DD/MM/YYYY", "amount": "Montant (CAD)", "debit": None, "credit": None,
        "sign": "payments_positive", "recipient": "Bénéficiaire", "agreement_number": None,
    }  # fmt: skip
    assert listed[0]["header"][0] == "N° doc. paiement"
    for who in ("olivia", "sasha"):
        response = api.client.get("/api/ledger-mappings", headers=api.as_[who])
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("ledger", "query", "field", "named"),
    [
        (SAP_CSV, "mapping=Nope", "mapping", "no mapping is named Nope"),
        (SAP_CSV, "mapping=SAP&department=WAGE", "mapping", "no mapping is named SAP"),
        (SAP_CSV.replace("Montant (CAD)", "Montant"), "mapping=SAP", "file",
         "line 1, column Montant (CAD): no such column: the mapping SAP reads amount from it"),
        (SAP_CSV.replace("PAY-1;15/09/2021", "PAY-1;2021-09-15"), "mapping=SAP", "file",
         "line 2, column Date paiement: '2021-09-15' is not a date written as 31/05/2024"),
        (SAP_CSV.replace("1 000,00", "1 000,00 USD"), "mapping=SAP", "file",
         "line 2, column Montant (CAD): '1 000,00 USD' is not an amount"),
        (SAP_CSV, "", "file", "line 1, column payment_ref: no such column"),
    ],
)  # fmt: skip
def test_a_refusal_names_the_mapping_or_the_column_and_nothing_is_kept(
    api: Api, services: Services, ledger: str, query: str, field: str, named: str
) -> None:
    define(services, "SAP", SAP, SAP_CSV.encode())
    response = upload(api, ledger.encode(), query)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["field"] == field
    assert named in problem["detail"]
    assert kept(services) == (0, 0)


def test_a_name_used_by_two_departments_needs_the_department(api: Api, services: Services) -> None:
    for department in ("PS", "WAGE"):
        define(services, "SAP", SAP, SAP_CSV.encode(), department=department)
    response = upload(api, SAP_CSV.encode(), "mapping=SAP")
    assert response.status_code == 422
    assert response.json()["field"] == "department"
    assert "SAP names a mapping of PS, WAGE: say which department" in response.json()["detail"]
    assert upload(api, SAP_CSV.encode(), "mapping=SAP&department=WAGE").status_code == 202
