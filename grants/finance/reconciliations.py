"""Reconciliations of the financial system's ledger, kept in PostgreSQL: the uploaded file
as it came (who sent it, when, its checksum), then the report the job writes beside it.
Nothing here touches the event store."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID, uuid4

import msgspec
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from grants.application import NotFound
from grants.domain.fiscal_year import FiscalYear
from grants.finance.ledger import read_ledger
from grants.finance.matching import Class, Line, Paid, reconcile


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


_COLUMNS = (
    "seq, class, payment_ref, ledger_line, ledger_cents, ledger_paid_on, ledger_recipient, "
    "ledger_agreement, tracker_cents, tracker_paid_on, project_id, tracker_recipient"
)
_SUMMARY = (
    "id, fiscal_year, status, uploaded_by, uploaded_at, filename, sha256, line_count, "
    "store_position, started_at, finished_at, error, counts, totals_cents"
)


class Reconciliations:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def upload(
        self,
        *,
        fiscal_year: FiscalYear,
        ledger: bytes,
        filename: str | None,
        uploaded_by: str,
        store_position: int,
    ) -> Reconciliation:
        """Keeps a ledger to reconcile against what the store holds at ``store_position``.
        A file that cannot be read is refused (``LedgerUnreadable``) and not kept."""
        lines = read_ledger(ledger)
        with self._pool.connection() as conn:
            row = conn.execute(
                f"INSERT INTO reconciliations (id, fiscal_year, status, uploaded_by, filename, "
                f"sha256, ledger, line_count, store_position) "
                f"VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING {_SUMMARY}",
                (
                    uuid4(),
                    fiscal_year,
                    Status.QUEUED,
                    uploaded_by,
                    filename,
                    hashlib.sha256(ledger).hexdigest(),
                    ledger,
                    len(lines),
                    store_position,
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

    def start(self, reconciliation_id: UUID) -> tuple[Reconciliation, bytes] | None:
        """Marks a reconciliation running and hands over its ledger; a run cut short
        before is started again from nothing."""
        with self._pool.connection() as conn:
            conn.execute(
                "DELETE FROM reconciliation_lines WHERE reconciliation_id = %s",
                (reconciliation_id,),
            )
            row = conn.execute(
                "UPDATE reconciliations SET status = %s, started_at = now(), error = NULL"
                f" WHERE id = %s RETURNING {_SUMMARY}, ledger",
                (Status.RUNNING, reconciliation_id),
            ).fetchone()
        return (_summary(row[:-1]), bytes(row[-1])) if row else None

    def finish(self, reconciliation_id: UUID, lines: list[Line]) -> None:
        """Writes the report and its counts and totals by class, in one transaction."""
        counts: Counter[str] = Counter()
        totals: Counter[str] = Counter()
        for line in lines:
            counts[line.class_] += 1
            totals[line.class_] += line.cents
        with self._pool.connection() as conn:
            with conn.cursor().copy(
                f"COPY reconciliation_lines (reconciliation_id, {_COLUMNS}) FROM STDIN"
            ) as copy:
                for seq, line in enumerate(lines):
                    copy.write_row((reconciliation_id, seq, *_columns(line)))
            conn.execute(
                "UPDATE reconciliations SET status = %s, finished_at = now(), counts = %s,"
                " totals_cents = %s WHERE id = %s",
                (
                    Status.DONE,
                    Jsonb({c: counts[c] for c in Class}),
                    Jsonb({c: totals[c] for c in Class}),
                    reconciliation_id,
                ),
            )

    def fail(self, reconciliation_id: UUID, error: str) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "UPDATE reconciliations SET status = %s, finished_at = now(), error = %s"
                " WHERE id = %s",
                (Status.FAILED, error, reconciliation_id),
            )


def run(
    reconciliations: Reconciliations, reconciliation_id: UUID, payments: PaidSource
) -> Reconciliation | None:
    """The job: reads the kept ledger again, matches it to the payments the tracker
    recorded, writes the report."""
    started = reconciliations.start(reconciliation_id)
    if started is None:
        return None
    summary, ledger = started
    try:
        lines = read_ledger(ledger)
        paid = payments.paid(summary.fiscal_year, {line.payment_ref for line in lines})
        reconciliations.finish(reconciliation_id, reconcile(lines, paid, summary.fiscal_year))
    except Exception as error:
        reconciliations.fail(reconciliation_id, f"{type(error).__name__}: {error}")
        raise
    return reconciliations.get(reconciliation_id)


class PaidSource(Protocol):
    """Where the job reads the tracker's payments: the payment register view."""

    def paid(self, fiscal_year: str | None, refs: Iterable[str] = ()) -> list[Paid]: ...


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
