"""The books: finance closes a fiscal year once it is over; an admin reopens one, with a
reason. Both are listed, with who did them and when."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from grants.access import ADMIN, FINANCE
from grants.api.commands import Answer
from grants.application import Context, Grants
from grants.bootstrap import Services
from grants.commands import CloseFiscalYear, ReopenFiscalYear
from grants.domain.books import BOOKS_ID, Closing
from grants.domain.fiscal_year import FiscalYear
from grants.finance.closing import year_state


class BooksOut(msgspec.Struct):
    closed: list[FiscalYear]
    history: list[Closing]


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
