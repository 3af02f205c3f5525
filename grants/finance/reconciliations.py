"""Reconciliations of the financial system's ledger, kept in PostgreSQL: the uploaded file
as it came (who sent it, when, its checksum), then the report the job writes beside it.
Nothing here touches the event store.

Each reconciliation ends ``done`` or ``failed`` with a reason a person can read. A job
holds a lease on its reconciliation while it runs and renews it; when its worker dies,
the lease runs out and another worker runs the job again (``stalled``); a run that lost
its lease can no longer write its report. Finance can run a failed one again."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID, uuid4

import msgspec
from psycopg.rows import class_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from grants.application import NotFound
from grants.database import STREAMED_ROWS
from grants.domain.errors import RuleViolation, rule
from grants.domain.fiscal_year import FiscalYear
from grants.finance.columns import LedgerMapping
from grants.finance.drafts import LedgerDrafts
from grants.finance.ledger import LedgerLine, ledger_lines
from grants.finance.ledger_mappings import LedgerMappings, SavedMapping
from grants.finance.matching import Class, Line, by_reference
from grants.projections.payments import Paid
from grants.settings import JOB_LEASE_SECONDS


class Status(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Side(msgspec.Struct, omit_defaults=True):
    amount_cents: int
    paid_on: date
    recipient: str | None = None
    line: int | None = None
    agreement_number: str | None = None
    project_id: UUID | None = None


class ReportLine(msgspec.Struct):
    payment_ref: str
    class_: Class = msgspec.field(name="class")
    ledger: Side | None
    tracker: Side | None


class Reconciliation(msgspec.Struct):
    id: UUID
    fiscal_year: str
    status: Status
    uploaded_by: str
    uploaded_at: datetime
    filename: str | None
    sha256: str
    line_count: int
    store_position: int
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    counts: dict[str, int] | None
    totals_cents: dict[str, int] | None
    attempts: int
    # The mapping its ledger was read with; None for the tracker's own column names.
    mapping_name: str | None = None

    @property
    def job_id(self) -> str:
        """The queue's id of this reconciliation's next run: a job queued twice for
        one run is queued once."""
        return f"reconcile:{self.id}:{self.attempts}"


class Run(msgspec.Struct):
    """A job's run of a reconciliation, under its lease."""

    id: UUID
    summary: Reconciliation
    ledger: bytes
    mapping: LedgerMapping | None


class ReconciliationNotFailed(RuleViolation):
    code = "reconciliation_not_failed"


_COLUMNS = (
    "seq, class, payment_ref, ledger_line, ledger_cents, ledger_paid_on, ledger_recipient, "
    "ledger_agreement, tracker_cents, tracker_paid_on, project_id, tracker_recipient"
)
# Where the tracker's lines are numbered from while they are written, to be numbered
# after the ledger's once all are in (a ledger has far fewer lines than this).
_TRACKER_ONLY = 1 << 30
_NUMBER_TRACKER_ONLY = """
UPDATE reconciliation_lines l SET seq = last.line + n.rank
FROM (SELECT coalesce(max(ledger_line), 0) AS line FROM reconciliation_lines
      WHERE reconciliation_id = %(id)s) last,
     (SELECT seq, row_number() OVER (ORDER BY tracker_paid_on, payment_ref COLLATE "C",
                                              project_id, tracker_cents) AS rank
      FROM reconciliation_lines WHERE reconciliation_id = %(id)s AND seq >= %(from)s) n
WHERE l.reconciliation_id = %(id)s AND l.seq = n.seq
"""
_SUMMARY = (
    "id, fiscal_year, status, uploaded_by, uploaded_at, filename, sha256, line_count, "
    "store_position, started_at, finished_at, error, counts, totals_cents, attempts, mapping_name"
)


class Reconciliations:
    def __init__(self, pool: ConnectionPool, lease_seconds: float = JOB_LEASE_SECONDS) -> None:
        self._pool = pool
        self.lease = timedelta(seconds=lease_seconds)
        self.mappings = LedgerMappings(pool)
        self.drafts = LedgerDrafts(pool)

    def upload(
        self,
        *,
        fiscal_year: FiscalYear,
        ledger: bytes,
        filename: str | None,
        uploaded_by: str,
        store_position: int,
        mapping: SavedMapping | None = None,
    ) -> Reconciliation:
        """Keeps a ledger to reconcile against what the store holds at ``store_position``,
        read with ``mapping`` (the tracker's own column names without one). A file that
        cannot be read is refused (``LedgerUnreadable``) and not kept."""
        columns = mapping.columns if mapping else None
        name = mapping.name if mapping else None
        line_count = sum(1 for _ in ledger_lines(ledger, columns, mapping_name=name))
        with self._pool.connection() as conn:
            row = conn.execute(
                f"INSERT INTO reconciliations (id, fiscal_year, status, uploaded_by, filename, "
                f"sha256, ledger, line_count, store_position, mapping_name, mapping) "
                f"VALUES (%s, %s, %s, %s, %s, %s, %b, %s, %s, %s, %s) RETURNING {_SUMMARY}",
                (
                    uuid4(),
                    fiscal_year,
                    Status.QUEUED,
                    uploaded_by,
                    filename,
                    hashlib.sha256(ledger).hexdigest(),
                    ledger,
                    line_count,
                    store_position,
                    name,
                    Jsonb(msgspec.to_builtins(columns)) if columns else None,
                ),
            ).fetchone()
        return _summary(row)

    def get(self, reconciliation_id: UUID) -> Reconciliation | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                f"SELECT {_SUMMARY} FROM reconciliations WHERE id = %s", (reconciliation_id,)
            ).fetchone()
        return _summary(row) if row else None

    def found(self, reconciliation_id: UUID) -> Reconciliation:
        """The reconciliation, or ``NotFound``."""
        summary = self.get(reconciliation_id)
        if summary is None:
            raise NotFound("reconciliation", reconciliation_id)
        return summary

    def recent(self, fiscal_year: str | None = None) -> list[Reconciliation]:
        """The reconciliations of a fiscal year (or all), latest upload first."""
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_SUMMARY} FROM reconciliations"
                " WHERE %(year)s::text IS NULL OR fiscal_year = %(year)s"
                " ORDER BY uploaded_at DESC",
                {"year": fiscal_year},
            ).fetchall()
        return [_summary(row) for row in rows]

    def lines(
        self,
        reconciliation_id: UUID,
        *,
        classes: Iterable[Class] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ReportLine]:
        """The report's lines in order: the ledger's, then what only the tracker has."""
        wanted = [str(c) for c in classes]
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM reconciliation_lines WHERE reconciliation_id = %s"
                " AND (cardinality(%s::text[]) = 0 OR class = ANY(%s::text[]))"
                " ORDER BY seq LIMIT %s OFFSET %s",
                (reconciliation_id, wanted, wanted, limit, offset),
            ).fetchall()
        return [_report_line(row) for row in rows]

    def claim(self, reconciliation_id: UUID) -> Run | None:
        """Takes the lease of a reconciliation that is queued, or running under a lease
        that ran out (its worker died), and hands over its ledger; None when it is done,
        failed, or running under a live lease. A run cut short is started again from
        nothing."""
        run_id = uuid4()
        with self._pool.connection() as conn, conn.cursor(binary=True) as curs:
            # Binary: a ledger of tens of megabytes comes back as its bytes, not in hex.
            row = curs.execute(
                "UPDATE reconciliations SET status = %s, started_at = now(), error = NULL,"
                " heartbeat_at = now(), run_id = %s, attempts = attempts + 1"
                " WHERE id = %s AND (status = %s OR (status = %s AND heartbeat_at < now() - %s))"
                f" RETURNING {_SUMMARY}, mapping, ledger",
                (
                    Status.RUNNING,
                    run_id,
                    reconciliation_id,
                    Status.QUEUED,
                    Status.RUNNING,
                    self.lease,
                ),
            ).fetchone()
            if row is None:
                return None
            for table in ("reconciliation_lines", "reconciliation_ledger"):
                conn.execute(
                    f"DELETE FROM {table} WHERE reconciliation_id = %s", (reconciliation_id,)
                )
        mapping = msgspec.convert(row[-2], LedgerMapping) if row[-2] is not None else None
        return Run(run_id, _summary(row[:-2]), bytes(row[-1]), mapping)

    def keep_lines(self, run: Run) -> None:
        """Writes the ledger's lines where the job matches them, read from the file as it
        came, one at a time."""
        with (
            self._pool.connection() as conn,
            conn.cursor().copy(
                "COPY reconciliation_ledger (reconciliation_id, line, payment_ref, "
                "amount_cents, paid_on, recipient, agreement_number) FROM STDIN"
            ) as copy,
        ):
            for line in ledger_lines(
                run.ledger, run.mapping, mapping_name=run.summary.mapping_name
            ):
                copy.write_row(
                    (
                        run.summary.id,
                        line.line,
                        line.payment_ref,
                        line.amount_cents,
                        line.paid_on,
                        line.recipient,
                        line.agreement_number,
                    )
                )

    def ledger(self, reconciliation_id: UUID) -> Iterator[LedgerLine]:
        """The kept ledger's lines sorted for ``grants.finance.matching.by_reference``,
        read as they are asked for."""
        with (
            self._pool.connection() as conn,
            conn.cursor(name="ledger", row_factory=class_row(LedgerLine)) as curs,
        ):
            curs.itersize = STREAMED_ROWS
            curs.execute(
                "SELECT line, payment_ref, amount_cents, paid_on, recipient, agreement_number"
                " FROM reconciliation_ledger WHERE reconciliation_id = %s"
                ' ORDER BY payment_ref COLLATE "C", line',
                (reconciliation_id,),
            )
            yield from curs

    def renew(self, run: Run) -> bool:
        """Renews the run's lease; False when another run has taken it over."""
        with self._pool.connection() as conn:
            renewed = conn.execute(
                "UPDATE reconciliations SET heartbeat_at = now() WHERE id = %s AND run_id = %s"
                " AND status = %s",
                (run.summary.id, run.id, Status.RUNNING),
            )
            return renewed.rowcount == 1

    def finish(self, run: Run, lines: Iterable[Line]) -> bool:
        """Writes the report as its lines come, and its counts and totals by class, in
        one transaction, if the run still holds the lease; whether it did. The report
        reads in the ledger's order, then the tracker's payments no line matched in
        ``payment_order``."""
        counts: Counter[str] = Counter()
        totals: Counter[str] = Counter()
        with self._pool.connection() as conn:
            with conn.cursor().copy(
                f"COPY reconciliation_lines (reconciliation_id, {_COLUMNS}) FROM STDIN"
            ) as copy:
                for n, line in enumerate(lines):
                    counts[line.class_] += 1
                    totals[line.class_] += line.cents
                    seq = line.ledger.line if line.ledger else _TRACKER_ONLY + n
                    copy.write_row((run.summary.id, seq, *_columns(line)))
            conn.execute(_NUMBER_TRACKER_ONLY, {"id": run.summary.id, "from": _TRACKER_ONLY})
            done = conn.execute(
                "UPDATE reconciliations SET status = %s, finished_at = now(), counts = %s,"
                " totals_cents = %s WHERE id = %s AND run_id = %s AND status = %s",
                (
                    Status.DONE,
                    Jsonb({c: counts[c] for c in Class}),
                    Jsonb({c: totals[c] for c in Class}),
                    run.summary.id,
                    run.id,
                    Status.RUNNING,
                ),
            )
            if done.rowcount != 1:
                conn.rollback()
                return False
        return True

    def fail(self, run: Run, reason: str) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "UPDATE reconciliations SET status = %s, finished_at = now(), error = %s"
                " WHERE id = %s AND run_id = %s AND status = %s",
                (Status.FAILED, reason, run.summary.id, run.id, Status.RUNNING),
            )

    def retry(self, reconciliation_id: UUID) -> Reconciliation:
        """Queues a failed reconciliation to run again, as it was uploaded."""
        with self._pool.connection() as conn:
            row = conn.execute(
                "UPDATE reconciliations SET status = %s, error = NULL, started_at = NULL,"
                " finished_at = NULL, counts = NULL, totals_cents = NULL, run_id = NULL"
                f" WHERE id = %s AND status = %s RETURNING {_SUMMARY}",
                (Status.QUEUED, reconciliation_id, Status.FAILED),
            ).fetchone()
        if row is None:
            summary = self.found(reconciliation_id)
            raise ReconciliationNotFailed(
                rule("the reconciliation is {reconciliation}: only a failed one is run again"),
                reconciliation=str(summary.status),
            )
        return _summary(row)

    def stalled(self) -> list[Reconciliation]:
        """The reconciliations whose job may be lost: running under a lease that ran
        out, or queued for longer than a lease (the queue lost the job, say). Queuing
        their next run again is harmless: a run claims its reconciliation first."""
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_SUMMARY} FROM reconciliations"
                " WHERE (status = %s AND heartbeat_at < now() - %s)"
                " OR (status = %s AND coalesce(finished_at, uploaded_at) < now() - %s)",
                (Status.RUNNING, self.lease, Status.QUEUED, self.lease),
            ).fetchall()
        return [_summary(row) for row in rows]

    def count_by_status(self) -> dict[str, int]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT status, count(*) FROM reconciliations GROUP BY status"
            ).fetchall()
        found: dict[str, int] = dict(rows)
        return {status: found.get(status, 0) for status in Status}


def reconcile_run(store: Reconciliations, run: Run, payments: PaidSource) -> bool:
    """The job's work: keeps the ledger's lines again, matches them reference by
    reference to the payments the tracker recorded, and writes the report as it goes;
    whether the run still held its lease."""
    store.keep_lines(run)
    fiscal_year = run.summary.fiscal_year
    lines = by_reference(
        store.ledger(run.summary.id),
        payments.paid_for_ledger(fiscal_year, run.summary.id),
        fiscal_year,
    )
    return store.finish(run, lines)


class PaidSource(Protocol):
    """Where the job reads the tracker's payments: the payment register view."""

    def paid_for_ledger(self, fiscal_year: str, reconciliation_id: UUID) -> Iterator[Paid]: ...


def _summary(row: Any) -> Reconciliation:
    return Reconciliation(*row)


def _columns(line: Line) -> tuple[Any, ...]:
    ledger, tracker = line.ledger, line.tracker
    return (
        line.class_.value,
        line.payment_ref,
        ledger.line if ledger else None,
        ledger.amount_cents if ledger else None,
        ledger.paid_on if ledger else None,
        ledger.recipient if ledger else None,
        ledger.agreement_number if ledger else None,
        tracker.amount_cents if tracker else None,
        tracker.paid_on if tracker else None,
        tracker.project_id if tracker else None,
        tracker.recipient if tracker else None,
    )


def _report_line(row: Any) -> ReportLine:
    (_, class_, ref, line, l_cents, l_on, l_recipient, l_agreement, t_cents, t_on, project,
     t_recipient) = row  # fmt: skip
    ledger = (
        Side(l_cents, l_on, l_recipient or None, line=line, agreement_number=l_agreement or None)
        if line is not None
        else None
    )
    tracker = Side(t_cents, t_on, t_recipient, project_id=project) if t_cents is not None else None
    return ReportLine(payment_ref=ref, class_=Class(class_), ledger=ledger, tracker=tracker)
