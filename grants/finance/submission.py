"""Sending a ledger to be reconciled, from the API or the pages alike: the file is kept
first (a file that cannot be read, or holds a value no report could store, is refused
and nothing is kept), then the job that reconciles it is queued for the worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import anyio.to_thread
from arq.connections import ArqRedis

from grants.domain.fiscal_year import FiscalYear
from grants.domain.values import NAME_LENGTH
from grants.finance.ledger_mappings import SavedMapping
from grants.finance.reconciliations import Reconciliation, Reconciliations

# A year of payments of a large department, with room to spare.
MAX_LEDGER_BYTES = 64 * 1024 * 1024


class NoJobQueue(Exception):
    """The app runs without Redis, so no worker would ever reconcile the ledger."""

    def __init__(self) -> None:
        super().__init__("set REDIS_URL and run a worker")


@dataclass(frozen=True)
class Submissions:
    """Where a ledger goes: kept with the reconciliations, to be matched against the
    store as it is when it comes (``head``), by a job on the database's queue."""

    reconciliations: Reconciliations
    head: Callable[[], int | None]
    queue_name: str

    async def enqueue(self, queue: ArqRedis, reconciliation: Reconciliation) -> None:
        """Queues the next run of a reconciliation: once only, however often it is asked
        (the job's id names the run)."""
        await queue.enqueue_job(
            "reconcile",
            str(reconciliation.id),
            _job_id=reconciliation.job_id,
            _queue_name=self.queue_name,
        )

    async def submit(
        self,
        queue: ArqRedis | None,
        *,
        fiscal_year: FiscalYear,
        ledger: bytes,
        filename: str | None,
        uploaded_by: str,
        mapping: SavedMapping | None = None,
    ) -> Reconciliation:
        """Keeps the ledger, read with ``mapping`` (the tracker's own column names
        without one), and queues its job."""
        if queue is None:
            raise NoJobQueue
        summary = await anyio.to_thread.run_sync(
            lambda: self.reconciliations.upload(
                fiscal_year=fiscal_year,
                ledger=ledger,
                filename=kept_name(filename),
                uploaded_by=uploaded_by,
                store_position=self.head() or 0,
                mapping=mapping,
            )
        )
        await self.enqueue(queue, summary)
        return summary

    async def retry(self, queue: ArqRedis | None, reconciliation_id: UUID) -> Reconciliation:
        """Runs a failed reconciliation again, against the store as it was at its upload."""
        if queue is None:
            raise NoJobQueue
        summary = await anyio.to_thread.run_sync(self.reconciliations.retry, reconciliation_id)
        await self.enqueue(queue, summary)
        return summary


def kept_name(given: str | None) -> str | None:
    """The uploaded file's name as kept and shown: its last part, printable, bounded."""
    if not given:
        return None
    name = given.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:NAME_LENGTH] or None
