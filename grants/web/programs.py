"""Programs with their allocations and commitments per fiscal year, and the calls for
proposals."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from grants.application import Grants
from grants.projections import Views
from grants.web.layout import page


@get("/programs", sync_to_thread=True)
def programs_page(request: Request[Any, Any, Any], grants: NamedDependency[Grants]) -> Template:
    return page(request, "programs.html", programs=grants.programs())


@get("/programs/{program_id:uuid}", sync_to_thread=True)
def program_page(
    request: Request[Any, Any, Any],
    program_id: FromPath[UUID],
    grants: NamedDependency[Grants],
    views: NamedDependency[Views],
) -> Template:
    program = grants.program(program_id)
    years = views.commitments.years(program_id)
    calls = [call for call in grants.calls() if call.program_id == program_id]
    return page(
        request, "program.html", program=program, years=years, calls=calls, today=date.today()
    )


@get("/calls", sync_to_thread=True)
def calls_page(request: Request[Any, Any, Any], grants: NamedDependency[Grants]) -> Template:
    programs = {program.id: program for program in grants.programs()}
    calls = sorted(grants.calls(), key=lambda call: call.opens_on, reverse=True)
    return page(request, "calls.html", calls=calls, programs=programs, today=date.today())


PROGRAM_PAGES = [programs_page, program_page, calls_page]
