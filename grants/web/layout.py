"""What every page shares: its language, who is signed in, the session's CSRF token and
the navigation; files to save; and the error page."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import Request
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
)
from litestar.response import Redirect, Response, Template

from grants.application import NotFound
from grants.database import UNAVAILABLE
from grants.finance.downloads import Download
from grants.projections.positions import DatabaseUnavailable
from grants.users import Role, User
from grants.web.i18n import Translator
from grants.web.sessions import WebSession
from grants.wording import Language

logger = logging.getLogger(__name__)

LANGUAGE_COOKIE = "grants_lang"

FINANCE = frozenset({Role.FINANCE_OFFICER, Role.ADMIN})

# Each entry: path, message key, the roles that see it (None: everyone signed in).
NAVIGATION: tuple[tuple[str, str, frozenset[Role] | None], ...] = (
    ("/dashboard", "nav.dashboard", None),
    ("/outcomes", "nav.outcomes", None),
    ("/performance", "nav.performance", None),
    ("/programs", "nav.programs", None),
    ("/calls", "nav.calls", None),
    ("/projects", "nav.projects", None),
    ("/payments", "nav.payments", FINANCE),
    ("/reconciliations", "nav.reconciliations", FINANCE),
    # Finance closes the year and publishes; officers chase the results reports due and
    # the money about to lapse in their programs; the Strategy team reads both.
    ("/year-end", "nav.year_end", None),
    ("/service-standards", "nav.service_standards", None),
    ("/exports", "nav.exports", None),
    ("/users", "nav.users", frozenset({Role.ADMIN})),
)


class CsrfRefused(PermissionDeniedException):
    """A form sent without the token of the session it was served in."""


def language(request: Request[Any, Any, Any]) -> Language:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in (Language.EN, Language.FR):
        return Language(chosen)
    # A first visit follows the browser's preference; the toggle then decides.
    accept = request.headers.get("accept-language", "")
    return Language.FR if accept.lower().startswith("fr") else Language.EN


def translator(request: Request[Any, Any, Any]) -> Translator:
    return Translator(language(request))


def session_of(request: Request[Any, Any, Any]) -> WebSession | None:
    session: WebSession | None = request.scope.get("auth")
    return session


def page(
    request: Request[Any, Any, Any],
    template: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> Template:
    t = translator(request)
    session = session_of(request)
    user: User | None = session.user if session else None
    path = request.url.path
    nav = [
        {"href": href, "label": t(key), "current": path.startswith(href)}
        for href, key, roles in NAVIGATION
        if user and (roles is None or user.role in roles)
    ]
    here = path + (f"?{request.url.query}" if request.url.query else "")
    # A page below a section of the menu (a project, a report, a form) leads back up to
    # it; a page can pass its own trail (``breadcrumbs=``) to name the steps between.
    breadcrumbs = [
        {"href": href, "label": t(key)}
        for href, key, roles in NAVIGATION
        if path.startswith(href + "/") and user and (roles is None or user.role in roles)
    ]
    return Template(
        template,
        status_code=status_code,
        context={
            "t": t,
            "gettext": t,
            "ngettext": lambda one, many, n: t(one if n == 1 else many, n=n),
            "lang": t.language.value,
            "other_lang": t.language.other.value,
            "language_href": f"/language/{t.language.other.value}?next={quote(here)}",
            "user": user,
            "csrf_token": session.csrf_token if session else "",
            "nav": nav,
            "breadcrumbs": breadcrumbs,
            **context,
        },
    )


def attachment(download: Download[Any]) -> Response[Any]:
    """A file to save, under its own name."""
    return Response(
        download.content,
        media_type=download.media_type,
        headers={"Content-Disposition": download.disposition},
    )


# What an error page's heading says: what happened, not "something went wrong" when a
# role or an address is to blame.
_HEADINGS = {
    "error.forbidden": "error.heading_forbidden",
    "error.not_found": "error.heading_not_found",
    "error.unavailable": "error.heading_unavailable",
}


def error_page(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Errors as pages in the visitor's language; not signed in means the sign-in page."""
    if isinstance(exc, NotAuthorizedException):
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(f"/sign-in?next={quote(here)}", status_code=303)
    if isinstance(exc, CsrfRefused):
        status, key = 403, "error.csrf"
    elif isinstance(exc, PermissionDeniedException):
        status, key = 403, "error.forbidden"
    elif isinstance(exc, NotFound) or (isinstance(exc, HTTPException) and exc.status_code == 404):
        status, key = 404, "error.not_found"
    elif isinstance(exc, HTTPException) and exc.status_code < 500:
        status, key = exc.status_code, "error.title"
    elif isinstance(exc, (*UNAVAILABLE, DatabaseUnavailable)):
        logger.warning("a page met an unreachable database: %s", exc)
        answer = page(
            request,
            "error.html",
            status_code=503,
            status=503,
            heading_key=_HEADINGS["error.unavailable"],
            message_key="error.unavailable",
        )
        answer.headers["Retry-After"] = "2"
        return answer
    else:
        logger.error("unexpected error on a page", exc_info=exc)
        status, key = 500, "error.unexpected"
    heading = _HEADINGS.get(key, "error.title")
    return page(
        request,
        "error.html",
        status_code=status,
        status=status,
        heading_key=heading,
        message_key=key,
    )
