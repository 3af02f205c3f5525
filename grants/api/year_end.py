"""The fiscal year-end view: per program, what was allocated, committed and paid and
what is left; the agreements ending within 90 days and the results reports overdue."""

from __future__ import annotations

from datetime import date

import msgspec
from litestar import get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery

from grants.api.views import reached
from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.finance import deadlines
from grants.finance.deadlines import Due, Kind
from grants.finance.year_end import ProgramYearEnd, year_end
from grants.projections import Views


class YearEndTotals(msgspec.Struct):
    allocation_cents: int
    committed_cents: int
    disbursed_cents: int
    uncommitted_cents: int
    unpaid_cents: int
    payable_at_year_end_cents: int
    holdback_retained_cents: int
    lapsing_cents: int


class YearEndOut(msgspec.Struct):
    fiscal_year: FiscalYear
    programs: list[ProgramYearEnd]
    totals: YearEndTotals
    # The day the deadlines were last worked out (each night), if ever.
    deadlines_as_of: date | None
    agreements_ending: list[Due]
    results_overdue: list[Due]
    position: int


@get("/api/views/year-end", tags=["views"], sync_to_thread=True)
def year_end_view(
    fiscal_year: FromQuery[FiscalYear],
    views: NamedDependency[Views],
    grants: NamedDependency[Grants],
    state: State,
    department: FromQuery[str | None] = None,
    min_position: FromQuery[int | None] = None,
) -> YearEndOut:
    position = min(
        reached(v, min_position) for v in (views.commitments, views.payments, views.awards)
    )
    programs = [p for p in grants.programs() if department is None or p.department == department]
    rows = year_end(
        fiscal_year,
        programs,
        views.commitments.year(fiscal_year),
        views.payments.pending(fiscal_year),
        views.awards.awards(signed=True),
    )
    totals = YearEndTotals(
        **{
            name: sum(getattr(row, name) for row in rows)
            for name in YearEndTotals.__struct_fields__
        }
    )
    due = deadlines.due(state.services.pool, department)
    return YearEndOut(
        fiscal_year=fiscal_year,
        programs=rows,
        totals=totals,
        deadlines_as_of=due[0].as_of if due else None,
        agreements_ending=[d for d in due if d.kind is Kind.AGREEMENT_ENDING],
        results_overdue=[d for d in due if d.kind is Kind.RESULTS_OVERDUE],
        position=position,
    )
