"""The fiscal year-end view: per program, what was allocated, committed and paid and
what is left; the agreements ending within 90 days and the results reports overdue."""

from __future__ import annotations

import anyio.to_thread
import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from grants.api.views import reached
from grants.bootstrap import Services
from grants.domain.fiscal_year import FiscalYear
from grants.finance.year_end import YearEnd, fiscal_year_end
from grants.http_values import DepartmentQuery, PositionQuery


class YearEndOut(YearEnd):
    position: int


@get("/api/views/year-end", tags=["views"])
async def year_end_view(
    fiscal_year: FromQuery[FiscalYear],
    services: NamedDependency[Services],
    department: DepartmentQuery = None,
    min_position: PositionQuery = None,
) -> YearEndOut:
    views = services.views
    position = await reached(
        services, (views.commitments, views.payments, views.awards), min_position
    )
    report = await anyio.to_thread.run_sync(
        lambda: fiscal_year_end(fiscal_year, services.grants, views, services.pool, department)
    )
    return YearEndOut(**msgspec.structs.asdict(report), position=position)
