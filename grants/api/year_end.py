"""The fiscal year-end view: per program, what was allocated, committed and paid and
what is left; the agreements ending within 90 days and the results reports overdue."""

from __future__ import annotations

import anyio.to_thread
import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from grants.api.views import AsOfQuery, KnownAtQuery, reached, views_of
from grants.bootstrap import Services
from grants.domain.fiscal_year import FiscalYear
from grants.finance.year_end import YearEnd, fiscal_year_end
from grants.http_values import DepartmentQuery, PositionQuery
from grants.moments import Moment


class YearEndOut(YearEnd):
    position: int


@get("/api/views/year-end", tags=["views"])
async def year_end_view(
    fiscal_year: FromQuery[FiscalYear],
    services: NamedDependency[Services],
    department: DepartmentQuery = None,
    as_of: AsOfQuery = None,
    known_at: KnownAtQuery = None,
    min_position: PositionQuery = None,
) -> YearEndOut:
    """Per program and in total: allocation, committed, disbursed, uncommitted, unpaid,
    payable at year-end, holdbacks retained, lapsing; the agreements ending within 90
    days and the year's results reports overdue. As of a day (``as_of``), as known at a
    moment (``known_at``), or both: every figure and deadline is what the facts the
    moment keeps make it, the deadlines worked out on its day (the day asked, else the
    moment's); without them, the deadlines are those the nightly job last worked out."""
    views, moment = services.views, Moment(as_of, known_at)
    read = views_of(services, moment, views.commitments, views.payments)
    if moment:
        read.append(views.agreements)
    position = await reached(services, [*read, views.awards], min_position)
    report = await anyio.to_thread.run_sync(
        lambda: fiscal_year_end(
            fiscal_year, services.grants, views, services.pool, department, moment=moment
        )
    )
    return YearEndOut(**msgspec.structs.asdict(report), position=position)
