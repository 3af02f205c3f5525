"""Which column of a ledger holds what, as finance tells it for a layout the tracker
does not know (an export from the departmental financial system as it comes): the
payment reference, the amount (one column with its sign, or debit and credit), the
payment date with how it is written, and optionally the recipient. Pure values: they
are kept as data (``grants.finance.ledger_mappings``), never as code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

import msgspec

from grants.domain.errors import InvalidValue, rule

# The columns a ledger may have without a mapping, named by the tracker's own words.
STANDARD_REQUIRED = ("payment_ref", "amount", "paid_on")

_NUMERIC_DAY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")


class DateFormat(StrEnum):
    """How a ledger writes its dates when they are text. Chosen by finance, never
    guessed: 03/04/2024 is March 4 to one export and April 3 to another."""

    ISO = "YYYY-MM-DD"
    DAY_FIRST = "DD/MM/YYYY"
    MONTH_FIRST = "MM/DD/YYYY"

    @property
    def example(self) -> str:
        """May 31, 2024, written this way."""
        return _EXAMPLES[self]

    def read(self, written: str) -> date:
        """The day written this way; a ``ValueError`` otherwise. A time after the day
        (an export of date-times) is left out; the day and month may be separated by
        ``/``, ``.`` or ``-``."""
        if self is DateFormat.ISO:
            return datetime.fromisoformat(written).date()
        found = _NUMERIC_DAY.fullmatch(written.split(" ", 1)[0])
        if found is None:
            raise ValueError(written)
        first, second, year = (int(part) for part in found.groups())
        day, month = (first, second) if self is DateFormat.DAY_FIRST else (second, first)
        return date(year, month, day)


_EXAMPLES = {
    DateFormat.ISO: "2024-05-31",
    DateFormat.DAY_FIRST: "31/05/2024",
    DateFormat.MONTH_FIRST: "05/31/2024",
}


class Sign(StrEnum):
    """Whether the ledger writes a payment as a positive amount (a debit, with debit and
    credit columns) or as a negative one (a credit): the tracker counts payments
    positive and recoveries negative."""

    PAYMENTS_POSITIVE = "payments_positive"
    PAYMENTS_NEGATIVE = "payments_negative"


class LedgerMapping(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Each field of a ledger line by the header of the column that holds it, as the
    file writes it (matched whatever its case and surrounding spaces)."""

    payment_ref: str
    paid_on: str
    date_format: DateFormat = DateFormat.ISO
    amount: str | None = None
    debit: str | None = None
    credit: str | None = None
    sign: Sign = Sign.PAYMENTS_POSITIVE
    recipient: str | None = None
    agreement_number: str | None = None

    def __post_init__(self) -> None:
        one_amount = self.amount and not (self.debit or self.credit)
        debit_and_credit = self.debit and self.credit and not self.amount
        if not (one_amount or debit_and_credit):
            raise InvalidValue(
                rule("either one amount column, or a debit and a credit column"),
                field="amount",
            )

    @property
    def fields(self) -> dict[str, str]:
        """The columns the mapping reads, by the field each holds."""
        named = {
            "payment_ref": self.payment_ref,
            "amount": self.amount,
            "debit": self.debit,
            "credit": self.credit,
            "paid_on": self.paid_on,
            "recipient": self.recipient,
            "agreement_number": self.agreement_number,
        }
        return {field: column for field, column in named.items() if column}


def header_key(header: Sequence[str]) -> tuple[str, ...]:
    """A header as it is compared: ``Montant `` and ``montant`` are one column."""
    return tuple(column.strip().casefold() for column in header)


def standard(header: Sequence[str]) -> LedgerMapping | None:
    """The mapping of a ledger that names its columns as the tracker does (``payment_ref``,
    ``amount``, ``paid_on``, and when present ``recipient`` and ``agreement_number``), or
    None when one of the required names is missing."""
    present = set(header_key(header))
    if not present.issuperset(STANDARD_REQUIRED):
        return None
    return LedgerMapping(
        payment_ref="payment_ref",
        amount="amount",
        paid_on="paid_on",
        recipient="recipient" if "recipient" in present else None,
        agreement_number="agreement_number" if "agreement_number" in present else None,
    )
