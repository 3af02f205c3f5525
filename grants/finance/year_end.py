"""The fiscal year-end, per program: what was allocated, committed and paid, and what
is left: commitments unpaid, of which payables at year-end (certified, releasable until
April 30), holdbacks retained, and what lapses unless it is reprofiled; beside it, the
deadlines the nightly job last worked out, or those as of the moment asked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

import msgspec
from psycopg_pool import ConnectionPool

from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.finance import deadlines
from grants.finance.deadlines import Due, Kind
from grants.moments import NOW, Moment
from grants.projections import Views
from grants.projections.commitments import CommitmentRow


class YearEndTotals(msgspec.Struct):
    """The year-end's amounts, of one program or of all."""

    allocation_cents: int
    committed_cents: int
    disbursed_cents: int
    uncommitted_cents: int
    unpaid_cents: int
    payable_at_year_end_cents: int
    holdback_retained_cents: int
    lapsing_cents: int


class Holding(Protocol):
    """An agreement as the year-end reads it: the award register's today, or one as of
    a moment."""

    @property
    def program_id(self) -> UUID: ...
    @property
    def end_on(self) -> date | None: ...
    @property
    def holdback_retained_cents(self) -> int: ...


class ProgramYearEnd(YearEndTotals):
    program_id: UUID
    department: str
    name_en: str
    name_fr: str


def year_end(
    fiscal_year: FiscalYear,
    programs: Iterable[Program],
    years: Mapping[UUID, CommitmentRow],
    pending: Mapping[UUID, int],
    awards: Iterable[Holding],
) -> list[ProgramYearEnd]:
    """Per program with anything in the year. A holdback is counted in the year its
    agreement ends, when it is due once the final report is in."""
    retained: Counter[UUID] = Counter()
    for award in awards:
        if award.end_on is not None and FiscalYear.of(award.end_on) == fiscal_year:
            retained[award.program_id] += award.holdback_retained_cents
    found = []
    for program in sorted(programs, key=lambda p: (p.department, p.name_en)):
        row = years.get(program.id)
        if row is None:
            continue
        unpaid = row.committed_cents - row.disbursed_cents
        payable = min(pending.get(program.id, 0), unpaid)
        found.append(
            ProgramYearEnd(
                program_id=program.id,
                department=program.department,
                name_en=program.name_en,
                name_fr=program.name_fr,
                allocation_cents=row.allocation_cents,
                committed_cents=row.committed_cents,
                disbursed_cents=row.disbursed_cents,
                uncommitted_cents=row.allocation_cents - row.committed_cents,
                unpaid_cents=unpaid,
                payable_at_year_end_cents=payable,
                holdback_retained_cents=retained[program.id],
                lapsing_cents=unpaid - payable,
            )
        )
    return found


class YearEnd(msgspec.Struct):
    fiscal_year: FiscalYear
    programs: list[ProgramYearEnd]
    totals: YearEndTotals
    # The day the deadlines were last worked out (each night), if ever; as of a moment,
    # the moment's day.
    deadlines_as_of: date | None
    agreements_ending: list[Due]
    # The fiscal year's results reports overdue (a page of them, when one is asked for),
    # and how many there are.
    results_overdue: list[Due]
    results_overdue_count: int
    # The day and moment the figures are as of and as known at, when asked.
    as_of: date | None
    known_at: datetime | None


def fiscal_year_end(
    fiscal_year: FiscalYear,
    grants: Grants,
    views: Views,
    pool: ConnectionPool,
    department: str | None = None,
    overdue_page: tuple[int, int] | None = None,
    moment: Moment = NOW,
) -> YearEnd:
    """The year-end of the programs of one department (or all), as the views hold it;
    ``overdue_page``: the results overdue as (limit, offset), all of them otherwise.
    As of a day or as known at a moment, everything is what the facts the moment keeps
    make it, the deadlines worked out on the moment's day."""
    programs = [p for p in grants.programs() if department is None or p.department == department]
    limit, offset = overdue_page or (None, 0)
    worked_out: tuple[list[deadlines.Deadline], date] | None = None
    holdings: Iterable[Holding]
    if moment:
        kept = views.as_of.program_years(moment, fiscal_year=fiscal_year)
        years = {p.program_id: p.year for p in kept}
        pending = {p.program_id: p.pending_cents for p in kept}
        holdings = views.agreements.agreements(moment)
        day = moment.day(date.today())
        terms = [a for a in holdings if a.status != "closed"]
        reported = {a.project_id: set(a.reported) for a in terms}
        worked_out = (deadlines.deadlines(terms, reported, day), day)
        deadlines_as_of: date | None = day
    else:
        years, pending = views.commitments.year(fiscal_year), views.payments.pending(fiscal_year)
        holdings = views.awards.awards(ending_in=fiscal_year)
        deadlines_as_of = deadlines.last_run(pool)
    rows = year_end(fiscal_year, programs, years, pending, holdings)
    totals = YearEndTotals(
        **{
            name: sum(getattr(row, name) for row in rows)
            for name in YearEndTotals.__struct_fields__
        }
    )
    ending, _ = deadlines.due(pool, department, Kind.AGREEMENT_ENDING, worked_out=worked_out)
    overdue, overdue_count = deadlines.due(
        pool, department, Kind.RESULTS_OVERDUE, fiscal_year, limit, offset, worked_out
    )
    return YearEnd(
        fiscal_year=fiscal_year,
        programs=rows,
        totals=totals,
        deadlines_as_of=deadlines_as_of,
        agreements_ending=ending,
        results_overdue=overdue,
        results_overdue_count=overdue_count,
        as_of=moment.as_of,
        known_at=moment.known_at,
    )


def latest_year_with_money(views: Views, today: date) -> FiscalYear:
    """The year the year-end opens on: the latest, up to this one, with money in it,
    rather than a year just begun with nothing yet (this one, when none has any)."""
    this_year = FiscalYear.of(today)
    years = [FiscalYear(y) for y in views.commitments.years_with_money()]
    return max((y for y in years if y <= this_year), default=this_year)
