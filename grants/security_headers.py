"""The headers that tell browsers how to treat every answer (pages, API, files and
errors alike): run no inline script and load nothing from elsewhere, be framed by no
one (the forms cannot be clickjacked), read each answer as the type it says it is, tell
other sites nothing of the page a link was followed from, and, once reached over TLS,
come back over TLS only.

Two parts, both wired in the app: ``security_headers``, a ``before_send`` hook, called
on every message the app sends, so that it also covers what no middleware sees (the
router's 404 and 405, errors raised by the middleware themselves); ``ApiDocsPolicy``,
the middleware that gives the interactive API docs the exceptions they need."""

from __future__ import annotations

import base64
import hashlib
import re

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)

# Where Litestar's Scalar and Swagger pages load their code, styles and icon from
# (litestar/openapi/plugins.py, 2.25).
DOCS_CDN = "https://cdn.jsdelivr.net"
# Scalar's own typefaces.
SCALAR_FONTS = "https://fonts.scalar.com"

HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # Page addresses hold ids and filters; no link leads off the site that needs them.
    "referrer-policy": "same-origin",
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.DOTALL | re.I)


def docs_policy(page: bytes) -> str:
    """The policy of an API docs page: its code, styles and icon from the CDN, the
    inline scripts it holds (each by its hash, so no other runs), inline styles (both
    UIs set them as they draw), still framed by no one."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(page)
    )
    return (
        f"default-src 'self'; script-src 'self' {DOCS_CDN} {hashes}; "
        f"style-src 'self' {DOCS_CDN} 'unsafe-inline'; img-src 'self' data: {DOCS_CDN}; "
        f"font-src 'self' data: {SCALAR_FONTS}; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'; object-src 'none'"
    )


def _docs_path(scope: Scope) -> bool:
    """Whether the request is for the API docs, wherever the app serves them."""
    config = scope["litestar_app"].openapi_config
    docs = config.path.rstrip("/") if config and config.path else None
    path: str = scope["path"]
    return docs is not None and (path == docs or path.startswith(f"{docs}/"))


async def security_headers(message: Message, scope: Scope) -> None:
    """The ``before_send`` hook: the headers on the start of every HTTP answer. The
    content security policy is the site's unless the answer has its own (the API
    docs')."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    if "content-security-policy" not in headers:
        headers["content-security-policy"] = CONTENT_SECURITY_POLICY
    for name, value in HEADERS.items():
        headers[name] = value
    # Over plain HTTP the header means nothing and browsers ignore it; behind a proxy
    # that ends TLS, the server must trust its X-Forwarded-Proto for the scheme to be
    # https (uvicorn's --forwarded-allow-ips).
    if scope.get("scheme") == "https":
        headers["strict-transport-security"] = STRICT_TRANSPORT_SECURITY


class ApiDocsPolicy(ASGIMiddleware):
    """Gives each HTML page of the API docs (``/schema``) the policy of its own inline
    scripts (``docs_policy``): the page is held until whole, to be hashed. Scalar and
    Swagger run inline script (Swagger's holds the whole schema), which the site's
    policy forbids."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if not _docs_path(scope):
            await next_app(scope, receive, send)
            return
        start: Message | None = None
        body: list[bytes] = []

        async def hashed(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = MutableScopeHeaders.from_message(message).get("content-type", "")
                if content_type.startswith("text/html"):
                    start = message
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = b"".join(body)
                MutableScopeHeaders.from_message(start)["content-security-policy"] = docs_policy(
                    page
                )
                await send(start)
                message = {"type": "http.response.body", "body": page, "more_body": False}
            await send(message)

        await next_app(scope, receive, hashed)
