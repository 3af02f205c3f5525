"""Who is asking: a bearer token names a user, and the user's role decides what they may
do. The analyst reads; program officers record the life of programs and projects;
finance releases and recovers payments; the admin does all."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Guard

from grants.users import Role, User, Users

PUBLIC_PATHS = {"/health", "/metrics", "/schema"}


class BearerToken(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        scheme, _, token = connection.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException("send Authorization: Bearer <token>")
        users: Users = connection.app.state.users
        known, user = users.remembered(token.strip())
        if not known:
            # The lookup waits on the database: keep it off the event loop.
            user = await anyio.to_thread.run_sync(users.by_token, token.strip())
        if user is None:
            raise NotAuthorizedException("this token belongs to no user")
        return AuthenticationResult(user=user, auth=token)


def allow(*roles: Role) -> Guard:
    """Lets the admin and the given roles through."""
    allowed = {Role.ADMIN, *roles}

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
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
