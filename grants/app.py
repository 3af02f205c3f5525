"""The HTTP application, the API and the pages together: every cross-cutting behaviour
is wired here."""

from __future__ import annotations

from typing import Any

from arq import create_pool
from litestar import Litestar, Request, Response
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from grants.api.auth import PUBLIC_PATHS, BearerToken
from grants.api.commands import JsonRequest, provide_context
from grants.api.health import HealthCheck
from grants.api.links import add_links
from grants.api.openapi import declare_problems
from grants.api.problems import PROBLEM_DETAILS, http_problem
from grants.api.request_metrics import RequestMetrics
from grants.api.routes import API
from grants.application import Grants
from grants.bootstrap import Services, bootstrap, database_url
from grants.http_values import TYPE_DECODERS, ClosedStructs, ValueSchemas
from grants.projections import Views
from grants.queue import redis_settings
from grants.security_headers import docs_router, security_headers
from grants.settings import Settings
from grants.web.auth import find_session
from grants.web.layout import error_page
from grants.web.site import TEMPLATES, web_ui

# A command's body is a few kilobytes; a ledger upload says its own limit.
MAX_BODY_BYTES = 1024 * 1024
# The addresses of machines' clients, which answer with problem details whatever asks.
_MACHINE_PATHS = ("/api", "/schema", "/swagger", "/health", "/metrics", "/static")


def _unknown_address(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[Any]:
    """An address no route takes: the pages' "not found" page for a browser, problem
    details for the API's clients."""
    path = request.url.path
    if path.startswith(_MACHINE_PATHS) or "text/html" not in request.headers.get("accept", ""):
        return http_problem(exc).to_response(request)
    # No router's middleware ran: the page finds its visitor's session itself, to show
    # the menu of someone signed in. A rare page: its lookup may hold the loop a moment.
    find_session(request.scope)
    return error_page(request, exc)


def _services(state: State) -> Services:
    services: Services = state.services
    return services


def _grants(state: State) -> Grants:
    grants: Grants = state.services.grants
    return grants


def _views(state: State) -> Views:
    views: Views = state.services.views
    return views


def create_app(services: Services, redis_url: str | None = None) -> Litestar:
    """The app on the given services; with ``redis_url`` it can queue jobs (ledger
    reconciliations) for the worker."""

    async def open_queue(app: Litestar) -> None:
        if redis_url is not None:
            app.state.queue = await create_pool(redis_settings(redis_url))

    async def close_queue(app: Litestar) -> None:
        if app.state.queue is not None:
            await app.state.queue.aclose()

    app = Litestar(
        route_handlers=[*API, *web_ui()],
        state=State(
            {
                "services": services,
                "users": services.users,
                "queue": None,
                "health": HealthCheck(services),
            }
        ),
        dependencies={
            "services": Provide(_services, sync_to_thread=False),
            "grants": Provide(_grants, sync_to_thread=False),
            "views": Provide(_views, sync_to_thread=False),
            "context": Provide(provide_context),
        },
        middleware=[
            RequestMetrics(),
            DefineMiddleware(BearerToken, exclude=[f"^{p}" for p in PUBLIC_PATHS]),
        ],
        before_send=[security_headers],
        exception_handlers={NotFoundException: _unknown_address},
        request_class=JsonRequest,
        request_max_body_size=MAX_BODY_BYTES,
        template_config=TEMPLATES,
        plugins=[PROBLEM_DETAILS, ValueSchemas(), ClosedStructs()],
        type_decoders=TYPE_DECODERS,
        openapi_config=OpenAPIConfig(
            title="Grants tracker",
            version="1",
            description="Grants and contributions of the National Strategy to Combat "
            "Human Trafficking. Amounts are integer cents; fiscal years are written 2021-22.",
            openapi_router=docs_router("/schema"),
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
            ),
            security=[{"bearer": []}],
        ),
        on_startup=[open_queue],
        on_shutdown=[close_queue, lambda: services.close()],
    )
    declare_problems(app)
    add_links(app.openapi_schema)
    return app


def app_from_env() -> Litestar:
    """The app for a server process, configured from the environment; ``grants serve``
    has already resolved ``DATABASE_URL`` and applied the migrations."""
    settings = Settings.from_env()
    return create_app(bootstrap(database_url(settings), settings), settings.redis_url)
