"""Health, for load balancers, compose and operators: 200 when the event store answers
and every view can read on; 503, within a second, when the store does not answer or a
view is stuck on an event it cannot fold (which one, where and why)."""

from __future__ import annotations

import asyncio
from typing import Any

import anyio.to_thread
import msgspec
from litestar import Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec

from grants.bootstrap import Services
from grants.database import UNAVAILABLE
from grants.projections.status import ViewState

# The answer comes within a second, whatever the database does.
HEALTH_SECONDS = 0.8


class Health(msgspec.Struct, omit_defaults=True):
    """``ok``; ``unavailable`` (the event store does not answer); ``stuck`` (a view
    stopped before an event it cannot fold: see its ``failure``)."""

    status: str
    position: int | None = None
    views: list[ViewState] = msgspec.field(default_factory=list)
    detail: str | None = None


class HealthCheck:
    """Asks the database at most once at a time: while a check hangs on an unreachable
    server, later requests wait on the same check (for at most ``HEALTH_SECONDS``)
    instead of piling up threads and connections."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._running: asyncio.Future[list[ViewState]] | None = None

    async def check(self) -> Health:
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(anyio.to_thread.run_sync(self._read))
        try:
            views = await asyncio.wait_for(asyncio.shield(self._running), HEALTH_SECONDS)
        except TimeoutError:
            return Health("unavailable", detail="the event store did not answer within a second")
        except UNAVAILABLE as error:
            return Health("unavailable", detail=f"the event store does not answer: {error}")
        head = views[0].position + views[0].lag if views else None
        stuck = [view for view in views if view.failure is not None]
        if stuck:
            detail = "; ".join(
                f"{view.name} stopped before event {view.failure.position} "
                f"({view.failure.event_type}): {view.failure.error}"
                for view in stuck
                if view.failure is not None
            )
            return Health("stuck", head, views, detail)
        return Health("ok", head, views)

    def _read(self) -> list[ViewState]:
        services = self._services
        with services.datastore.pool.connection(timeout=HEALTH_SECONDS) as conn:
            return services.view_states(conn)


@get(
    "/health",
    tags=["operations"],
    responses={
        503: ResponseSpec(
            data_container=Health,
            description="The event store does not answer, or a view is stuck",
            generate_examples=False,
        )
    },
)
async def health(state: State) -> Response[Health]:
    checker: Any = state.health
    answer: Health = await checker.check()
    status = 200 if answer.status == "ok" else 503
    return Response(answer, status_code=status, headers={"Cache-Control": "no-store"})
