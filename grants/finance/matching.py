"""Matching the financial system's ledger to the payments the tracker recorded, by
payment reference: pure, so the same ledger and the same payments always give the same
report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

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


def reconcile(ledger: Sequence[LedgerLine], paid: Iterable[Paid], fiscal_year: str) -> list[Line]:
    """Classes each ledger line against the tracker's payment with its reference, then
    adds the payments of the fiscal year that no ledger line matched.

    A reference the ledger repeats is a ``duplicate`` once the tracker has no other
    payment under it; when the tracker recorded several payments under one reference,
    each ledger line takes the one that agrees with it best."""
    by_ref: dict[str, list[Paid]] = defaultdict(list)
    for payment in sorted(paid, key=_order):
        by_ref[payment.payment_ref].append(payment)
    seen: set[str] = set()
    lines = []
    for entry in ledger:
        candidates = by_ref.get(entry.payment_ref)
        if not candidates:
            duplicate = entry.payment_ref in seen
            lines.append(Line(Class.DUPLICATE if duplicate else Class.LEDGER_ONLY, entry, None))
        else:
            payment = min(candidates, key=lambda p: _disagreement(entry, p))
            candidates.remove(payment)
            lines.append(Line(_compare(entry, payment), entry, payment))
        seen.add(entry.payment_ref)
    unmatched = (p for payments in by_ref.values() for p in payments)
    lines.extend(
        Line(Class.TRACKER_ONLY, None, p)
        for p in sorted(unmatched, key=_order)
        if p.fiscal_year == fiscal_year
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


def _order(payment: Paid) -> tuple[date, str, str, int]:
    return payment.paid_on, payment.payment_ref, str(payment.project_id), payment.amount_cents
