"""No CSV the tracker writes can run a formula in the spreadsheet that opens it: text
beginning with =, +, -, @, a tab or a carriage return is written after a single quote,
in the reconciliation's differences and the open-data file alike; the amounts the
tracker writes, negative ones too, stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from types import SimpleNamespace
from typing import cast
from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from grants.bootstrap import Services
from grants.exports.proactive_disclosure import COLUMNS, to_csv
from grants.finance.differences import differences_csv
from grants.finance.matching import Class
from grants.finance.reconciliations import Reconciliation, Reconciliations, ReportLine, Side
from grants.spreadsheet import Number, cell, csv_text
from tests.api import Api
from tests.ledgers import upload_csv, work

FORMULAS = ['=HYPERLINK("http://evil","x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
YEAR = "2021-22"


def read(text: str) -> list[list[str]]:
    """A CSV's rows; a file made for spreadsheets starts with a byte order mark."""
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


@pytest.mark.parametrize("typed", FORMULAS)
def test_text_a_spreadsheet_would_run_is_quoted(typed: str) -> None:
    assert cell(typed) == f"'{typed}"


def test_other_text_and_the_trackers_numbers_are_written_as_they_are() -> None:
    assert cell("NOW Canada Society") == "NOW Canada Society"
    assert cell("a=b") == "a=b"
    assert cell(Number("-1234.56")) == "-1234.56"
    assert cell(-5) == "-5"
    assert cell(date(2021, 9, 15)) == "2021-09-15"
    assert cell(None) == ""
    # Only a plain number is one: nothing else passes for one.
    for text in ("-2+3", "=1", "1e5", "-"):
        with pytest.raises(ValueError):
            Number(text)


def test_every_cell_of_a_file_goes_through_the_rule() -> None:
    text = csv_text(["name", "amount"], [["\rx", Number("-1.50")], ["@SUM(A1)", 3]])
    assert read(text) == [["name", "amount"], ["'\rx", "-1.50"], ["'@SUM(A1)", "3"]]


def test_a_line_break_in_a_cell_never_ends_the_row() -> None:
    # With LF line ends, the csv module alone would leave a lone CR unquoted.
    text = csv_text(["a", "b"], [["one\rtwo", "x"]], lineterminator="\n")
    assert text == 'a,b\n"one\rtwo",x\n'
    assert read(text) == [["a", "b"], ["one\rtwo", "x"]]


def signed_agreement(api: Api, *, recipient: str, title: str) -> str:
    """A $30,000 agreement signed in 2021-22, in a program that publishes its own."""
    program_id = api.program({YEAR: 100_000_00})
    answer = api.client.put(
        f"/api/programs/{program_id}/publication",
        json={"department_number": "123", "purpose_en": "@purpose", "purpose_fr": "But."},
        headers=api.as_["olivia"],
    )
    assert answer.status_code == 200, answer.text
    project_id: str = api.post(
        "/api/projects",
        {
            "program_id": program_id,
            "recipient": {"legal_name": recipient, "province": "BC"},
            "title_en": title,
            "title_fr": "-2+3",
            "pillar": "protection",
            "requested_cents": 30_000_00,
            "effective_on": "2021-05-01",
        },
    )["id"]
    api.post(
        f"/api/projects/{project_id}/assessment",
        {"score": 82, "recommendation": "fund", "effective_on": "2021-05-10"},
    )
    api.post(
        f"/api/projects/{project_id}/approval",
        {
            "cash_flow": [{"fiscal_year": YEAR, "amount_cents": 30_000_00}],
            "effective_on": "2021-05-20",
        },
    )
    api.post(
        f"/api/projects/{project_id}/agreement",
        {
            "signed_on": "2021-06-01",
            "start_on": "2021-06-01",
            "end_on": "2022-03-31",
            "payment_basis": "reimbursement",
            "holdback_percent": 10,
            "disclosure": {
                "recipient_city": "=Ottawa",
                "description_en": "@SUM(A1)",
                "description_fr": "-2+3",
            },
        },
    )
    return project_id


def test_the_differences_file_quotes_references_and_recipients(
    client: TestClient[Litestar],
    as_: dict[str, dict[str, str]],
    services: Services,
    redis_url: str,
    projections: None,
) -> None:
    api = Api(client, as_)
    project_id = signed_agreement(api, recipient="@SUM(A1)", title="Shelter")
    api.pay(project_id, YEAR, 1_000_00, "-2+3")
    api.post(
        f"/api/projects/{project_id}/recoveries",
        {"fiscal_year": YEAR, "amount_cents": 500_00, "payment_ref": "+1",
         "effective_on": "2021-12-01"},
        who="fiona",
    )  # fmt: skip
    # A line the tracker does not know, as finance's system exported it.
    ledger = (
        "payment_ref,amount,paid_on,recipient\n"
        '"=HYPERLINK(""http://evil"",""x"")",-12.34,2021-10-01,+1\n'
    )
    queued = upload_csv(api, ledger)
    work(services, redis_url)

    answer = client.get(
        f"/api/reconciliations/{queued['id']}/differences.csv", headers=as_["fiona"]
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.text.startswith("\ufeff"), "Excel reads UTF-8 with a byte order mark"
    header, *rows = read(answer.text)
    written = [dict(zip(header, row, strict=True)) for row in rows]
    assert [
        (r["class"], r["payment_ref"], r["ledger_amount"], r["ledger_recipient"],
         r["tracker_amount"], r["tracker_recipient"])
        for r in written
    ] == [
        ("ledger_only", f"'{FORMULAS[0]}", "-12.34", "'+1", "", ""),
        ("tracker_only", "'-2+3", "", "", "1000.00", "'@SUM(A1)"),
        ("tracker_only", "'+1", "", "", "-500.00", "'@SUM(A1)"),
    ]  # fmt: skip


class Report:
    """A report's lines as the store hands them over."""

    def __init__(self, lines: list[ReportLine]) -> None:
        self._lines = lines

    def lines(self, reconciliation_id: UUID, *, classes: Iterable[Class] = ()) -> list[ReportLine]:
        return self._lines


def test_the_differences_file_quotes_tabs_and_carriage_returns() -> None:
    # The ledger reader trims them; payments recorded before the boundary refused
    # control characters may hold them.
    tracker = Side(-1234_56, date(2021, 9, 15), "\rx", project_id=uuid4())
    report = Report([ReportLine("\tx", Class.TRACKER_ONLY, None, tracker)])
    summary = SimpleNamespace(id=uuid4(), fiscal_year=YEAR)
    download = differences_csv(cast(Reconciliations, report), cast(Reconciliation, summary))
    assert download.media_type == "text/csv"
    _, row = read(download.content)
    assert (row[1], row[6], row[9]) == ("'\tx", "-1234.56", "'\rx")


def test_the_open_data_file_quotes_names_titles_and_descriptions(
    client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None
) -> None:
    api = Api(client, as_)
    signed_agreement(api, recipient=FORMULAS[0], title="+1")
    answer = client.get(
        f"/api/exports/proactive-disclosure?fiscal_year={YEAR}&min_position={api.position()}",
        headers=as_["sasha"],
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    (row,) = csv.DictReader(io.StringIO(answer.text, newline=""))
    assert row["recipient_legal_name"] == f"'{FORMULAS[0]}"
    assert (row["agreement_title_en"], row["agreement_title_fr"]) == ("'+1", "'-2+3")
    assert (row["description_en"], row["description_fr"]) == ("'@SUM(A1)", "'-2+3")
    assert (row["recipient_city"], row["prog_purpose_en"]) == ("'=Ottawa", "'@purpose")
    assert row["agreement_value"] == "30000.00"


def test_the_open_data_file_quotes_tabs_and_carriage_returns() -> None:
    # Values recorded before the boundary refused control characters still publish.
    row = dict.fromkeys(COLUMNS, "")
    row.update(recipient_legal_name="\tx", description_en="\rx", agreement_value=Number("-1.00"))
    (written,) = csv.DictReader(io.StringIO(to_csv([row]), newline=""))
    assert (written["recipient_legal_name"], written["description_en"]) == ("'\tx", "'\rx")
    assert written["agreement_value"] == "-1.00"
