"""Signing in and out of the web pages, the session each request belongs to, the CSRF
check on every form, and the language toggle. Roles are the API's."""

from __future__ import annotations

import hmac
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
from litestar import Request, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, State
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from litestar.types import ASGIApp, Receive, Scope, Send

from grants.users import Role, User, Users
from grants.web.layout import LANGUAGE_COOKIE, CsrfRefused, page, session_of, translator
from grants.web.sessions import COOKIE, Sessions, WebSession
from grants.web.throttle import Lock, SignInThrottle, account_of
from grants.wording import Language

# Where each role starts.
HOME = {
    Role.PROGRAM_OFFICER: "/projects",
    Role.FINANCE_OFFICER: "/payments",
    Role.STRATEGY_ANALYST: "/dashboard",
    Role.ADMIN: "/dashboard",
}

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# Longer than any name or password a person types: such a form is refused unread.
LONGEST_TYPED = 200
# Control characters (a NUL would reach PostgreSQL) and lone surrogates (no UTF-8).
_UNTYPEABLE = {"Cc", "Cs"}


def sessions(state: State) -> Sessions:
    return Sessions(state.services.pool)


def throttle(state: State) -> SignInThrottle:
    return SignInThrottle(state.services.pool)


def typeable(text: str) -> bool:
    """Whether a person could have typed this in the sign-in form."""
    return len(text) <= LONGEST_TYPED and not any(
        unicodedata.category(c) in _UNTYPEABLE for c in text
    )


class SessionMiddleware(ASGIMiddleware):
    """Finds the request's session by its cookie: the session is the request's ``auth``
    and its user (None before signing in) the request's ``user``."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        await anyio.to_thread.run_sync(find_session, scope)
        await next_app(scope, receive, send)


def find_session(scope: Scope) -> None:
    """Sets the request's session and user from its cookie. A page served outside the
    pages' router (an address no route takes) calls it too, to be shown signed in."""
    session_id = Request[Any, Any, Any](scope).cookies.get(COOKIE)
    session = sessions(scope["litestar_app"].state).find(session_id) if session_id else None
    scope["auth"] = session
    scope["user"] = session.user if session else None


async def signed_in(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Every page but those marked public needs a signed-in user (a coroutine: Litestar
    would run a plain function in a worker thread)."""
    if not handler.opt.get("public") and connection.user is None:
        raise NotAuthorizedException("sign in first")


async def check_csrf(request: Request[Any, Any, Any]) -> None:
    """Every form names the session it was served in; a request from another site
    cannot know the token."""
    if request.method in SAFE_METHODS:
        return
    session = session_of(request)
    sent = (await request.form()).get("csrf_token")
    if (
        session is None
        or not isinstance(sent, str)
        or not hmac.compare_digest(sent.encode(), session.csrf_token.encode())
    ):
        raise CsrfRefused("the form's token does not belong to this session")


def session_cookie(request: Request[Any, Any, Any], session: WebSession) -> Cookie:
    return Cookie(
        key=COOKIE,
        value=session.id,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def local(target: str | None, default: str = "/") -> str:
    """Only a path on this site, printable and of a sane length: never a redirect to
    another site, nor a header that cannot be sent."""
    if not target or len(target) > 2000 or not target.isprintable():
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@get("/", opt={"public": True})
async def home(request: Request[User | None, Any, Any]) -> Redirect:
    user = request.user
    return Redirect(HOME[user.role] if user else "/sign-in", status_code=303)


@get("/sign-in", opt={"public": True})
async def sign_in_form(
    request: Request[Any, Any, Any], state: State, next: FromQuery[str | None] = None
) -> Template:
    session = session_of(request)
    cookies = []
    if session is None:
        session = await anyio.to_thread.run_sync(sessions(state).start, None)
        request.scope["auth"] = session
        cookies.append(session_cookie(request, session))
    response = page(
        request, "sign_in.html", next=local(next, ""), refused=False, wait=None, name=""
    )
    response.cookies.extend(cookies)
    return response


@post("/sign-in", opt={"public": True}, status_code=303)
async def sign_in(
    request: Request[Any, Any, Any], state: State, data: URLEncodedBody[dict[str, str]]
) -> Template | Redirect:
    name, password = data.get("username", "").strip(), data.get("password", "")
    # A name nobody could type is no account, and it goes no further than here.
    account = account_of(name) if typeable(name) else None
    shown = name if account is not None else ""
    address = request.client.host if request.client else ""
    gate = throttle(state)
    # While locked, the password is not even checked: the right one is refused too.
    if lock := await anyio.to_thread.run_sync(gate.lock, account, address):
        return _locked(request, data, shown, lock)
    user = None
    if account is not None and typeable(password):
        users: Users = state.users
        user = await anyio.to_thread.run_sync(users.by_password, name, password)
    if user is None:
        if lock := await anyio.to_thread.run_sync(gate.failed, account, address):
            return _locked(request, data, shown, lock)
        return page(
            request,
            "sign_in.html",
            status_code=401,
            next=local(data.get("next"), ""),
            refused=True,
            wait=None,
            name=shown,
        )
    await anyio.to_thread.run_sync(gate.succeeded, account_of(user.name))
    store = sessions(state)
    if old := session_of(request):
        await anyio.to_thread.run_sync(store.end, old.id)
    session = await anyio.to_thread.run_sync(store.start, user)
    redirect = Redirect(local(data.get("next"), HOME[user.role]), status_code=303)
    redirect.cookies.append(session_cookie(request, session))
    return redirect


def _locked(
    request: Request[Any, Any, Any], data: dict[str, str], name: str, lock: Lock
) -> Template:
    """Too many failures: when to try again, in the page and in ``Retry-After``."""
    response = page(
        request,
        "sign_in.html",
        status_code=429,
        next=local(data.get("next"), ""),
        refused=False,
        wait=translator(request).wait(lock.retry_after),
        name=name,
    )
    response.headers["Retry-After"] = str(lock.retry_after)
    return response


@post("/sign-out", status_code=303)
async def sign_out(request: Request[Any, Any, Any], state: State) -> Redirect:
    if session := session_of(request):
        await anyio.to_thread.run_sync(sessions(state).end, session.id)
    redirect = Redirect("/sign-in?signed_out=1", status_code=303)
    redirect.delete_cookie(COOKIE, path="/")
    return redirect


@get("/language/{code:str}", opt={"public": True})
async def choose_language(
    request: Request[Any, Any, Any], code: FromPath[str], next: FromQuery[str | None] = None
) -> Redirect:
    chosen = Language.FR if code == Language.FR else Language.EN
    redirect = Redirect(local(next), status_code=303)
    redirect.cookies.append(
        Cookie(
            key=LANGUAGE_COOKIE,
            value=chosen.value,
            path="/",
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    )
    return redirect
