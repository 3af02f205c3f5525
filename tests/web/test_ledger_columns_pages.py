"""Finance's pages for a ledger as the financial system exports it: the first upload of a
layout shows its first lines and finance says once which column holds what; the mapping
is kept under its name and preselected for the next file with the same columns; a
mapping that does not read the file is refused by the field that chose the column, in
English and in French, and nothing is kept."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import psycopg
import pytest

from grants.bootstrap import Services
from tests.api import Api
from tests.exported_ledgers import DEBIT_CREDIT_ROWS, SAP_CSV, XLSX, workbook
from tests.http.test_reconciliation import paid
from tests.ledgers import YEAR, work
from tests.web.conftest import Browser
from tests.web.test_finance_pages import api, caught_up, cells, upload

__all__ = ["api", "paid"]  # the fixtures of the stories these pages tell

DRAFT = re.compile(r"/reconciliations/drafts/[0-9a-f-]{36}")
# The SAP export's columns, as finance picks them on the page.
SAP_COLUMNS = {
    "mapping": "new",
    "mapping_name": "SAP",
    "department": "PS",
    "payment_ref": "N° doc. paiement",
    "amount": "Montant (CAD)",
    "sign": "payments_positive",
    "debit": "",
    "credit": "",
    "paid_on": "Date paiement",
    "date_format": "DD/MM/YYYY",
    "recipient": "Bénéficiaire",
}


def to_columns_page(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert DRAFT.fullmatch(location), location
    return location


def first_lines(page: str) -> str:
    return page[
        page.index('id="first-lines"') : page.index("</table>", page.index('id="first-lines"'))
    ]


def kept(services: Services) -> tuple[int, int]:
    with psycopg.connect(services.database_url) as conn:
        found = conn.execute(
            "SELECT (SELECT count(*) FROM reconciliations), (SELECT count(*) FROM ledger_mappings)"
        ).fetchone()
    assert found
    return found[0], found[1]


@pytest.mark.slow
def test_finance_says_once_which_column_holds_what_and_the_mapping_is_offered_next_time(
    browser: Browser, api: Api, paid: dict[str, Any], services: Services, redis_url: str
) -> None:
    caught_up(services, api)
    browser.sign_in("fiona")
    columns_page = to_columns_page(upload(browser, SAP_CSV))
    page = browser.get(columns_page).text
    shown = first_lines(page)
    assert '<th scope="col">Montant (CAD)</th>' in shown and "2 100,00 $" in shown
    assert "PAY-4" in shown and "LEDGER-9" not in shown  # the first five lines only
    assert '<option value="new" selected>' in page  # nothing defined yet

    sent = browser.submit(columns_page, SAP_COLUMNS, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    report = sent.headers["location"]
    work(services, redis_url)

    done = browser.get(report).text
    assert '<strong id="reconciliation-status">Done</strong>' in done
    assert cells(done, "matched") == ["Matched", "3", "$4,500.00"]  # 1,000 + 4,000 - 500
    assert cells(done, "amount_mismatch") == ["Amount differs", "1", "$2,100.00"]
    assert cells(done, "date_mismatch") == ["Date differs", "1", "$3,000.00"]
    assert "<dd>SAP</dd>" in done
    listed = api.get("/api/ledger-mappings", who="fiona")
    assert [(m["department"], m["name"], m["created_by"]) for m in listed] == [
        ("PS", "SAP", "fiona")
    ]

    # Next month's export, same columns: the mapping is offered, chosen already.
    next_month = "".join(SAP_CSV.splitlines(keepends=True)[:3])
    columns_page = to_columns_page(upload(browser, next_month))
    page = browser.get(columns_page).text
    assert re.search(r'<option value="PS/SAP" selected>SAP \(PS\), by fiona on [0-9-]{10}, made '
                     r"for these columns</option>", page)  # fmt: skip
    sent = browser.submit(columns_page, {"mapping": "PS/SAP"}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    summary = api.get(f"/api{sent.headers['location']}", who="fiona")["reconciliation"]
    assert (summary["line_count"], summary["mapping_name"]) == (2, "SAP")


def test_a_workbook_with_debit_and_credit_columns_is_read_from_the_page(
    browser: Browser, api: Api, services: Services
) -> None:
    browser.sign_in("fiona")
    browser.get("/reconciliations")
    uploaded = browser.client.post(
        "/reconciliations",
        data={"csrf_token": browser.csrf(), "fiscal_year": YEAR},
        files={"file": ("grand-livre.xlsx", workbook(DEBIT_CREDIT_ROWS), XLSX)},
        follow_redirects=False,
    )
    columns_page = to_columns_page(uploaded)
    shown = first_lines(browser.get(columns_page).text)
    assert "<td>2021-09-15</td>" in shown  # a date cell, shown as a day

    sent = browser.submit(
        columns_page,
        {**SAP_COLUMNS, "mapping_name": "Excel", "department": "WAGE",
         "payment_ref": "Reference", "amount": "", "debit": "Debit", "credit": "Credit",
         "paid_on": "Posting date", "date_format": "YYYY-MM-DD", "recipient": "Vendor"},
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303, sent.text
    summary = api.get(f"/api{sent.headers['location']}", who="fiona")["reconciliation"]
    assert (summary["filename"], summary["line_count"]) == ("grand-livre.xlsx", 7)
    assert summary["mapping_name"] == "Excel"


def test_a_mapping_that_does_not_read_the_file_is_refused_by_its_field_and_nothing_is_kept(
    browser: Browser, services: Services
) -> None:
    browser.sign_in("fiona")
    columns_page = to_columns_page(upload(browser, SAP_CSV))
    browser.get(columns_page)

    # The dates are day first: read month first, September 15 is no day at all.
    month_first = {**SAP_COLUMNS, "date_format": "MM/DD/YYYY"}
    refused = browser.submit(columns_page, month_first)
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert 'id="date_format-error"' in text
    assert "line 2, column Date paiement: '15/09/2021' is not a date written as 05/31/2024" in text
    assert '<option value="MM/DD/YYYY" selected>' in text  # what was chosen is kept
    assert '<th scope="col">Date paiement</th>' in text  # the first lines still shown

    neither = browser.submit(columns_page, {**SAP_COLUMNS, "amount": ""})
    assert neither.status_code == 422
    assert 'id="amount-error"' in neither.text
    assert "either one amount column, or a debit and a credit column" in neither.text

    browser.get(f"/language/fr?next={columns_page}")
    refused = browser.submit(columns_page, month_first)
    assert refused.status_code == 422
    assert (
        "ligne 2, colonne Date paiement : '15/09/2021' n'est pas une date écrite comme 05/31/2024"
    ) in html.unescape(refused.text)
    assert kept(services) == (0, 0)

    # Once finance chooses day first, the ledger reads; the same name again is refused.
    assert browser.submit(columns_page, SAP_COLUMNS, follow_redirects=False).status_code == 303
    columns_page = to_columns_page(upload(browser, SAP_CSV))
    browser.get(columns_page)
    taken = browser.submit(columns_page, SAP_COLUMNS)
    assert taken.status_code == 422
    assert 'id="mapping_name-error"' in taken.text
    assert "PS a déjà une correspondance nommée SAP" in html.unescape(taken.text)
    assert kept(services) == (1, 1)
