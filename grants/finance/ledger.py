"""Reading the financial system's payment ledger, a CSV file as finance exports it:
columns found by their header in any order, comma or semicolon separated, UTF-8 with or
without a byte order mark, amounts written the English or the French way."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from grants import money
from grants.domain.errors import InvalidValue
from grants.domain.values import MAX_CENTS, text

REQUIRED = ("payment_ref", "amount", "paid_on")
OPTIONAL = ("recipient", "agreement_number")


class LedgerUnreadable(InvalidValue):
    """The file cannot be read; names the line (counting the header as line 1) and
    the column."""

    code = "ledger_unreadable"

    def __init__(self, message: str, *, line: int, column: str | None = None) -> None:
        where = f"line {line}" + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}", field="file")
        self.line = line
        self.column = column


@dataclass(frozen=True)
class LedgerLine:
    line: int
    payment_ref: str
    amount_cents: int
    paid_on: date
    recipient: str = ""
    agreement_number: str = ""


def read_ledger(data: bytes) -> list[LedgerLine]:
    """The ledger's lines, in the file's order; blank lines are skipped."""
    try:
        written = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LedgerUnreadable("the file is not UTF-8 text", line=line) from None
    header_line = written.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    rows = csv.reader(io.StringIO(written, newline=""), delimiter=delimiter)
    try:
        return _lines(rows)
    except csv.Error as error:
        # An unclosed quote, say, or a cell longer than the csv module takes (128 KiB).
        raise LedgerUnreadable(f"not CSV as expected: {error}", line=rows.line_num) from None


def _lines(rows: Iterator[list[str]]) -> list[LedgerLine]:
    header = next(rows, None)
    if header is None:
        raise LedgerUnreadable("the file is empty: it needs a header line", line=1)
    columns = {name.strip().lower(): n for n, name in enumerate(header)}
    for name in REQUIRED:
        if name not in columns:
            raise LedgerUnreadable(
                f"no {name} column (the header needs {', '.join(REQUIRED)})",
                line=1,
                column=name,
            )
    lines = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        lines.append(_line(rows.line_num, row, columns))  # type: ignore[attr-defined]
    return lines


def _line(number: int, row: list[str], columns: dict[str, int]) -> LedgerLine:
    def cell(name: str) -> str:
        n = columns.get(name)
        value = row[n] if n is not None and n < len(row) else ""
        try:
            return text(value, field=name)
        except InvalidValue as error:
            raise LedgerUnreadable(error.message, line=number, column=name) from None

    ref = cell("payment_ref")
    if not ref:
        raise LedgerUnreadable("the payment reference is empty", line=number, column="payment_ref")
    try:
        amount = money.from_ledger(cell("amount"))
    except ValueError as error:
        raise LedgerUnreadable(str(error), line=number, column="amount") from None
    if abs(amount) > MAX_CENTS:
        raise LedgerUnreadable(
            f"{cell('amount')[:40]!r} is more than the largest amount, $100 billion",
            line=number,
            column="amount",
        )
    try:
        paid_on = date.fromisoformat(cell("paid_on"))
    except ValueError:
        raise LedgerUnreadable(
            f"{cell('paid_on')!r} is not a date written as 2024-05-31",
            line=number,
            column="paid_on",
        ) from None
    return LedgerLine(
        line=number,
        payment_ref=ref,
        amount_cents=amount,
        paid_on=paid_on,
        recipient=cell("recipient"),
        agreement_number=cell("agreement_number"),
    )
