"""The HTTP requests this process serves, for ``GET /metrics``: counted and timed by
method, route (its template, ``/api/projects/{project_id}/disbursements``) and
status, with those in progress and those that failed (5xx).

The names and labels are those of Litestar's Prometheus middleware, which this
replaces: it made a request object and looked each metric's labels up four times per
request. In an app of one bare handler under uvicorn on this project's 2-core machine,
it added 50 µs of server CPU per request, this adds 16-20 µs (105-115 µs a request with
neither). It also counted a request refused before the handler (no token) as a 200."""

from __future__ import annotations

import time
from typing import Any

from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import Counter, Gauge, Histogram

APP_NAME = "grants"
LABELS = ("method", "path", "status_code", "app_name")

REQUESTS = Counter("grants_requests_total", "Total requests", LABELS)
DURATION = Histogram("grants_request_duration_seconds", "Request duration, in seconds", LABELS)
IN_PROGRESS = Gauge(
    "grants_requests_in_progress",
    "Total requests currently in progress",
    LABELS,
    multiprocess_mode="livesum",
)
ERRORS = Counter("grants_requests_error_total", "Total errors in requests", LABELS)


class RequestMetrics(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self) -> None:
        # Each route's series, by method, route and status: prometheus_client's own
        # lookup takes a lock and checks the labels every time.
        self._series: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}
        self._running: dict[tuple[str, str], Any] = {}

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        method: str = scope["method"]  # type: ignore[typeddict-item]
        route: str = scope.get("path_template") or scope["path"]
        status = 200

        async def noted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        running = self._running.get((method, route))
        if running is None:
            # Litestar's middleware labelled them with a status of 200: kept, for
            # dashboards made on its series.
            running = self._running[method, route] = IN_PROGRESS.labels(
                method, route, 200, APP_NAME
            )
        started = time.perf_counter()
        running.inc()
        try:
            await next_app(scope, receive, noted)
        except Exception as error:
            # Refused before the handler (the token's check): the app's outermost
            # handler answers, past this middleware's send.
            status = error.status_code if isinstance(error, HTTPException) else 500
            raise
        finally:
            running.dec()
            self._count(method, route, status, time.perf_counter() - started)

    def _count(self, method: str, route: str, status: int, seconds: float) -> None:
        series = self._series.get((method, route, status))
        if series is None:
            labels = (method, route, status, APP_NAME)
            series = self._series[method, route, status] = (
                REQUESTS.labels(*labels),
                DURATION.labels(*labels),
                ERRORS.labels(*labels) if status >= 500 else None,
            )
        requests, duration, errors = series
        requests.inc()
        duration.observe(seconds)
        if errors is not None:
            errors.inc()
