"""Background jobs. The worker keeps the views up to date itself (the projection
runners); the jobs here report on them."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


async def report_lag(ctx: dict[str, Any]) -> dict[str, int]:
    """How many events each view has still to read: logged every minute, so a view
    that falls behind shows in the worker's log."""
    grants, views = ctx["grants"], ctx["views"]
    head = grants.recorder.max_notification_id() or 0
    lag = {name: head - view.position() for name, view in views.by_name().items()}
    behind = {name: n for name, n in lag.items() if n}
    if behind:
        logger.warning("views behind the store: %s", behind)
    return lag
