"""Background jobs. The worker keeps the views up to date itself (its follower); the
jobs here reconcile ledgers (and take up those of a worker that died), work out the
day's deadlines and report on the views.

No job is lost: a reconciliation's job never fails in the queue's eyes, it ends its
reconciliation ``done`` or ``failed`` with a reason a person can read."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from uuid import UUID

import anyio.to_thread

from grants.bootstrap import Services
from grants.database import UNAVAILABLE
from grants.finance import deadlines, standard_flags
from grants.finance.ledger import LedgerUnreadable
from grants.finance.reconciliations import Run, reconcile_run
from grants.projections.status import failures
from grants.projections.view import View

logger = logging.getLogger(__name__)

# How long a job waits for a view to reach the store position it needs. The views read
# thousands of events a second: a view this far behind has a worker in trouble.
VIEW_WAIT_SECONDS = 300.0
CHECK_SECONDS = 0.2


class ViewNotReady(Exception):
    """The view a job reads has not reached the position it needs; the message says
    why, for the person who reads the failed job."""


async def caught_up(services: Services, view: View, position: int) -> None:
    """Returns once the view includes ``position``; raises ``ViewNotReady`` when the view
    is stuck on an event, or still behind after ``VIEW_WAIT_SECONDS``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + VIEW_WAIT_SECONDS
    while (reached := await anyio.to_thread.run_sync(view.position)) < position:
        failure = await anyio.to_thread.run_sync(_failure, services, view.name)
        if failure is not None:
            raise ViewNotReady(
                f"the {view.name} view stopped at event {failure.position - 1}: it cannot "
                f"read event {failure.position} ({failure.event_type}: {failure.error}). "
                "Run this again once an operator has fixed it."
            )
        if loop.time() > deadline:
            raise ViewNotReady(
                f"the {view.name} view reached event {reached} of {position} in "
                f"{VIEW_WAIT_SECONDS:.0f} s: is a worker keeping the views? Run this again."
            )
        await asyncio.sleep(CHECK_SECONDS)


def _failure(services: Services, view: str) -> Any:
    with services.datastore.get_connection() as conn:
        return failures(conn).get(view)


@contextlib.asynccontextmanager
async def leased(services: Services, run: Run) -> AsyncIterator[None]:
    """Renews the run's lease while the job works, three times a lease."""
    store = services.reconciliations

    async def renew() -> None:
        while True:
            await asyncio.sleep(store.lease.total_seconds() / 3)
            try:
                if not await anyio.to_thread.run_sync(store.renew, run):
                    logger.warning("reconciliation %s: another run took it over", run.summary.id)
            except UNAVAILABLE as error:
                logger.warning("reconciliation %s: lease not renewed: %s", run.summary.id, error)

    renewing = asyncio.create_task(renew())
    try:
        yield
    finally:
        renewing.cancel()


async def reconcile(ctx: dict[str, Any], reconciliation_id: str) -> dict[str, int] | None:
    """Reconciles an uploaded ledger against the payments recorded up to its upload."""
    services: Services = ctx["services"]
    store = services.reconciliations
    run = await anyio.to_thread.run_sync(store.claim, UUID(reconciliation_id))
    if run is None:
        return None  # done, failed, or running under another worker's lease
    async with leased(services, run):
        try:
            payments = services.views.payments
            await caught_up(services, payments, run.summary.store_position)
            await anyio.to_thread.run_sync(reconcile_run, store, run, payments)
        except Exception as error:
            logger.exception("reconciliation %s failed", reconciliation_id)
            await anyio.to_thread.run_sync(store.fail, run, _reason(error))
            return None
    done = await anyio.to_thread.run_sync(store.get, run.summary.id)
    return done.counts if done else None


def _reason(error: Exception) -> str:
    """Why a reconciliation failed, for the finance officer who reads it."""
    if isinstance(error, ViewNotReady | LedgerUnreadable):
        return str(error)
    if isinstance(error, UNAVAILABLE):
        return "the database stopped answering while the ledger was reconciled; run it again"
    return f"an unexpected error ({type(error).__name__}: {error}); run it again, or call support"


async def resume_stalled(ctx: dict[str, Any]) -> int:
    """Queues again the reconciliations whose job may be lost: their worker died (the
    lease ran out) or the queue lost them. Runs every 20 seconds."""
    services: Services = ctx["services"]
    stalled = await anyio.to_thread.run_sync(services.reconciliations.stalled)
    for reconciliation in stalled:
        logger.warning(
            "reconciliation %s: %s without a live job; queued again",
            reconciliation.id,
            reconciliation.status,
        )
        await services.submissions.enqueue(ctx["redis"], reconciliation)
    return len(stalled)


async def refresh_deadlines(ctx: dict[str, Any]) -> int | None:
    """Works out, as of today, the agreements ending soon and the overdue results
    reports, from the award register once it has read the whole store: run each night
    and when the worker starts."""
    services: Services = ctx["services"]
    head = await anyio.to_thread.run_sync(services.grants.recorder.max_notification_id)
    try:
        await caught_up(services, services.views.awards, head or 0)
    except ViewNotReady as why:
        logger.error("the deadlines were not worked out: %s", why)
        return None
    return await anyio.to_thread.run_sync(
        deadlines.refresh, services.pool, services.views.awards, date.today()
    )


async def flag_service_standards(ctx: dict[str, Any]) -> int | None:
    """Flags, as of today, the service-standard cases about to miss their standard (or
    overdue), from the standards view once it has read the whole store: run each night
    and when the worker starts."""
    services: Services = ctx["services"]
    head = await anyio.to_thread.run_sync(services.grants.recorder.max_notification_id)
    try:
        await caught_up(services, services.views.standards, head or 0)
    except ViewNotReady as why:
        logger.error("the service standards were not flagged: %s", why)
        return None
    flagged = await anyio.to_thread.run_sync(
        standard_flags.flag, services.grants, services.views, services.pool, date.today()
    )
    return len(flagged)


async def report_lag(ctx: dict[str, Any]) -> dict[str, int]:
    """How many events each view has still to read: logged every minute, so a view
    that falls behind shows in the worker's log."""
    services: Services = ctx["services"]

    def read() -> dict[str, int]:
        with services.datastore.get_connection() as conn:
            return {view.name: view.lag for view in services.view_states(conn)}

    lag = await anyio.to_thread.run_sync(read)
    behind = {name: n for name, n in lag.items() if n}
    if behind:
        logger.warning("views behind the store: %s", behind)
    return lag
