"""What the OpenAPI document says each operation may answer, worked out once for every
operation from what it is: every refusal is problem details (``Problem``), under the
statuses its kind of operation can give (see ``grants.api.problems``). An operation
declares anything more of its own (a 409 of a read, a CSV) in its decorator."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

from grants.api.auth import PUBLIC_PATHS

PROBLEM_JSON = "application/problem+json"

# Parameters that are injected, not sent by the client.
_INJECTED = {"services", "grants", "views", "context", "state", "request", "scope", "data"}


class FieldError(msgspec.Struct):
    field: str | None
    message: str
    source: str | None = None


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details, with the stable ``code`` clients branch on and, when
    one field is to blame, its name."""

    status: int
    title: str
    detail: str
    code: str
    type: str | None = None
    field: str | None = None
    # A refusal's figures, for clients that word it themselves: amounts in cents in
    # ``*_cents``, days in ``*_on``, fiscal years, counts.
    figures: dict[str, Any] | None = None
    errors: list[FieldError] | None = None


def problem_response(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        media_type=PROBLEM_JSON,
        description=description,
        generate_examples=False,
    )


def _statuses(path: str, handler: HTTPRouteHandler) -> dict[int, str]:
    given = {name for name in handler.parsed_fn_signature.parameters if name not in _INJECTED}
    body = (
        handler.parsed_data_field is not None or "request" in handler.parsed_fn_signature.parameters
    )
    command = bool(handler.http_methods & {"POST", "PUT", "PATCH", "DELETE"})
    statuses = {
        400: "The request is malformed: a body that is not JSON, or nested too deeply",
        503: "The database, the job queue or a view is not there yet: try again",
    }
    if not any(path.startswith(public) for public in PUBLIC_PATHS):
        statuses[401] = "No token, or one that belongs to no user"
    if handler.resolve_guards():
        statuses[403] = "The user's role may not do this, or segregation of duties"
    if "{" in path:
        statuses[404] = "No such id"
    if body:
        statuses[413] = "The body is larger than this operation takes"
    if given or body:
        statuses[422] = "A field, parameter or header is invalid: `field` names it"
    if command:
        statuses[409] = "Refused by a rule, or a stale If-Match version"
        statuses[422] = "A field, parameter or header is invalid: `field` names it"
    return statuses


def declare_problems(app: Litestar) -> None:
    """Adds the problems each API operation may answer to its OpenAPI responses, before
    the document is first built."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        if not (route.path.startswith("/api/") or route.path in PUBLIC_PATHS):
            continue
        for handler in route.route_handlers:
            if not handler.include_in_schema or handler.http_methods == {"OPTIONS"}:
                continue
            declared = {
                status: problem_response(description)
                for status, description in _statuses(route.path, handler).items()
            }
            handler.responses = {**declared, **(handler.responses or {})}
