"""Reading the financial system's payment ledger as finance exports it: a CSV file (comma,
semicolon or tab separated, UTF-8 with or without a byte order mark, quoted cells) or an
Excel workbook (.xlsx), its header on the first row. Columns are found by their header:
the tracker's own names (``payment_ref``, ``amount``, ``paid_on``) in any order, or the
ones a mapping names (``grants.finance.columns``). Amounts are numbers or text written
the English or the French way; dates are ISO, as the mapping says, or Excel dates."""

from __future__ import annotations

import codecs
import csv
import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from grants import money
from grants.domain.errors import Figure, InvalidValue, rule
from grants.domain.values import MAX_CENTS, text
from grants.finance.columns import STANDARD_REQUIRED, DateFormat, LedgerMapping, Sign, standard
from grants.finance.workbook import (
    XLS_MAGIC,
    XLSX_MAGIC,
    Cell,
    NotAWorkbook,
    serial_day,
    workbook_rows,
)

_QUOTED = re.compile(r'"[^"]*"')
# Excel's date numbers from 1900-01-01 to 9999-12-31.
_SERIAL_DAYS = range(1, 2_958_466)


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


Row = tuple[int, Sequence[Cell]]


def ledger_lines(
    data: bytes, mapping: LedgerMapping | None = None, *, mapping_name: str | None = None
) -> Iterator[LedgerLine]:
    """The ledger's lines, in the file's order, read as they are asked for (a ledger of a
    million lines is never held as a million objects); blank lines are skipped. Without
    a mapping, the columns are the tracker's own names. A line that cannot be read
    raises ``LedgerUnreadable`` when it is reached."""
    header, rows = _headed(data)
    columns = _Columns.of(header, mapping, mapping_name)
    for number, row in rows:
        yield columns.line(number, row)


def ledger_header(data: bytes) -> list[str]:
    """The names of the file's columns, as it writes them."""
    return ledger_preview(data, lines=0)[0]


def ledger_preview(data: bytes, lines: int = 5) -> tuple[list[str], list[list[str]]]:
    """The header and the first lines (blank ones left out) as the file writes them, for
    finance to say which column holds what."""
    header, rows = _headed(data)
    return header, [written(row) for _, row in itertools.islice(rows, lines)]


def _headed(data: bytes) -> tuple[list[str], Iterator[Row]]:
    """The header's names, and the rows after it that are not blank."""
    rows = ledger_rows(data)
    header = next(rows, None)
    if header is None:
        raise LedgerUnreadable(rule("the file is empty: it needs a header line"), line=1)
    filled = (row for row in rows if any(not _blank(cell) for cell in row[1]))
    return written(header[1]), filled


def ledger_rows(data: bytes) -> Iterator[Row]:
    """The file's rows with their line numbers, the header first, whether it is a CSV
    file or a workbook."""
    if data.startswith(XLS_MAGIC):
        raise LedgerUnreadable(
            rule("an Excel 97-2003 workbook (.xls): save it as .xlsx or CSV"), line=1
        )
    if not data.startswith(XLSX_MAGIC):
        return _csv_rows(data)
    return _workbook_rows(data)


def _workbook_rows(data: bytes) -> Iterator[Row]:
    rows = workbook_rows(data)
    try:
        yield from rows
    except NotAWorkbook as error:
        raise LedgerUnreadable(
            rule("not an Excel workbook as expected ({detail})"), line=1, detail=str(error)
        ) from None


def _csv_rows(data: bytes) -> Iterator[Row]:
    try:
        text_ = data.decode(encoding := _encoding(data))
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding, errors="replace").count("\n") + 1
        if encoding == "utf-16":
            raise LedgerUnreadable(rule("the file is not UTF-16 text"), line=line) from None
        raise LedgerUnreadable(rule("the file is not UTF-8 text"), line=line) from None
    # The separator is the one the header uses most outside its quoted names.
    header_line = _QUOTED.sub("", text_.split("\n", 1)[0])
    delimiter = max(",;\t", key=header_line.count)
    rows = csv.reader(_physical_lines(text_), delimiter=delimiter)
    try:
        for row in rows:
            yield rows.line_num, row
    except csv.Error as error:
        # An unclosed quote, say, or a cell longer than the csv module takes (128 KiB).
        raise LedgerUnreadable(
            rule("not CSV as expected ({detail})"), line=rows.line_num, detail=str(error)
        ) from None


def _encoding(data: bytes) -> str:
    """UTF-8 (its byte order mark left out), or UTF-16 when its byte order mark says so,
    as Excel saves "Unicode text"; never a guess between 8-bit encodings."""
    return "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"


def _physical_lines(written: str) -> Iterator[str]:
    """The text's lines with their endings, one at a time (``io.StringIO`` would copy
    the whole text, four bytes a character)."""
    start = 0
    while start < len(written):
        end = written.find("\n", start)
        end = len(written) if end < 0 else end + 1
        yield written[start:end]
        start = end


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def written(row: Sequence[Cell]) -> list[str]:
    """Cells as text: a workbook's numbers and dates as a CSV export would write them."""
    return [_written(cell) for cell in row]


def _written(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a reference Excel keeps as a number: 5100001234.0
    if isinstance(cell, datetime) and cell.time() == time():
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


@dataclass(frozen=True)
class _Columns:
    """Where each field is in the rows, by the header's names; the names given in
    refusals are the file's own."""

    mapping: LedgerMapping
    position: dict[str, int]
    name: dict[str, str]

    @classmethod
    def of(
        cls, header: Sequence[str], mapping: LedgerMapping | None, mapping_name: str | None
    ) -> _Columns:
        found = {column.strip().casefold(): n for n, column in enumerate(header)}
        if mapping is None:
            mapping = standard(header)
        if mapping is None:
            missing = next(n for n in STANDARD_REQUIRED if n not in found)
            raise LedgerUnreadable(
                rule("no such column: the header needs {columns}"),
                line=1,
                column=missing,
                columns=STANDARD_REQUIRED,
            )
        position = {}
        for field, column in mapping.fields.items():
            n = found.get(column.strip().casefold())
            if n is None:
                raise LedgerUnreadable(
                    rule("no such column: the mapping {mapping} reads {reads} from it"),
                    line=1,
                    column=column,
                    mapping=mapping_name or "",
                    reads=field,
                )
            position[field] = n
        return cls(mapping, position, {f: header[n].strip() for f, n in position.items()})

    def line(self, number: int, row: Sequence[Cell]) -> LedgerLine:
        def cell(field: str) -> Cell:
            n = self.position.get(field)
            return row[n] if n is not None and n < len(row) else None

        def text_of(field: str) -> str:
            try:
                return text(_written(cell(field)), field=field)
            except InvalidValue as error:
                raise LedgerUnreadable(
                    error.template, line=number, column=self.name[field], **error.figures
                ) from None

        ref = text_of("payment_ref")
        if not ref:
            raise LedgerUnreadable(
                rule("the payment reference is empty"),
                line=number,
                column=self.name["payment_ref"],
            )
        return LedgerLine(
            line=number,
            payment_ref=ref,
            amount_cents=self._cents(number, cell),
            paid_on=self._day(number, cell("paid_on")),
            recipient=text_of("recipient") if "recipient" in self.position else "",
            agreement_number=(
                text_of("agreement_number") if "agreement_number" in self.position else ""
            ),
        )

    def _cents(self, number: int, cell: Callable[[str], Cell]) -> int:
        """The line's amount, a payment positive: from its amount column, or its debit
        less its credit (either one left empty)."""
        if "amount" in self.position:
            cents = self._amount(number, "amount", cell("amount"))
        else:
            debit, credit = cell("debit"), cell("credit")
            if _blank(debit) and _blank(credit):
                raise LedgerUnreadable(
                    rule("the line has neither a debit nor a credit"),
                    line=number,
                    column=self.name["debit"],
                )
            cents = self._amount(number, "debit", debit, blank=0) - self._amount(
                number, "credit", credit, blank=0
            )
        if self.mapping.sign is Sign.PAYMENTS_NEGATIVE:
            cents = -cents
        return cents

    def _amount(self, number: int, field: str, value: Cell, blank: int | None = None) -> int:
        if blank is not None and _blank(value):
            return blank
        try:
            cents = _cents_of(value)
        except ValueError:
            raise LedgerUnreadable(
                rule("{given} is not an amount such as 1234.56, $1,234.56 or 1 234,56"),
                line=number,
                column=self.name[field],
                given=repr(_written(value)[:40]),
            ) from None
        if abs(cents) > MAX_CENTS:
            raise LedgerUnreadable(
                rule("{given} is more than the largest amount, {most_cents}"),
                line=number,
                column=self.name[field],
                given=repr(_written(value)[:40]),
                most_cents=MAX_CENTS,
            )
        return cents

    def _day(self, number: int, value: Cell) -> date:
        form = self.mapping.date_format
        try:
            return _day_of(value, form)
        except (ValueError, OverflowError):
            raise LedgerUnreadable(
                rule("{given} is not a date written as {example}"),
                line=number,
                column=self.name["paid_on"],
                given=repr(_written(value)[:40]),
                example=form.example,
            ) from None


def _cents_of(value: Cell) -> int:
    """Cents from an amount as a CSV file writes it (``grants.money.from_ledger``) or as
    a workbook holds it (a number, through its decimal digits, never a float's sum)."""
    if isinstance(value, str):
        return money.from_ledger(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(value)
    cents = Decimal(repr(value)).scaleb(2)
    whole = cents.to_integral_value()
    # A spreadsheet's sum may carry a float's last digits (0.30000000000000004), never
    # a third decimal that someone typed.
    if abs(cents - whole) > Decimal("0.000001"):
        raise ValueError(value)
    return int(whole)


def _day_of(value: Cell, form: DateFormat) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return form.read(value.strip())
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) not in _SERIAL_DAYS:
            raise ValueError(value)
        return serial_day(value)
    raise ValueError(value)
