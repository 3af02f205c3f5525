"""The web pages as routers for the app to mount, with their templates and static
files. Pages are signed in to with a session cookie, never with a bearer token: the
API's token middleware leaves them alone (``exclude_from_auth``)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Router
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from grants.application import NotFound
from grants.database import UNAVAILABLE
from grants.domain.errors import DomainError
from grants.projections.positions import DatabaseUnavailable
from grants.web.auth import (
    SessionMiddleware,
    check_csrf,
    choose_language,
    home,
    sign_in,
    sign_in_form,
    sign_out,
    signed_in,
)
from grants.web.decisions import DECISION_PAGES
from grants.web.exports import EXPORT_PAGES
from grants.web.finance import FINANCE_PAGES
from grants.web.layout import error_page
from grants.web.people import PEOPLE_PAGES
from grants.web.performance import PERFORMANCE_PAGES
from grants.web.performance_forms import PERFORMANCE_FORM_PAGES
from grants.web.program_forms import PROGRAM_FORM_PAGES
from grants.web.programs import PROGRAM_PAGES
from grants.web.projects import PROJECT_PAGES
from grants.web.reconciliations import RECONCILIATION_PAGES
from grants.web.service_standards import SERVICE_STANDARD_PAGES
from grants.web.strategy import STRATEGY_PAGES
from grants.web.understood import UNDERSTOOD_PAGES
from grants.web.year_end import YEAR_END_PAGES

HERE = Path(__file__).resolve().parent

# The option Litestar's authentication middleware (the API's BearerToken) skips on.
_NOT_BEARER = {"exclude_from_auth": True}


def _environment() -> Environment:
    # Jinja's i18n extension: the templates' _() and {% trans %} take their words from
    # the ``gettext`` each page passes (``grants.web.layout.page``), the catalogue of its
    # visitor's language.
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )


TEMPLATES = TemplateConfig(instance=JinjaTemplateEngine.from_environment(_environment()))


def web_ui() -> list[Router]:
    pages = Router(
        path="/",
        route_handlers=[
            home,
            sign_in_form,
            sign_in,
            sign_out,
            choose_language,
            *STRATEGY_PAGES,
            *PERFORMANCE_PAGES,
            *PERFORMANCE_FORM_PAGES,
            *PROGRAM_PAGES,
            *PROGRAM_FORM_PAGES,
            *PROJECT_PAGES,
            *DECISION_PAGES,
            *FINANCE_PAGES,
            *RECONCILIATION_PAGES,
            *YEAR_END_PAGES,
            *SERVICE_STANDARD_PAGES,
            *EXPORT_PAGES,
            *PEOPLE_PAGES,
            *UNDERSTOOD_PAGES,
        ],
        middleware=[SessionMiddleware()],
        guards=[signed_in],
        before_request=check_csrf,
        # Every class the API maps to problem details is named again here, since the
        # most specific class wins whatever the layer: pages answer with pages.
        exception_handlers={
            kind: error_page
            for kind in (
                Exception,
                HTTPException,
                ValidationException,
                DomainError,
                NotFound,
                DatabaseUnavailable,
                *UNAVAILABLE,
            )
        },
        include_in_schema=False,
        opt=_NOT_BEARER,
    )
    static = create_static_files_router(
        path="/static", directories=[HERE / "static"], include_in_schema=False, opt=_NOT_BEARER
    )
    return [pages, static]
