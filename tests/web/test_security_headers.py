"""Every answer carries the security headers, whoever sent it: a page, a redirect, the
API's JSON and its problem details, a static file, the router's own 404, an error from
a middleware, the API docs (with the exceptions their scripts need, and no more).
HSTS only over TLS."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from litestar import Litestar, get
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsPlugin
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.testing import TestClient

from grants.app import create_app
from grants.bootstrap import Services
from grants.security_headers import (
    CONTENT_SECURITY_POLICY,
    DOCS_CDN,
    docs_router,
    security_headers,
)

STATIC = Path(__file__).resolve().parents[2] / "grants" / "web" / "static"
EVERY_ANSWER = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.DOTALL)
_LOADED = re.compile(r"""(?:src|href)=["'](https?://[^"']+)""")


def assert_protected(response: httpx.Response) -> None:
    for name, value in EVERY_ANSWER.items():
        assert response.headers.get(name) == value, (response.url, name)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"no {name} in {policy}")


# A small app wired as grants.api.app wires the real one: the hook, and the docs'
# middleware first, ahead of an authentication middleware that refuses.
class Refusing(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        raise NotAuthorizedException("no token")


@get("/page", media_type="text/html", sync_to_thread=False)
def html_page() -> str:
    return "<p>hello</p>"


@get("/api/thing", sync_to_thread=False)
def thing() -> dict[str, int]:
    return {"answer": 42}


@get("/away", sync_to_thread=False)
def away() -> Redirect:
    return Redirect("/page", status_code=303)


@get("/api/missing", sync_to_thread=False)
def missing() -> None:
    raise NotFoundException("no such thing")


@get("/locked", sync_to_thread=False)
def locked() -> None:
    raise AssertionError("the middleware refuses first")


def small_app() -> Litestar:
    return Litestar(
        route_handlers=[
            html_page,
            thing,
            away,
            missing,
            locked,
            create_static_files_router(path="/static", directories=[STATIC]),
        ],
        middleware=[
            DefineMiddleware(
                Refusing, exclude=["^/page", "^/api", "^/away", "^/static", "^/schema"]
            ),
        ],
        before_send=[security_headers],
        plugins=[ProblemDetailsPlugin(ProblemDetailsConfig(enable_for_all_http_exceptions=True))],
        openapi_config=OpenAPIConfig(
            title="Small",
            version="1",
            openapi_router=docs_router("/schema"),
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        ),
    )


@pytest.fixture
def small() -> Iterator[TestClient[Litestar]]:
    with TestClient(small_app()) as client:
        yield client


def test_every_kind_of_answer_carries_the_headers(small: TestClient[Litestar]) -> None:
    answers = {
        "page": small.get("/page"),
        "json": small.get("/api/thing"),
        "redirect": small.get("/away", follow_redirects=False),
        "problem": small.get("/api/missing"),
        "router 404": small.get("/nowhere"),
        "405": small.post("/page"),
        "middleware error": small.get("/locked"),
        "static": small.get("/static/site.css"),
        "schema json": small.get("/schema/openapi.json"),
    }
    assert [(kind, a.status_code) for kind, a in answers.items()] == [
        ("page", 200), ("json", 200), ("redirect", 303), ("problem", 404),
        ("router 404", 404), ("405", 405), ("middleware error", 401), ("static", 200),
        ("schema json", 200),
    ]  # fmt: skip
    assert answers["problem"].headers["content-type"] == "application/problem+json"
    for answer in answers.values():
        assert_protected(answer)
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "strict-transport-security" not in answer.headers


def test_an_answer_setting_a_fixed_header_itself_gets_the_fixed_value_once() -> None:
    message: Any = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"x-frame-options", b"SAMEORIGIN"), (b"content-type", b"text/plain")],
    }
    scope: Any = {"scheme": "http"}
    asyncio.run(security_headers(message, scope))
    headers = message["headers"]
    assert [value for name, value in headers if name == b"x-frame-options"] == [b"DENY"]
    assert (b"content-type", b"text/plain") in headers
    assert (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()) in headers


def test_the_site_forbids_inline_script_and_being_framed() -> None:
    assert directive(CONTENT_SECURITY_POLICY, "script-src") == ["'self'"]
    assert directive(CONTENT_SECURITY_POLICY, "style-src") == ["'self'"]
    assert directive(CONTENT_SECURITY_POLICY, "frame-ancestors") == ["'none'"]


def test_strict_transport_security_only_over_tls() -> None:
    with TestClient(small_app(), base_url="https://testserver.local") as client:
        for answer in (client.get("/page"), client.get("/nowhere"), client.get("/schema")):
            assert_protected(answer)
            assert answer.headers["strict-transport-security"] == (
                "max-age=31536000; includeSubDomains"
            )


def check_docs_page(answer: httpx.Response) -> None:
    """The page's own inline scripts run, no other; what it loads comes from the CDN
    its policy names."""
    assert answer.status_code == 200
    assert_protected(answer)
    policy = answer.headers["content-security-policy"]
    scripts = directive(policy, "script-src")
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    inline = _INLINE_SCRIPT.findall(answer.text)
    assert inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts
    assert len([s for s in scripts if s.startswith("'sha256-")]) == len(inline)
    for address in _LOADED.findall(answer.text):
        assert f"{urlsplit(address).scheme}://{urlsplit(address).netloc}" == DOCS_CDN, address


def test_the_api_docs_run_their_own_scripts_and_nothing_else(
    small: TestClient[Litestar],
) -> None:
    for path in ("/schema", "/schema/swagger", "/schema/oauth2-redirect.html"):
        check_docs_page(small.get(path))
    # The schema itself is data: the site's policy.
    schema = small.get("/schema/openapi.json")
    assert schema.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


# The real app: passes once create_app wires the hook and the middleware.
@pytest.fixture
def real(services: Services, redis_url: str) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(services, redis_url)) as client:
        yield client


def test_every_answer_of_the_tracker_carries_the_headers(
    real: TestClient[Litestar], people: dict[str, str]
) -> None:
    token = {"Authorization": f"Bearer {people['sasha']}"}
    answers = [
        real.get("/sign-in"),
        real.get("/", follow_redirects=False),
        real.get("/dashboard", follow_redirects=False),
        real.get("/api/projects", headers=token),
        real.get("/api/projects"),  # no token: problem details
        real.get("/api/nowhere", headers=token),
        real.get("/static/site.css"),
        real.get("/static/progress.js"),
        real.get("/schema/openapi.json"),
    ]
    assert [a.status_code for a in answers] == [200, 303, 303, 200, 401, 404, 200, 200, 200]
    assert answers[4].headers["content-type"] == "application/problem+json"
    for answer in answers:
        assert_protected(answer)
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    for path in ("/schema", "/schema/swagger"):
        check_docs_page(real.get(path))


def test_the_tracker_asks_for_tls_only_over_tls(services: Services, redis_url: str) -> None:
    with TestClient(create_app(services, redis_url), base_url="https://testserver.local") as client:
        secure = client.get("/sign-in")
    assert secure.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    with TestClient(create_app(services, redis_url)) as client:
        assert "strict-transport-security" not in client.get("/sign-in").headers


def test_no_page_needs_inline_style_or_script() -> None:
    """The site's policy would block them: the charts draw with classes, and the only
    script is a file."""
    templates = STATIC.parent / "templates"
    for template in templates.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=|javascript:", text), template.name
        assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", text)), template.name
