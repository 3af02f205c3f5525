"""Ledgers as a departmental financial system exports them, each planting the same
differences as ``tests.ledgers.ENGLISH``: an SAP-like CSV in French (semicolons, amounts
written the French way with SAP's trailing minus, dates day first) and an Excel workbook
with debit and credit columns; and the mappings that read them."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook

from grants.finance.columns import DateFormat, LedgerMapping

SAP_CSV = (
    "\ufeffN° doc. paiement;Date paiement;Montant (CAD);Bénéficiaire;Centre de coûts\n"
    "PAY-1;15/09/2021;1 000,00;NOW Canada Society;PS-101\n"
    'PAY-2;15/09/2021;"2 100,00 $";NOW Canada Society;PS-101\n'
    "PAY-3;16/09/2021;3 000,00;NOW Canada Society;PS-101\n"
    "PAY-4;15/09/2021;4\u00a0000,00;NOW Canada Society;PS-101\n"
    "PAY-4;15/09/2021;4 000,00;NOW Canada Society;PS-101\n"
    "LEDGER-9;01/10/2021;99,99;Someone Else;PS-102\n"
    "REC-1;01/12/2021;500,00-;NOW Canada Society;PS-101\n"
)
SAP = LedgerMapping(
    payment_ref="N° doc. paiement",
    paid_on="Date paiement",
    date_format=DateFormat.DAY_FIRST,
    amount="Montant (CAD)",
    recipient="Bénéficiaire",
)

# Excel's number for October 1, 2021, as a cell holds it when nobody formatted it.
OCTOBER_1 = (date(2021, 10, 1) - date(1899, 12, 30)).days
DEBIT_CREDIT_ROWS: list[tuple[Any, ...]] = [
    ("Reference", "Posting date", "Debit", "Credit", "Vendor"),
    ("PAY-1", date(2021, 9, 15), 1000, None, "NOW Canada Society"),
    ("PAY-2", date(2021, 9, 15), "2,100.00", None, "NOW Canada Society"),
    ("PAY-3", date(2021, 9, 16), 3000.0, 0, "NOW Canada Society"),
    (),
    ("PAY-4", "2021-09-15", 4000, None, "NOW Canada Society"),
    ("PAY-4", date(2021, 9, 15), 4000, None, "NOW Canada Society"),
    ("LEDGER-9", OCTOBER_1, 99.99, None, "Someone Else"),
    ("REC-1", date(2021, 12, 1), None, 500, "NOW Canada Society"),
]
DEBIT_CREDIT = LedgerMapping(
    payment_ref="Reference",
    paid_on="Posting date",
    debit="Debit",
    credit="Credit",
    recipient="Vendor",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What tests.ledgers.ENGLISH gives against the story of tests/http/test_reconciliation.py.
COUNTS = {
    "matched": 3, "amount_mismatch": 1, "date_mismatch": 1, "ledger_only": 1,
    "tracker_only": 1, "duplicate": 1,
}  # fmt: skip


def workbook(rows: Iterable[Sequence[Any]]) -> bytes:
    """An .xlsx file of one sheet, dates formatted as dates, as Excel saves one."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for n, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(n, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
