"""Programs with their allocations and commitments per fiscal year, and the calls for
proposals."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from grants.application import Grants
from grants.domain.service_standards import Standard
from grants.projections import Views
from grants.users import Role, User
from grants.web.layout import page


def _may_change(user: User) -> bool:
    """Whether the pages offer this person the program side's forms."""
    return user.role in (Role.PROGRAM_OFFICER, Role.ADMIN)


@get("/programs", sync_to_thread=True)
def programs_page(request: Request[User, Any, Any], grants: NamedDependency[Grants]) -> Template:
    return page(
        request, "programs.html", programs=grants.programs(), may_change=_may_change(request.user)
    )


@get("/programs/{program_id:uuid}", sync_to_thread=True)
def program_page(
    request: Request[User, Any, Any],
    program_id: FromPath[UUID],
    grants: NamedDependency[Grants],
    views: NamedDependency[Views],
    saved: FromQuery[bool] = False,
) -> Template:
    program = grants.program(program_id)
    years = views.commitments.years(program_id)
    calls = [call for call in grants.calls() if call.program_id == program_id]
    return page(
        request,
        "program.html",
        program=program,
        years=years,
        calls=calls,
        standards=[(standard, program.target(standard)) for standard in Standard],
        today=date.today(),
        saved=saved,
        may_change=_may_change(request.user),
    )


@get("/calls", sync_to_thread=True)
def calls_page(
    request: Request[User, Any, Any],
    grants: NamedDependency[Grants],
    saved: FromQuery[bool] = False,
) -> Template:
    programs = {program.id: program for program in grants.programs()}
    calls = sorted(grants.calls(), key=lambda call: call.opens_on, reverse=True)
    return page(
        request,
        "calls.html",
        calls=calls,
        programs=programs,
        today=date.today(),
        saved=saved,
        may_change=_may_change(request.user),
    )


PROGRAM_PAGES = [programs_page, program_page, calls_page]
