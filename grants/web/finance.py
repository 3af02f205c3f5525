"""Finance's queue: the payment requests awaiting release, oldest first, a page at a
time, narrowed by department, program, fiscal year, kind or age, with their count and
amount; from it, finance picks the requests to release (``grants.web.releases``)."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import anyio.to_thread
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromQuery
from litestar.response import Template

from grants.access import FINANCE
from grants.application import Grants
from grants.bootstrap import Services
from grants.domain.errors import InvalidValue
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.reference import PaymentKind
from grants.http_values import PositionQuery, TextQuery
from grants.projections.payments import AwaitingRelease, QueueFilter, QueueTotals
from grants.projections.positions import UnknownPosition, ViewBehind
from grants.users import User
from grants.web.layout import page, translator
from grants.web.releases import RELEASE_PAGES

PAGE_SIZE = 50
# Older than this is no request's age: the tracker's days span a century.
OLDEST_DAYS = 40_000


def queue_filter(
    department: str | None,
    program_id: str | None,
    fiscal_year: str | None,
    kind: str | None,
    older_than: str | None,
    today: date,
) -> QueueFilter:
    """The filters as the queue's form sends them, "" for any; one that no request could
    match (a malformed year, an unknown kind) is refused rather than shown as empty."""
    try:
        return QueueFilter(
            department=department or None,
            program_id=UUID(program_id) if program_id else None,
            fiscal_year=str(FiscalYear(fiscal_year)) if fiscal_year else None,
            kind=PaymentKind(kind).value if kind else None,
            requested_before=_days_ago(older_than, today),
        )
    except (ValueError, InvalidValue) as error:
        raise ValidationException(f"not a filter of the payments: {error}") from None


def _days_ago(older_than: str | None, today: date) -> date | None:
    if not older_than:
        return None
    if not (older_than.isascii() and older_than.isdigit() and int(older_than) <= OLDEST_DAYS):
        raise ValueError(f"older than {older_than!r} days")
    return today - timedelta(days=int(older_than))


@get("/payments", guards=[FINANCE])
async def payments_page(
    request: Request[User, Any, Any],
    services: NamedDependency[Services],
    department: TextQuery = None,
    program_id: TextQuery = None,
    fiscal_year: TextQuery = None,
    kind: TextQuery = None,
    older_than: TextQuery = None,
    after_on: FromQuery[date | None] = None,
    after: FromQuery[UUID | None] = None,
    min_position: PositionQuery = None,
) -> Template:
    t = translator(request)
    views = services.views
    today = date.today()
    chosen = queue_filter(department, program_id, fiscal_year, kind, older_than, today)
    # The queue waits for releases just made to be gone from it; on a timeout the page
    # shows the view as it is, and a reload catches up.
    with suppress(ViewBehind, UnknownPosition):
        await services.positions.reached([views.payments.name], min_position)
    start = (after_on, after) if after_on is not None and after is not None else None

    def read() -> tuple[list[AwaitingRelease], QueueTotals, list[str]]:
        rows = views.payments.awaiting_release(chosen, start, PAGE_SIZE + 1)
        return rows, views.payments.queue_totals(chosen), views.payments.queue_years()

    rows, totals, years = await anyio.to_thread.run_sync(read)
    programs = await anyio.to_thread.run_sync(_programs, services.grants)
    shown = rows[:PAGE_SIZE]
    filters = {
        "department": department or "",
        "program_id": program_id or "",
        "fiscal_year": fiscal_year or "",
        "kind": kind or "",
        "older_than": older_than or "",
    }
    return page(
        request,
        "payments.html",
        rows=shown,
        totals=totals,
        today=today,
        programs={p.id: p for p in programs},
        filters=filters,
        # The next page starts after the last row shown, whatever was released since.
        next_page=(
            {**filters, "after_on": shown[-1].requested_on, "after": shown[-1].request_id}
            if len(rows) > PAGE_SIZE
            else None
        ),
        first_page=filters if start else None,
        department_options=[
            (code, t.department(code)) for code in sorted({p.department for p in programs})
        ],
        program_options=[(str(p.id), f"{t.acronym(p.department)} · {t.name(p)}") for p in programs],
        year_options=[(year, year) for year in sorted({*years, *filter(None, [fiscal_year])})],
        kind_options=[(k.value, t(f"option.{k.value}")) for k in PaymentKind],
    )


def _programs(grants: Grants) -> list[Program]:
    return sorted(grants.programs(), key=lambda p: (p.department, p.name_en))


FINANCE_PAGES = [payments_page, *RELEASE_PAGES]
