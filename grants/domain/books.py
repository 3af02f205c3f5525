"""The books: the fiscal years finance has closed. A closed year takes no change until an
admin reopens it with a reason; closing lapses what was committed to it and not paid.

Which years a change touches is decided here too (``touched``), for the domain's refusal
and for the event store, which refuses a write touching a closed year whatever raced it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid5

from grants.domain.aggregate import Aggregate
from grants.domain.errors import InvalidValue, PaymentsPending, PeriodClosed, PeriodOpen, rule
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.project import PAYABLES_AT_YEAR_END, Project
from grants.domain.values import TEXT_LENGTH, text

# The books are one aggregate, at an id every process knows.
BOOKS_ID = uuid5(UUID("6f1c1bde-7f8e-4a54-9d57-3c0f3d8b2a41"), "books")

# What may still change in a closed year: money recovered (which lapses) and the year's
# own lapses, which only take money out of it; and the commitments they change.
_ALLOWED_IN_CLOSED_YEARS = (Project.OverpaymentRecovered, Project.CommitmentLapsed)
_ALLOWED_REASONS = frozenset(cls.__name__ for cls in _ALLOWED_IN_CLOSED_YEARS)


@dataclass(frozen=True)
class Closing:
    """One close, abandoned close or reopening of a fiscal year, as the books list them."""

    fiscal_year: FiscalYear
    closed: bool
    actor: str
    on: date
    reason: str


class Books(Aggregate):
    """A close runs in two steps. It first freezes the year, so that nothing changes it
    from then on, whatever is under way; then, on the year's state as it stands once
    the views have read up to the freeze, it lapses what was committed and not paid and
    closes the year, or, if payment requests charged to it still await release,
    unfreezes it and says so."""

    closing: frozenset[FiscalYear]
    closed: frozenset[FiscalYear]
    history: tuple[Closing, ...]

    def __init__(self) -> None:
        """The state comes from the creation event's ``apply``, like every change."""

    class Opened(Aggregate.Created):
        def apply(self, books: Books) -> None:
            books.closing = frozenset()
            books.closed = frozenset()
            books.history = ()

    class FiscalYearFrozen(Aggregate.Event):
        fiscal_year: FiscalYear

        def apply(self, books: Books) -> None:
            books.closing = books.closing | {self.fiscal_year}

    class FiscalYearClosed(Aggregate.Event):
        fiscal_year: FiscalYear

        def apply(self, books: Books) -> None:
            books.closing = books.closing - {self.fiscal_year}
            books.closed = books.closed | {self.fiscal_year}
            books.history = (
                *books.history,
                Closing(self.fiscal_year, True, self.actor, self.effective_on, ""),
            )

    class FiscalYearUnfrozen(Aggregate.Event):
        """The close was abandoned: payment requests charged to the year await release."""

        fiscal_year: FiscalYear
        awaiting_release: int

        def apply(self, books: Books) -> None:
            books.closing = books.closing - {self.fiscal_year}

    class FiscalYearReopened(Aggregate.Event):
        fiscal_year: FiscalYear
        reason: str

        def apply(self, books: Books) -> None:
            books.closed = books.closed - {self.fiscal_year}
            books.history = (
                *books.history,
                Closing(self.fiscal_year, False, self.actor, self.effective_on, self.reason),
            )

    @classmethod
    def open(cls, *, actor: str, effective_on: date) -> Books:
        return cls._create(cls.Opened, id=BOOKS_ID, actor=actor, effective_on=effective_on)

    def freeze(
        self, fiscal_year: FiscalYear, *, awaiting_release: int, actor: str, effective_on: date
    ) -> None:
        """The close's first step, once the year and its payables at year-end are over
        and no request charged to it awaits release; nothing if a close of the year,
        interrupted, is under way."""
        if fiscal_year in self.closed:
            raise PeriodClosed(rule("{fiscal_year} is already closed"), fiscal_year=fiscal_year)
        if fiscal_year in self.closing:
            return
        payables_until = fiscal_year.ends_on + PAYABLES_AT_YEAR_END
        if effective_on <= payables_until:
            raise PeriodOpen(
                rule(
                    "{fiscal_year} can be closed once its payables at year-end are over, "
                    "after {payables_until_on}"
                ),
                fiscal_year=fiscal_year,
                payables_until_on=payables_until,
            )
        if awaiting_release:
            raise _payments_pending(awaiting_release)
        self.trigger_event(
            self.FiscalYearFrozen, fiscal_year=fiscal_year, actor=actor, effective_on=effective_on
        )

    def close(
        self, fiscal_year: FiscalYear, *, awaiting_release: int, actor: str, effective_on: date
    ) -> PaymentsPending | None:
        """The close's second step, on the frozen year: closed; or unfrozen if requests
        charged to it were certified while it froze (the refusal returned, for the
        caller to give once the year is unfrozen)."""
        if awaiting_release:
            self.trigger_event(
                self.FiscalYearUnfrozen,
                fiscal_year=fiscal_year,
                awaiting_release=awaiting_release,
                actor=actor,
                effective_on=effective_on,
            )
            return _payments_pending(awaiting_release)
        self.trigger_event(
            self.FiscalYearClosed, fiscal_year=fiscal_year, actor=actor, effective_on=effective_on
        )
        return None

    def reopen(
        self, fiscal_year: FiscalYear, reason: str, *, actor: str, effective_on: date
    ) -> None:
        if fiscal_year not in self.closed:
            raise PeriodOpen(rule("{fiscal_year} is not closed"), fiscal_year=fiscal_year)
        reason = text(reason, field="reason", max_length=TEXT_LENGTH, multiline=True)
        if not reason:
            raise InvalidValue(rule("say why the year is reopened"), field="reason")
        self.trigger_event(
            self.FiscalYearReopened,
            fiscal_year=fiscal_year,
            reason=reason,
            actor=actor,
            effective_on=effective_on,
        )

    @property
    def frozen(self) -> frozenset[FiscalYear]:
        """The years nothing changes: closed, or being closed."""
        return self.closed | self.closing


def check_open(frozen: frozenset[FiscalYear], years: Iterable[FiscalYear]) -> None:
    """Refuses a change touching a closed year, or one being closed (``touched``)."""
    if closed := sorted(set(years) & frozen):
        raise PeriodClosed(
            rule("{fiscal_year} is closed: an admin reopens it, with a reason, to change it"),
            fiscal_year=closed[0],
        )


@dataclass(frozen=True)
class Guard:
    """What the event store checks of a write against its own record of the books, so
    that nothing slips into a closed year whatever raced the decision: the years the
    write touches are open; it freezes some, or unfreezes some."""

    touched: frozenset[FiscalYear] = frozenset()
    freezing: frozenset[FiscalYear] = frozenset()
    unfreezing: frozenset[FiscalYear] = frozenset()


def guard(events: Iterable[Aggregate.Event]) -> Guard:
    events = list(events)
    return Guard(
        touched=frozenset(touched(events)),
        freezing=frozenset(e.fiscal_year for e in events if isinstance(e, Books.FiscalYearFrozen)),
        unfreezing=frozenset(
            e.fiscal_year
            for e in events
            if isinstance(e, Books.FiscalYearUnfrozen | Books.FiscalYearReopened)
        ),
    )


def _payments_pending(count: int) -> PaymentsPending:
    return PaymentsPending(rule("certified payment requests await release: {count}"), count=count)


def touched(events: Iterable[Aggregate.Event]) -> set[FiscalYear]:
    """The fiscal years a change falls in: the day each event takes effect, the years of
    the money it commits or pays, the allocations it sets."""
    years: set[FiscalYear] = set()
    for event in events:
        if isinstance(event, (Books.Event, *_ALLOWED_IN_CLOSED_YEARS)):
            continue
        if isinstance(event, Program.CommitmentChanged):
            if event.reason in _ALLOWED_REASONS:
                continue
            years.update(event.changes)
        years.add(FiscalYear.of(event.effective_on))
        if isinstance(
            event,
            Program.AllocationSet
            | Project.PaymentRequested
            | Project.DisbursementReleased
            | Project.HoldbackReleased,
        ):
            years.add(event.fiscal_year)
    return years
