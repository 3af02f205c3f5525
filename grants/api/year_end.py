"""The fiscal year-end view: per program, what was allocated, committed and paid and
what is left; the agreements ending within 90 days and the results reports overdue."""

from __future__ import annotations

import msgspec
from litestar import get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery

from grants.api.views import reached
from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.finance.year_end import YearEnd, fiscal_year_end
from grants.projections import Views


class YearEndOut(YearEnd):
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
    report = fiscal_year_end(fiscal_year, grants, views, state.services.pool, department)
    return YearEndOut(**msgspec.structs.asdict(report), position=position)
