"""The fiscal year-end, for finance and the Strategy team: per program what was
allocated, committed and paid and what is left, and the deadlines coming up or missed."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.finance.year_end import fiscal_year_end
from grants.http_values import TextQuery
from grants.projections import Views
from grants.web.layout import page, translator

FIGURES = (
    "allocation", "committed", "disbursed", "uncommitted", "unpaid", "payable_at_year_end",
    "holdback_retained", "lapsing",
)  # fmt: skip


@get("/year-end", sync_to_thread=True)
def year_end_page(
    request: Request[Any, Any, State],
    grants: NamedDependency[Grants],
    views: NamedDependency[Views],
    fiscal_year: FromQuery[FiscalYear | None] = None,
    department: TextQuery = None,
) -> Template:
    t = translator(request)
    year = fiscal_year or FiscalYear.of(date.today())
    report = fiscal_year_end(
        year, grants, views, request.app.state.services.pool, department or None
    )
    years = {year, FiscalYear.of(date.today()), *(r.fiscal_year for r in views.funding.rows())}
    departments = sorted({p.department for p in grants.programs()})
    return page(
        request,
        "year_end.html",
        report=report,
        figures=FIGURES,
        fiscal_year=str(year),
        department=department or "",
        year_options=[(y, y) for y in sorted(map(str, years))],
        department_options=[(code, t.department(code)) for code in departments],
    )


YEAR_END_PAGES = [year_end_page]
