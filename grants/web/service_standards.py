"""The service standards, for officers, finance and the Strategy team: per program and
standard, the cases of the fiscal year or quarter and how many met the standard, as
departments publish them each quarter; the cases about to miss theirs; and those the
nightly job flagged, for officers to chase that day."""

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
from grants.finance import standard_flags
from grants.finance.service_standards import service_standards
from grants.http_values import TextQuery
from grants.projections import Views
from grants.web.layout import page


@get("/service-standards", sync_to_thread=True)
def service_standards_page(
    request: Request[Any, Any, State],
    grants: NamedDependency[Grants],
    views: NamedDependency[Views],
    fiscal_year: FromQuery[FiscalYear | None] = None,
    quarter: TextQuery = None,
) -> Template:
    today = date.today()
    year = fiscal_year or FiscalYear.of(today)
    chosen = int(quarter) if quarter in ("1", "2", "3", "4") else None
    report = service_standards(year, chosen, None, grants, views, today)
    flagged_on, flagged = standard_flags.flagged(request.app.state.services.pool)
    years = sorted({str(FiscalYear.starting(y)) for y in range(2018, year.start_year + 2)})
    projects = {case.project_id for case in (*report.at_risk, *flagged)}
    titles = {project_id: grants.project(project_id) for project_id in projects}
    programs = {program.id: program for program in grants.programs()}
    return page(
        request,
        "service_standards.html",
        report=report,
        titles=titles,
        programs=programs,
        flagged_on=flagged_on,
        flagged=flagged,
        fiscal_year=str(year),
        quarter=str(chosen or ""),
        year_options=[(y, y) for y in years],
    )


SERVICE_STANDARD_PAGES = [service_standards_page]
