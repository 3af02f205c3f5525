"""``GET /metrics`` in Prometheus's text format: the HTTP requests this process served
(``grants.api.request_metrics``), and, read at each scrape, how each view stands (its
lag in events and in seconds, whether a worker leads it, whether it is stuck), the
reconciliations by status (a failed one is a job that failed) and the jobs queued."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import anyio.to_thread
import msgspec
from litestar import Response, get
from litestar.datastructures import State
from prometheus_client import REGISTRY, CollectorRegistry, Gauge, generate_latest

from grants.bootstrap import Services
from grants.projections.status import ViewState
from grants.queue import queue_name

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Snapshot(msgspec.Struct):
    views: list[ViewState]
    lag_seconds: dict[str, float]
    reconciliations: dict[str, int]


def snapshot(services: Services) -> Snapshot:
    with services.datastore.get_connection() as conn:
        views = services.view_states(conn)
    now = datetime.now(UTC)
    lag_seconds = {}
    for view in views:
        lag_seconds[view.name] = 0.0
        if view.lag:
            # How long ago the first event the view has not read was recorded.
            first_unread = services.grants.recorder.select_notifications(
                start=view.position, limit=1, inclusive_of_start=False
            )
            if first_unread:
                event: Any = services.grants.mapper.to_domain_event(first_unread[0])
                lag_seconds[view.name] = (now - event.timestamp).total_seconds()
    return Snapshot(views, lag_seconds, services.reconciliations.count_by_status())


@get("/metrics", tags=["operations"], media_type=CONTENT_TYPE)
async def metrics(state: State) -> Response[bytes]:
    services: Services = state.services
    taken = await anyio.to_thread.run_sync(snapshot, services)
    queued = None
    if state.queue is not None:
        queued = await state.queue.zcard(queue_name(services.database_url))
    registry = CollectorRegistry()
    _gauges(registry, taken, queued)
    return Response(generate_latest(REGISTRY) + generate_latest(registry), media_type=CONTENT_TYPE)


def _gauges(registry: CollectorRegistry, taken: Snapshot, queued: int | None) -> None:
    def gauge(name: str, what: str, labels: tuple[str, ...] = ()) -> Any:
        return Gauge(f"grants_{name}", what, labels, registry=registry)

    position = gauge("view_position", "Position in the store a view has read to", ("view",))
    lag = gauge("view_lag_events", "Events recorded that a view has not read", ("view",))
    lag_seconds = gauge(
        "view_lag_seconds", "Age of the oldest event a view has not read", ("view",)
    )
    led = gauge("view_led", "1 when a worker process keeps the view", ("view",))
    stuck = gauge("view_stuck", "1 when the view stopped before an event it cannot fold", ("view",))
    for view in taken.views:
        position.labels(view.name).set(view.position)
        lag.labels(view.name).set(view.lag)
        lag_seconds.labels(view.name).set(taken.lag_seconds[view.name])
        led.labels(view.name).set(int(view.led))
        stuck.labels(view.name).set(int(view.failure is not None))
    if taken.views:
        head = taken.views[0].position + taken.views[0].lag
        gauge("store_position", "Position of the last event in the store").set(head)
    by_status = gauge("reconciliations", "Ledger reconciliations by status", ("status",))
    for status, count in taken.reconciliations.items():
        by_status.labels(status).set(count)
    if queued is not None:
        gauge("jobs_queued", "Jobs waiting in the queue for a worker").set(queued)
