"""The fiscal year-end, for finance and the Strategy team: per program what was
allocated, committed and paid and what is left, the deadlines coming up or missed, and
the books: finance closes the year here, an admin reopens it, both listed."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from grants.access import ADMIN, FINANCE
from grants.application import Grants
from grants.bootstrap import Services
from grants.commands import CloseFiscalYear, ReopenFiscalYear
from grants.domain.books import BOOKS_ID
from grants.domain.fiscal_year import FiscalYear
from grants.finance.closing import year_state
from grants.finance.year_end import fiscal_year_end, latest_year_with_money
from grants.http_values import PageQuery, TextQuery
from grants.idempotency import Receipt
from grants.projections import Views
from grants.users import Role, User
from grants.web.as_of import asked
from grants.web.forms import Field, Form, FormPage, Section, submit
from grants.web.i18n import Translator
from grants.web.layout import page, translator

# Results reports overdue a page shows: a year's can run to hundreds.
OVERDUE_PAGE = 25

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
    as_of: TextQuery = None,
    page_number: PageQuery = 1,
) -> Template:
    t = translator(request)
    today, moment = date.today(), asked(as_of)
    year = fiscal_year or latest_year_with_money(views, today)
    report = fiscal_year_end(
        year,
        grants,
        views,
        request.app.state.services.pool,
        department or None,
        overdue_page=(OVERDUE_PAGE, (page_number - 1) * OVERDUE_PAGE),
        moment=moment,
    )
    years = {year, FiscalYear.of(today), *views.commitments.years_with_money()}
    departments = sorted({p.department for p in grants.programs()})
    books = grants.books()
    role = request.user.role
    status = "closed" if year in books.closed else "closing" if year in books.closing else "open"
    return page(
        request,
        "year_end.html",
        report=report,
        books=books,
        status=status,
        can_close=status != "closed" and role in (Role.FINANCE_OFFICER, Role.ADMIN),
        can_reopen=status == "closed" and role is Role.ADMIN,
        figures=FIGURES,
        fiscal_year=str(year),
        department=department or "",
        year_options=[(y, y) for y in sorted(map(str, years))],
        department_options=[(code, t.department(code)) for code in departments],
        page_number=page_number,
        pages=-(-report.results_overdue_count // OVERDUE_PAGE),
        query=urlencode(
            {"fiscal_year": str(year), "department": department or "", "as_of": as_of or ""}
        ),
    )


def _close_form(t: Translator, year: FiscalYear) -> FormPage:
    return FormPage(
        title=t("year_end.close", year=year),
        action=f"/year-end/{year}/close",
        submit=t("year_end.close", year=year),
        cancel=f"/year-end?fiscal_year={year}",
        sections=[
            Section([Field("effective_on", t("field.effective_on"), "date", hint=t("hint.date"))])
        ],
        values={"effective_on": date.today().isoformat()},
        intro=t("year_end.close_intro", year=year),
    )


def _reopen_form(t: Translator, year: FiscalYear) -> FormPage:
    return FormPage(
        title=t("year_end.reopen", year=year),
        action=f"/year-end/{year}/reopen",
        submit=t("year_end.reopen", year=year),
        cancel=f"/year-end?fiscal_year={year}",
        sections=[Section([Field("reason", t("field.reason"))])],
        intro=t("year_end.reopen_intro", year=year),
    )


@get("/year-end/{fiscal_year:str}/close", guards=[FINANCE])
async def close_page(
    request: Request[User, Any, Any], fiscal_year: FromPath[FiscalYear]
) -> Template:
    return page(request, "form.html", form=_close_form(translator(request), fiscal_year))


@post("/year-end/{fiscal_year:str}/close", guards=[FINANCE], sync_to_thread=True, status_code=303)
def close(
    request: Request[User, Any, Any],
    fiscal_year: FromPath[FiscalYear],
    services: NamedDependency[Services],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    form_page = _close_form(t, fiscal_year)
    grants = services.grants

    def command(form: Form) -> Receipt:
        on = form.day("effective_on")
        form.check()
        state = year_state(grants, services.views, fiscal_year)
        closing = CloseFiscalYear(effective_on=on)
        return grants.close_fiscal_year(form.context(request.user), closing, fiscal_year, state)

    return _answer(request, data, t, form_page, command, fiscal_year)


@get("/year-end/{fiscal_year:str}/reopen", guards=[ADMIN])
async def reopen_page(
    request: Request[User, Any, Any], fiscal_year: FromPath[FiscalYear]
) -> Template:
    return page(request, "form.html", form=_reopen_form(translator(request), fiscal_year))


@post("/year-end/{fiscal_year:str}/reopen", guards=[ADMIN], sync_to_thread=True, status_code=303)
def reopen(
    request: Request[User, Any, Any],
    fiscal_year: FromPath[FiscalYear],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    form_page = _reopen_form(t, fiscal_year)

    def command(form: Form) -> Receipt:
        reason = form.text("reason")
        form.check()
        reopening = ReopenFiscalYear(reason=reason)
        return grants.handle(
            form.context(request.user), reopening, BOOKS_ID, fiscal_year=fiscal_year
        )

    return _answer(request, data, t, form_page, command, fiscal_year)


def _answer(
    request: Request[User, Any, Any],
    data: dict[str, str],
    t: Translator,
    form_page: FormPage,
    command: Any,
    fiscal_year: FiscalYear,
) -> Template | Redirect:
    """The year-end page once the command is taken; the form again with its refusals."""
    if submit(data, t, form_page, command) is None:
        return page(request, "form.html", status_code=422, form=form_page)
    return Redirect("/year-end", query_params={"fiscal_year": str(fiscal_year)})


YEAR_END_PAGES = [year_end_page, close_page, close, reopen_page, reopen]
