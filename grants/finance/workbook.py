"""A ledger exported as an Excel workbook (.xlsx): its first sheet's rows, read one at a
time in openpyxl's read-only mode, so that a million lines never sit in memory as cells.
Cells come as Excel typed them: text, numbers, and dates for cells formatted as dates."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from xml.etree.ElementTree import ParseError

# A cell as a CSV file or a workbook gives it.
Cell = str | int | float | datetime | date | timedelta | bool | None

# Every .xlsx file is a ZIP archive; Excel 97-2003's .xls is an OLE compound file.
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# What openpyxl raises on a file that is not a workbook it can read, however broken.
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    ValueError,
    ParseError,
)


class NotAWorkbook(Exception):
    """The file looks like a workbook and is not one openpyxl reads; says why."""


def workbook_rows(data: bytes) -> Iterator[tuple[int, Sequence[Cell]]]:
    """The first sheet's rows with their row numbers (1 for the first), blank rows
    included as empty ones."""
    # Imported when a workbook comes: openpyxl adds 13 MB to every process that imports
    # it, and most ledgers are CSV files.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (*_BROKEN, InvalidFileException)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except broken as error:
        raise NotAWorkbook(str(error) or type(error).__name__) from None
    try:
        sheet = book.worksheets[0]
        # Exports often write a wrong sheet size: read every row and cell there is.
        sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    except broken as error:
        # A sheet cut short or its XML broken, found only when its rows are read.
        raise NotAWorkbook(str(error) or type(error).__name__) from None
    finally:
        book.close()


def serial_day(serial: float) -> date:
    """The day an Excel date number stands for, in the 1900 date system workbooks use."""
    from openpyxl.utils.datetime import from_excel

    day: datetime = from_excel(serial)
    return day.date()
