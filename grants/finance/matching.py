"""Matching the financial system's ledger to the payments the tracker recorded, by
payment reference: pure, so the same ledger and the same payments always give the same
report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import groupby
from operator import attrgetter

from grants.finance.ledger import LedgerLine
from grants.projections.payments import Paid


class Class(StrEnum):
    MATCHED = "matched"
    AMOUNT_MISMATCH = "amount_mismatch"
    DATE_MISMATCH = "date_mismatch"
    LEDGER_ONLY = "ledger_only"
    TRACKER_ONLY = "tracker_only"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Line:
    """One line of the report: a ledger line, a tracker payment, or both."""

    class_: Class
    ledger: LedgerLine | None
    tracker: Paid | None

    @property
    def payment_ref(self) -> str:
        side = self.ledger or self.tracker
        assert side is not None
        return side.payment_ref

    @property
    def cents(self) -> int:
        """The amount the line stands for: the ledger's, or the tracker's when the
        ledger has none."""
        if self.ledger is not None:
            return self.ledger.amount_cents
        assert self.tracker is not None
        return self.tracker.amount_cents


def by_reference(
    ledger: Iterable[LedgerLine], paid: Iterable[Paid], fiscal_year: str
) -> Iterator[Line]:
    """The report's lines, one payment reference after another: each ledger line
    against the tracker's payment with its reference, then the payments of the fiscal
    year that no line matched. Both sides come sorted by reference (by code point), the
    ledger's lines in the file's order within one, the payments by ``payment_order``;
    only one reference's lines are held at a time."""
    entries = groupby(ledger, key=attrgetter("payment_ref"))
    payments = groupby(paid, key=attrgetter("payment_ref"))
    entry, payment = next(entries, None), next(payments, None)
    while entry is not None or payment is not None:
        if payment is None or (entry is not None and entry[0] < payment[0]):
            assert entry is not None
            yield from _match(list(entry[1]), [], fiscal_year)
            entry = next(entries, None)
        elif entry is None or payment[0] < entry[0]:
            yield from _match([], list(payment[1]), fiscal_year)
            payment = next(payments, None)
        else:
            yield from _match(list(entry[1]), list(payment[1]), fiscal_year)
            entry, payment = next(entries, None), next(payments, None)


def _match(entries: list[LedgerLine], payments: list[Paid], fiscal_year: str) -> list[Line]:
    """The lines of one reference. A reference the ledger repeats is a ``duplicate``
    once the tracker has no other payment under it; when the tracker recorded several
    payments under one reference, each ledger line takes the one that agrees with it
    best."""
    lines = []
    for n, entry in enumerate(entries):
        if payments:
            payment = min(payments, key=lambda p: _disagreement(entry, p))
            payments.remove(payment)
            lines.append(Line(_compare(entry, payment), entry, payment))
        else:
            lines.append(Line(Class.DUPLICATE if n else Class.LEDGER_ONLY, entry, None))
    lines.extend(
        Line(Class.TRACKER_ONLY, None, p) for p in payments if p.fiscal_year == fiscal_year
    )
    return lines


def _compare(entry: LedgerLine, payment: Paid) -> Class:
    if entry.amount_cents != payment.amount_cents:
        return Class.AMOUNT_MISMATCH
    if entry.paid_on != payment.paid_on:
        return Class.DATE_MISMATCH
    return Class.MATCHED


def _disagreement(entry: LedgerLine, payment: Paid) -> tuple[bool, bool]:
    return entry.amount_cents != payment.amount_cents, entry.paid_on != payment.paid_on


def payment_order(payment: Paid) -> tuple[date, str, str, int]:
    """The order payments are matched in, and the tracker's lines are reported in."""
    return payment.paid_on, payment.payment_ref, str(payment.project_id), payment.amount_cents
