"""Sending a ledger to be reconciled, from the API or the pages alike: the file is kept
first (a file that cannot be read, or holds a value no report could store, is refused
and nothing is kept), then the job that reconciles it is queued for the worker."""

from __future__ import annotations

from uuid import UUID

import anyio.to_thread
from arq.connections import ArqRedis

from grants.bootstrap import Services
from grants.domain.fiscal_year import FiscalYear
from grants.domain.values import NAME_LENGTH
from grants.finance.reconciliations import Reconciliation
from grants.queue import queue_name

# A year of payments of a large department, with room to spare.
MAX_LEDGER_BYTES = 64 * 1024 * 1024


class NoJobQueue(Exception):
    """The app runs without Redis, so no worker would ever reconcile the ledger."""

    def __init__(self) -> None:
        super().__init__("set REDIS_URL and run a worker")


async def enqueue(queue: ArqRedis, database_url: str, reconciliation: Reconciliation) -> None:
    """Queues the next run of a reconciliation: once only, however often it is asked
    (the job's id names the run)."""
    await queue.enqueue_job(
        "reconcile",
        str(reconciliation.id),
        _job_id=reconciliation.job_id,
        _queue_name=queue_name(database_url),
    )


async def submit_ledger(
    services: Services,
    queue: ArqRedis | None,
    *,
    fiscal_year: FiscalYear,
    ledger: bytes,
    filename: str | None,
    uploaded_by: str,
) -> Reconciliation:
    """Keeps the ledger, to be reconciled against the store as it is now, and queues
    its job."""
    if queue is None:
        raise NoJobQueue
    summary = await anyio.to_thread.run_sync(
        lambda: services.reconciliations.upload(
            fiscal_year=fiscal_year,
            ledger=ledger,
            filename=_kept_name(filename),
            uploaded_by=uploaded_by,
            store_position=services.grants.recorder.max_notification_id() or 0,
        )
    )
    await enqueue(queue, services.database_url, summary)
    return summary


def _kept_name(given: str | None) -> str | None:
    """The uploaded file's name as kept and shown: its last part, printable, bounded."""
    if not given:
        return None
    name = given.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:NAME_LENGTH] or None


async def retry_reconciliation(
    services: Services, queue: ArqRedis | None, reconciliation_id: UUID
) -> Reconciliation:
    """Runs a failed reconciliation again, against the store as it was at its upload."""
    if queue is None:
        raise NoJobQueue
    summary = await anyio.to_thread.run_sync(services.reconciliations.retry, reconciliation_id)
    await enqueue(queue, services.database_url, summary)
    return summary
