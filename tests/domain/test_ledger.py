"""Reading ledgers and matching them, without I/O: every way finance writes an amount
reads back to the same cents, and every line and payment lands in the report once."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.finance.ledger import LedgerLine, LedgerUnreadable, ledger_lines
from grants.finance.matching import Class, Line, by_reference, payment_order
from grants.money import from_ledger, plain
from grants.projections.payments import Paid

cents = st.integers(-(10**11), 10**11)


def english(value: int) -> str:
    return f"{'-' if value < 0 else ''}${abs(value) // 100:,}.{abs(value) % 100:02d}"


def french(value: int) -> str:
    grouped = f"{abs(value) // 100:,}".replace(",", "\u00a0")
    return f"{'-' if value < 0 else ''}{grouped},{abs(value) % 100:02d} $"


@given(cents)
def test_every_written_form_of_an_amount_reads_the_same(value: int) -> None:
    written = (plain(value), english(value), french(value))
    assert [from_ledger(w) for w in written] == [value] * 3
    assert from_ledger(f"({english(abs(value))})") == -abs(value)  # accountants' negative


def test_a_ledger_reads_with_its_columns_in_any_order() -> None:
    lines = list(
        ledger_lines(
            "\ufeffRecipient;Paid_On;Amount;Payment_Ref\nNOW;2021-09-15;1 234,56;PAY-1\n\n".encode()
        )
    )
    assert lines == [LedgerLine(2, "PAY-1", 123_456, date(2021, 9, 15), "NOW")]


def test_a_file_that_is_not_utf8_is_refused_at_its_line() -> None:
    with pytest.raises(LedgerUnreadable) as refused:
        list(
            ledger_lines(b"payment_ref,amount,paid_on\nPAY-1,1,2021-09-15\nPAY-\xe9,1,2021-09-15\n")
        )
    assert refused.value.line == 3


refs = st.sampled_from([f"PAY-{n}" for n in range(8)])
days = st.integers(0, 400).map(lambda n: date(2021, 4, 1) + timedelta(days=n))
small = st.integers(-5, 5).map(lambda n: n * 100)
PROJECT = uuid4()


def paid(ref: str, amount: int, day: date, project: UUID = PROJECT) -> Paid:
    year = "2021-22" if day < date(2022, 4, 1) else "2022-23"
    return Paid(ref, amount, day, year, project, "NOW", "")


def reconcile(ledger: list[LedgerLine], payments: list[Paid]) -> list[Line]:
    """The report as the job writes it: both sides sorted as the database gives them,
    then the lines in the report's order (the ledger's, then the tracker's)."""
    lines = by_reference(
        sorted(ledger, key=lambda line: (line.payment_ref, line.line)),
        sorted(payments, key=lambda p: (p.payment_ref, payment_order(p))),
        "2021-22",
    )
    return sorted(lines, key=report_order)


def report_order(line: Line) -> tuple[Any, ...]:
    if line.ledger:
        return (0, line.ledger.line)
    assert line.tracker
    return (1, payment_order(line.tracker))


@given(
    st.lists(st.tuples(refs, small, days), max_size=12),
    st.lists(st.tuples(refs, small, days), max_size=12),
)
def test_every_ledger_line_and_every_payment_of_the_year_is_reported_once(
    ledger_rows: list[tuple[str, int, date]], tracker_rows: list[tuple[str, int, date]]
) -> None:
    ledger = [
        LedgerLine(n + 2, ref, amount, day) for n, (ref, amount, day) in enumerate(ledger_rows)
    ]
    payments = [paid(*row) for row in tracker_rows]
    report = reconcile(ledger, payments)
    assert [line.ledger for line in report if line.ledger] == ledger
    matched = [line.tracker for line in report if line.tracker and line.ledger]
    only = [line.tracker for line in report if line.tracker and not line.ledger]
    assert all(line.class_ is Class.TRACKER_ONLY for line in report if not line.ledger)
    in_year = [p for p in matched + only if p.fiscal_year == "2021-22"]
    assert Counter(in_year) == Counter(p for p in payments if p.fiscal_year == "2021-22")
    other_years = Counter(p for p in matched if p.fiscal_year != "2021-22")
    assert other_years <= Counter(payments)
    for line in report:
        if line.class_ is Class.MATCHED:
            assert line.ledger and line.tracker
            assert (line.ledger.amount_cents, line.ledger.paid_on) == (
                line.tracker.amount_cents,
                line.tracker.paid_on,
            )
    assert reconcile(ledger, list(reversed(payments))) == report
