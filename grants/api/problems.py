"""Every error as RFC 9457 problem details (Litestar's ``ProblemDetailsPlugin``), with a
stable ``code`` and, when one field is to blame, its name in ``field``.

400 malformed JSON · 422 a field is invalid · 401 no or bad token · 403 role or
segregation of duties · 404 unknown id · 409 a domain rule or a concurrent change ·
503 the database or the job queue does not answer, or a view is not there yet (with
``Retry-After``): the same request may succeed shortly.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from redis.exceptions import RedisError

from grants import wording
from grants.application import NotFound
from grants.database import UNAVAILABLE
from grants.domain.errors import DomainError, InvalidValue, SegregationOfDuties
from grants.projections.positions import DatabaseUnavailable, UnknownPosition, ViewBehind
from grants.wording import Language

logger = logging.getLogger(__name__)

_BACKTICKED = re.compile(r"`([^`]+)`")


def problem(
    status: int, code: str, title: str, detail: str, **extra: Any
) -> ProblemDetailsException:
    headers = {401: {"WWW-Authenticate": "Bearer"}, 503: {"Retry-After": "1"}}.get(status)
    return ProblemDetailsException(
        status_code=status,
        title=title,
        detail=detail,
        extra={"code": code, **{key: value for key, value in extra.items() if value is not None}},
        headers=headers,
    )


def _invalid_request(exc: ValidationException) -> ProblemDetailsException:
    if not isinstance(exc.extra, list):
        return problem(400, "malformed_json", "Malformed request body", str(exc.detail))
    errors = [_field_error(error) for error in exc.extra if isinstance(error, Mapping)]
    first = errors[0] if errors else {"field": None, "message": str(exc.detail)}
    message = str(first["message"])
    detail = f"{first['field']}: {message}" if first["field"] else message
    return problem(
        422, "invalid_field", "Invalid field", detail, field=first["field"], errors=errors
    )


def _field_error(error: Mapping[str, Any]) -> dict[str, Any]:
    """Names the field: Litestar says ``data`` for the body as a whole, and then the
    message names the missing or unknown field between backticks."""
    message = str(error.get("message", ""))
    field = error.get("key")
    if field in (None, "data") and (named := _BACKTICKED.search(message)):
        field = named[1]
    return {"field": field, "message": message, "source": error.get("source")}


def _domain_error(exc: DomainError) -> ProblemDetailsException:
    if isinstance(exc, SegregationOfDuties):
        status, title = 403, "Segregation of duties"
    elif isinstance(exc, InvalidValue):
        status, title = 422, "Invalid field"
    else:
        status, title = 409, "Refused by a rule"
    return problem(
        status,
        exc.code,
        title,
        wording.refusal(exc, Language.EN),
        field=exc.field,
        figures=wording.figures(exc) or None,
    )


def _not_found(exc: NotFound) -> ProblemDetailsException:
    if exc.field:
        # An id in the body that names nothing is a bad field, not a missing page.
        return problem(422, "unknown_reference", "Invalid field", str(exc), field=exc.field)
    return problem(404, "not_found", "Not found", str(exc))


def http_problem(exc: HTTPException) -> ProblemDetailsException:
    """The problem details of an HTTP error."""
    if isinstance(exc, NotAuthorizedException):
        return problem(401, "unauthenticated", "Not signed in", exc.detail)
    if isinstance(exc, PermissionDeniedException):
        return problem(403, "forbidden_role", "Not allowed for this role", exc.detail)
    if exc.status_code == 400:
        return problem(400, "malformed_request", "Malformed request", exc.detail)
    code = re.sub(r"\W+", "_", exc.detail.lower()).strip("_") or "http_error"
    return problem(exc.status_code, code, exc.detail, exc.detail)


def _view_behind(exc: ViewBehind) -> ProblemDetailsException:
    return problem(503, "view_not_ready", "Not up to date yet", str(exc))


def _unknown_position(exc: UnknownPosition) -> ProblemDetailsException:
    return problem(422, "unknown_position", "Invalid field", str(exc), field="min_position")


def _database_unavailable(exc: Exception) -> ProblemDetailsException:
    logger.warning("the database does not answer: %s", exc)
    return problem(
        503,
        "database_unavailable",
        "Database unavailable",
        "the database does not answer; nothing was recorded unless a retry with the same "
        "Idempotency-Key says so: try again shortly",
    )


def _queue_unavailable(exc: RedisError) -> ProblemDetailsException:
    logger.warning("the job queue does not answer: %s", exc)
    return problem(
        503, "queue_unavailable", "Job queue unavailable", "the job queue does not answer"
    )


def _unexpected(exc: Exception) -> ProblemDetailsException:
    logger.error("unexpected error", exc_info=exc)
    return problem(500, "internal_error", "Internal error", "the error was logged")


PROBLEM_DETAILS = ProblemDetailsPlugin(
    ProblemDetailsConfig(
        exception_to_problem_detail_map={
            ValidationException: _invalid_request,
            DomainError: _domain_error,
            NotFound: _not_found,
            ViewBehind: _view_behind,
            UnknownPosition: _unknown_position,
            DatabaseUnavailable: _database_unavailable,
            **dict.fromkeys(UNAVAILABLE, _database_unavailable),
            RedisError: _queue_unavailable,
            HTTPException: http_problem,
            Exception: _unexpected,
        }
    )
)
