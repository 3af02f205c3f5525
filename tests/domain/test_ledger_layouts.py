"""Ledgers as the financial system exports them, read without I/O: a mapping says which
column holds what; dates are read as the mapping says (never guessed) or as Excel holds
them; amounts as text either language writes or as a workbook's numbers; a refusal
names the line and the file's own column."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from grants.domain.errors import InvalidValue
from grants.finance.columns import DateFormat, LedgerMapping, Sign, standard
from grants.finance.ledger import LedgerUnreadable, ledger_header, ledger_lines, ledger_preview
from grants.money import from_ledger
from tests.exported_ledgers import (
    DEBIT_CREDIT,
    DEBIT_CREDIT_ROWS,
    SAP,
    SAP_CSV,
    workbook,
)


def refusal(data: bytes, mapping: LedgerMapping | None = None) -> LedgerUnreadable:
    with pytest.raises(LedgerUnreadable) as refused:
        list(ledger_lines(data, mapping, mapping_name="SAP"))
    return refused.value


def test_the_same_day_reads_the_same_written_each_way() -> None:
    may_31 = date(2024, 5, 31)
    assert DateFormat.ISO.read("2024-05-31") == may_31
    assert DateFormat.ISO.read("2024-05-31 00:00:00") == may_31  # a date-time export
    assert DateFormat.DAY_FIRST.read("31/05/2024") == may_31
    assert DateFormat.DAY_FIRST.read("31.05.2024") == may_31  # SAP's German-style dots
    assert DateFormat.MONTH_FIRST.read("05/31/2024") == may_31
    # Chosen, not guessed: the same text is March 4 to one and April 3 to the other.
    assert DateFormat.DAY_FIRST.read("03/04/2024") == date(2024, 4, 3)
    assert DateFormat.MONTH_FIRST.read("03/04/2024") == date(2024, 3, 4)
    with pytest.raises(ValueError):
        DateFormat.MONTH_FIRST.read("31/05/2024")


def test_an_amount_with_the_minus_after_it_is_a_reversal() -> None:
    assert from_ledger("1.234,56-") == -123_456  # SAP
    assert from_ledger("500,00-") == -50_000
    for unreadable in ("(500.00", "--5", "5-5"):
        with pytest.raises(ValueError):
            from_ledger(unreadable)


def test_an_sap_export_reads_with_its_mapping() -> None:
    lines = list(ledger_lines(SAP_CSV.encode(), SAP))
    assert [(line.line, line.payment_ref, line.amount_cents, line.paid_on) for line in lines][
        -2:
    ] == [(7, "LEDGER-9", 99_99, date(2021, 10, 1)), (8, "REC-1", -500_00, date(2021, 12, 1))]
    assert lines[0].recipient == "NOW Canada Society"
    assert standard(ledger_header(SAP_CSV.encode())) is None  # not the tracker's names


def test_a_workbook_reads_its_debits_less_its_credits_and_excel_dates() -> None:
    lines = list(ledger_lines(workbook(DEBIT_CREDIT_ROWS), DEBIT_CREDIT))
    assert [(line.payment_ref, line.amount_cents, line.paid_on) for line in lines] == [
        ("PAY-1", 1_000_00, date(2021, 9, 15)),
        ("PAY-2", 2_100_00, date(2021, 9, 15)),
        ("PAY-3", 3_000_00, date(2021, 9, 16)),
        ("PAY-4", 4_000_00, date(2021, 9, 15)),  # a date typed as text
        ("PAY-4", 4_000_00, date(2021, 9, 15)),
        ("LEDGER-9", 99_99, date(2021, 10, 1)),  # a date as Excel's bare number
        ("REC-1", -500_00, date(2021, 12, 1)),
    ]
    assert [line.line for line in lines] == [2, 3, 4, 6, 7, 8, 9]  # the sheet's rows


def test_payments_written_negative_are_read_as_payments() -> None:
    ledger = b"Ref,Date,Amount\nPAY-1,2021-09-15,-1000.00\nREC-1,2021-12-01,500.00\n"
    negative = LedgerMapping(
        payment_ref="Ref", paid_on="Date", amount="Amount", sign=Sign.PAYMENTS_NEGATIVE
    )
    assert [line.amount_cents for line in ledger_lines(ledger, negative)] == [1_000_00, -500_00]


def test_a_workbook_amount_is_read_in_cents_never_rounded_from_a_third_decimal() -> None:
    rows = [
        DEBIT_CREDIT_ROWS[0],
        ("PAY-1", date(2021, 9, 15), 0.1 + 0.2, None),
    ]
    assert [line.amount_cents for line in ledger_lines(workbook(rows), DEBIT_CREDIT)] == [30]
    rows[1] = ("PAY-1", date(2021, 9, 15), 12.345, None)
    refused = refusal(workbook(rows), DEBIT_CREDIT)
    assert (refused.line, refused.column) == (2, "Debit")
    assert "'12.345' is not an amount" in refused.message


@pytest.mark.parametrize(
    ("ledger", "mapping", "line", "column", "reason"),
    [
        (SAP_CSV.replace("Montant (CAD)", "Montant"), SAP, 1, "Montant (CAD)",
         "no such column: the mapping SAP reads amount from it"),
        (SAP_CSV.replace("16/09/2021", "2021-09-16"), SAP, 4, "Date paiement",
         "'2021-09-16' is not a date written as 31/05/2024"),
        (SAP_CSV.replace("99,99", "99,99 USD"), SAP, 7, "Montant (CAD)",
         "'99,99 USD' is not an amount"),
        (SAP_CSV, None, 1, "payment_ref", "no such column: the header needs"),
    ],
)  # fmt: skip
def test_a_refusal_names_the_line_and_the_files_own_column(
    ledger: str, mapping: LedgerMapping | None, line: int, column: str, reason: str
) -> None:
    refused = refusal(ledger.encode(), mapping)
    assert (refused.line, refused.column) == (line, column)
    assert f"line {line}, column {column}: {reason}" in refused.message


def test_a_line_with_neither_debit_nor_credit_is_refused_at_its_row() -> None:
    rows = [*DEBIT_CREDIT_ROWS[:3], ("PAY-3", date(2021, 9, 16), None, None, "NOW")]
    refused = refusal(workbook(rows), DEBIT_CREDIT)
    assert (refused.line, refused.column) == (4, "Debit")


def test_what_is_not_a_workbook_says_so() -> None:
    assert (
        "save it as .xlsx or CSV"
        in refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64).message
    )
    assert "not an Excel workbook" in refusal(b"PK\x03\x04 cut short").message


def test_a_mapping_reads_one_amount_column_or_a_debit_and_a_credit() -> None:
    shapes: list[dict[str, Any]] = [
        {},
        {"amount": "A", "debit": "D", "credit": "C"},
        {"debit": "D"},
    ]
    for columns in shapes:
        with pytest.raises(InvalidValue):
            LedgerMapping(payment_ref="R", paid_on="P", **columns)


def test_the_preview_shows_the_header_and_the_first_lines_as_written() -> None:
    header, first = ledger_preview(workbook(DEBIT_CREDIT_ROWS), lines=5)
    assert header == ["Reference", "Posting date", "Debit", "Credit", "Vendor"]
    assert first[0] == ["PAY-1", "2021-09-15", "1000", "", "NOW Canada Society"]
    assert [row[0] for row in first] == ["PAY-1", "PAY-2", "PAY-3", "PAY-4", "PAY-4"]


def test_a_quoted_column_name_with_a_comma_does_not_change_the_separator() -> None:
    ledger = 'Réf;"Montant, CAD";Date\nPAY-1;"1 000,50";2021-09-15\n'.encode()
    mapping = LedgerMapping(payment_ref="Réf", paid_on="Date", amount="Montant, CAD")
    assert [line.amount_cents for line in ledger_lines(ledger, mapping)] == [1_000_50]


def test_excel_unicode_text_reads_as_utf16_with_tabs() -> None:
    ledger = "payment_ref\tamount\tpaid_on\tBénéficiaire\nPAY-1\t1 000,00\t2021-09-15\tÉlan\n"
    lines = list(ledger_lines(ledger.encode("utf-16")))
    assert [(line.payment_ref, line.amount_cents) for line in lines] == [("PAY-1", 1_000_00)]
