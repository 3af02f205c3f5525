"""Who is asking the API: a bearer token names a user (whose role then decides what they
may do: ``grants.access``)."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from grants.users import Users

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
