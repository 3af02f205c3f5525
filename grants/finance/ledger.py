"""Reading the financial system's payment ledger, a CSV file as finance exports it:
columns found by their header in any order, comma or semicolon separated, UTF-8 with or
without a byte order mark, amounts written the English or the French way."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from grants import money
from grants.domain.errors import Figure, InvalidValue, rule
from grants.domain.values import MAX_CENTS, text

REQUIRED = ("payment_ref", "amount", "paid_on")
OPTIONAL = ("recipient", "agreement_number")


class LedgerUnreadable(InvalidValue):
    """The file cannot be read; names the line (counting the header as line 1) and
    the column."""

    code = "ledger_unreadable"

    def __init__(
        self, template: str, *, line: int, column: str | None = None, **figures: Figure
    ) -> None:
        super().__init__(template, field="file", **figures)
        self.line = line
        self.column = column
        # Where in the file, worded around the reason (grants.wording).
        self.where = (
            rule("line {line}, column {column}: {reason}")
            if column
            else rule("line {line}: {reason}"),
            {"line": line, "column": column or ""},
        )
        self.message = self.where[0].format(**self.where[1], reason=self.message)


@dataclass(frozen=True)
class LedgerLine:
    line: int
    payment_ref: str
    amount_cents: int
    paid_on: date
    recipient: str = ""
    agreement_number: str = ""


def ledger_lines(data: bytes) -> Iterator[LedgerLine]:
    """The ledger's lines, in the file's order, read as they are asked for (a ledger of a
    million lines is never held as a million objects); blank lines are skipped. A line
    that cannot be read raises ``LedgerUnreadable`` when it is reached."""
    try:
        written = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LedgerUnreadable(rule("the file is not UTF-8 text"), line=line) from None
    header_line = written.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    rows = csv.reader(_physical_lines(written), delimiter=delimiter)
    try:
        yield from _lines(rows)
    except csv.Error as error:
        # An unclosed quote, say, or a cell longer than the csv module takes (128 KiB).
        raise LedgerUnreadable(
            rule("not CSV as expected ({detail})"), line=rows.line_num, detail=str(error)
        ) from None


def _physical_lines(written: str) -> Iterator[str]:
    """The text's lines with their endings, one at a time (``io.StringIO`` would copy
    the whole text, four bytes a character)."""
    start = 0
    while start < len(written):
        end = written.find("\n", start)
        end = len(written) if end < 0 else end + 1
        yield written[start:end]
        start = end


def _lines(rows: Iterator[list[str]]) -> Iterator[LedgerLine]:
    header = next(rows, None)
    if header is None:
        raise LedgerUnreadable(rule("the file is empty: it needs a header line"), line=1)
    columns = {name.strip().lower(): n for n, name in enumerate(header)}
    for name in REQUIRED:
        if name not in columns:
            raise LedgerUnreadable(
                rule("no such column: the header needs {columns}"),
                line=1,
                column=name,
                columns=REQUIRED,
            )
    for row in rows:
        if any(cell.strip() for cell in row):
            yield _line(rows.line_num, row, columns)  # type: ignore[attr-defined]


def _line(number: int, row: list[str], columns: dict[str, int]) -> LedgerLine:
    def cell(name: str) -> str:
        n = columns.get(name)
        value = row[n] if n is not None and n < len(row) else ""
        try:
            return text(value, field=name)
        except InvalidValue as error:
            raise LedgerUnreadable(
                error.template, line=number, column=name, **error.figures
            ) from None

    ref = cell("payment_ref")
    if not ref:
        raise LedgerUnreadable(
            rule("the payment reference is empty"), line=number, column="payment_ref"
        )
    try:
        amount = money.from_ledger(cell("amount"))
    except ValueError:
        raise LedgerUnreadable(
            rule("{given} is not an amount such as 1234.56, $1,234.56 or 1 234,56"),
            line=number,
            column="amount",
            given=repr(cell("amount")[:40]),
        ) from None
    if abs(amount) > MAX_CENTS:
        raise LedgerUnreadable(
            rule("{given} is more than the largest amount, {most_cents}"),
            line=number,
            column="amount",
            given=repr(cell("amount")[:40]),
            most_cents=MAX_CENTS,
        )
    try:
        paid_on = date.fromisoformat(cell("paid_on"))
    except ValueError:
        raise LedgerUnreadable(
            rule("{given} is not a date written as 2024-05-31"),
            line=number,
            column="paid_on",
            given=repr(cell("paid_on")[:40]),
        ) from None
    return LedgerLine(
        line=number,
        payment_ref=ref,
        amount_cents=amount,
        paid_on=paid_on,
        recipient=cell("recipient"),
        agreement_number=cell("agreement_number"),
    )
