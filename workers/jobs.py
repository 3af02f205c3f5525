"""Background jobs. The worker keeps the views up to date itself (the projection
runners); the jobs here reconcile ledgers, work out the day's deadlines and report on
the views."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date
from typing import Any
from uuid import UUID

from arq import Retry

from grants.finance import deadlines
from grants.finance.reconciliations import run
from grants.projections.view import View

logger = logging.getLogger(__name__)

# How long a job waits for a view to reach the store position it needs before it
# lets the queue try again later.
VIEW_WAIT_SECONDS = 10.0


async def caught_up(view: View, position: int) -> None:
    """Returns once the view includes ``position``; otherwise has the job retried."""
    deadline = time.monotonic() + VIEW_WAIT_SECONDS
    while view.position() < position:
        if time.monotonic() > deadline:
            raise Retry(defer=5)
        await asyncio.sleep(0.1)


async def reconcile(ctx: dict[str, Any], reconciliation_id: str) -> dict[str, int] | None:
    """Reconciles an uploaded ledger against the payments recorded up to its upload."""
    services = ctx["services"]
    rid = UUID(reconciliation_id)
    summary = services.reconciliations.get(rid)
    if summary is None:
        return None
    payments = services.views.payments
    await caught_up(payments, summary.store_position)
    done = await asyncio.to_thread(run, services.reconciliations, rid, payments)
    return done.counts if done else None


async def refresh_deadlines(ctx: dict[str, Any]) -> int:
    """Works out, as of today, the agreements ending soon and the overdue results
    reports, from the award register once it has read the whole store: run each night
    and when the worker starts."""
    services = ctx["services"]
    await caught_up(services.views.awards, services.grants.recorder.max_notification_id() or 0)
    return await asyncio.to_thread(
        deadlines.refresh, services.pool, services.views.awards, date.today()
    )


async def report_lag(ctx: dict[str, Any]) -> dict[str, int]:
    """How many events each view has still to read: logged every minute, so a view
    that falls behind shows in the worker's log."""
    services = ctx["services"]
    head = services.grants.recorder.max_notification_id() or 0
    lag = {name: head - view.position() for name, view in services.views.by_name().items()}
    behind = {name: n for name, n in lag.items() if n}
    if behind:
        logger.warning("views behind the store: %s", behind)
    return lag
