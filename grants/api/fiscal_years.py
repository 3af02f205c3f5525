"""The books: finance closes a fiscal year once it is over; an admin reopens one, with a
reason. Both are listed, with who did them and when."""

from __future__ import annotations

from datetime import date, datetime

import anyio.to_thread
import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from grants.access import ADMIN, FINANCE
from grants.api.commands import Answer
from grants.api.views import FundingTotals, reached, totals_of
from grants.application import Context, Grants
from grants.bootstrap import Services
from grants.commands import CloseFiscalYear, ReopenFiscalYear
from grants.domain.books import BOOKS_ID, Closing
from grants.domain.fiscal_year import FiscalYear
from grants.finance.closing import year_state
from grants.http_values import PositionQuery
from grants.projections.funding import FundingRow


class BooksOut(msgspec.Struct):
    closed: list[FiscalYear]
    history: list[Closing]


class StatementOut(msgspec.Struct):
    """The year's funding as the store held it when finance last closed it, lapses
    included; later recoveries (which lapse) do not change it."""

    closed_at: datetime
    closed_by: str
    closed_on: date
    rows: list[FundingRow]
    totals: FundingTotals


class FiscalYearOut(msgspec.Struct):
    fiscal_year: FiscalYear
    closed: bool
    # Its closes and reopenings, oldest first.
    history: list[Closing]
    # None until the year is first closed.
    closing_statement: StatementOut | None
    position: int


class FiscalYears(Controller):
    path = "/api/fiscal-years"
    tags = ["fiscal years"]

    @get(sync_to_thread=True)
    def books(self, grants: NamedDependency[Grants]) -> BooksOut:
        """The fiscal years closed now, and every close and reopening, oldest first."""
        books = grants.books()
        return BooksOut(
            closed=sorted(books.closed),
            history=list(books.history),
        )

    @get("/{fiscal_year:str}")
    async def fiscal_year(
        self,
        fiscal_year: FromPath[FiscalYear],
        services: NamedDependency[Services],
        min_position: PositionQuery = None,
    ) -> FiscalYearOut:
        """Whether the year is closed, its closes and reopenings, and its closing
        statement: its funding rows as of its latest close."""
        position = await reached(services, [services.views.as_of], min_position)

        def read() -> FiscalYearOut:
            books = services.grants.books()
            kept = services.views.as_of.closing_statement(fiscal_year)
            statement = None
            if kept is not None:
                # Within one year each project is in one row.
                projects = {row.pillar: 0 for row in kept.rows}
                for row in kept.rows:
                    projects[row.pillar] += row.projects
                statement = StatementOut(
                    closed_at=kept.closed_at,
                    closed_by=kept.closed_by,
                    closed_on=kept.closed_on,
                    rows=kept.rows,
                    totals=totals_of(kept.rows, projects),
                )
            return FiscalYearOut(
                fiscal_year=fiscal_year,
                closed=fiscal_year in books.closed,
                history=[c for c in books.history if c.fiscal_year == fiscal_year],
                closing_statement=statement,
                position=position,
            )

        return await anyio.to_thread.run_sync(read)

    @post("/{fiscal_year:str}/close", guards=[FINANCE], sync_to_thread=True)
    def close(
        self,
        fiscal_year: FromPath[FiscalYear],
        data: JSONBody[CloseFiscalYear],
        context: NamedDependency[Context],
        services: NamedDependency[Services],
    ) -> Answer:
        """Once the year and its payables at year-end (to April 30) are over and no
        request charged to it awaits release: lapses, project by project, what it
        committed and did not pay; from then on, what would change the year is refused
        (409 ``period_closed``), recoveries aside (they lapse)."""
        grants = services.grants
        state = year_state(grants, services.views, fiscal_year)
        return Answer.of(grants.close_fiscal_year(context, data, fiscal_year, state))

    @post("/{fiscal_year:str}/reopen", guards=[ADMIN], sync_to_thread=True)
    def reopen(
        self,
        fiscal_year: FromPath[FiscalYear],
        data: JSONBody[ReopenFiscalYear],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        """An admin reopens a closed year, saying why."""
        return Answer.of(grants.handle(context, data, BOOKS_ID, fiscal_year=fiscal_year))
