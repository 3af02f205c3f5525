"""Liveness for load balancers and compose: 200 when the event store answers."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException

from grants.application import Grants


@get("/health", sync_to_thread=True, tags=["health"])
def health(grants: NamedDependency[Grants]) -> dict[str, str | int | None]:
    try:
        position = grants.recorder.max_notification_id()
    except Exception as error:
        raise HTTPException(
            status_code=503, detail=f"the event store does not answer: {error}"
        ) from None
    return {"status": "ok", "position": position}
