"""The CSV files the project writes, safe to open in a spreadsheet. A cell that begins
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel and
LibreOffice (``=HYPERLINK(...)`` sends the reader's data away): such text is written
after a single quote, as OWASP recommends, so that it shows as typed and never runs.
Numbers the project writes itself (a recovery's ``-1234.56``) stay numbers."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class Number(str):
    """Text the project writes as a number: ``1234.56``, ``-500.00``. Only a plain
    number is one, so that nothing else can be passed off as one and escape the quote."""

    __slots__ = ()

    def __new__(cls, text: str) -> Number:
        if not _PLAIN_NUMBER.fullmatch(text):
            raise ValueError(f"not a plain number: {text!r}")
        return super().__new__(cls, text)


def cell(value: object) -> str:
    """What a CSV cell holds for a value: integers and ``Number`` as they are, any other
    text quoted when a spreadsheet would take it for a formula; None is empty."""
    if value is None:
        return ""
    if isinstance(value, Number) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(
    header: Iterable[object], rows: Iterable[Iterable[object]], *, lineterminator: str = "\r\n"
) -> str:
    """A header line and the rows, every cell through ``cell``, each line ended by
    ``lineterminator``."""
    # Written as if lines ended with CR LF, so that a cell holding either is quoted:
    # with LF alone the csv module leaves a lone CR bare, and readers end the row there.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    lines = []
    for row in itertools.chain([header], rows):
        writer.writerow([cell(value) for value in row])
        lines.append(out.getvalue().removesuffix("\r\n"))
        out.seek(0)
        out.truncate()
    return "".join(line + lineterminator for line in lines)


def for_spreadsheets(text: str) -> str:
    """A CSV file people open in a spreadsheet: Excel reads it as UTF-8 (accents and all)
    only when it starts with a byte order mark."""
    return "\ufeff" + text
