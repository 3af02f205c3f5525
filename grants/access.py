"""Who may do what, for the API and the pages alike: the analyst reads; program officers
record the life of programs and projects; finance releases and recovers payments; the
admin does all. Each guard lets the admin and the roles it names through."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from grants.users import Role, User


def allow(*roles: Role) -> Guard:
    """Lets the admin and the given roles through."""
    allowed = {Role.ADMIN, *roles}

    # A coroutine: Litestar would run a plain function in a worker thread.
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if connection.scope.get("method") == "OPTIONS":
            return  # which methods a path takes is no secret, and needs no token
        user: User = connection.user
        if user.role not in allowed:
            raise PermissionDeniedException(
                f"a {user.role.replace('_', ' ')} may not do this "
                f"(it takes: {', '.join(sorted(r.replace('_', ' ') for r in allowed))})"
            )

    return guard


PROGRAM_SIDE = allow(Role.PROGRAM_OFFICER)
FINANCE = allow(Role.FINANCE_OFFICER)
# The Strategy team keeps the results framework and the spending plan.
STRATEGY = allow(Role.STRATEGY_ANALYST)
ADMIN = allow()
