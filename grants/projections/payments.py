"""The payment register: every payment request the program side certified, whether
finance released it (by whom, under which reference, on which day), and every recovery.
Finance works from it: the requests awaiting release, the reconciliation against the
financial system's ledger, and what may still be paid at year-end."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow, class_row
from psycopg.sql import SQL, Composable, Identifier, Placeholder

from grants.database import STREAMED_ROWS
from grants.domain.project import Project
from grants.projections.view import Append, Event, Tables, View, upsert_rows


@dataclass(frozen=True)
class Paid:
    """A payment as the tracker recorded it: released, or recovered (negative)."""

    payment_ref: str
    amount_cents: int
    paid_on: date
    fiscal_year: str
    project_id: UUID
    recipient: str
    agreement_number: str


# A project received in the batch is inserted as the batch leaves it: corrected, and
# numbered if it signed.
_PROJECTS = Append(
    "payment_projects",
    [
        ("project_id", "uuid"),
        ("program_id", "uuid"),
        ("department", "text"),
        ("pillar", "text"),
        ("title_en", "text"),
        ("title_fr", "text"),
        ("recipient", "text"),
        ("agreement_number", "text"),
    ],
)

_CORRECT = """
UPDATE {payment_projects} AS p SET pillar = c.pillar, title_en = c.title_en,
    title_fr = c.title_fr, recipient = c.recipient
FROM unnest(%b::uuid[], %b::text[], %b::text[], %b::text[], %b::text[])
    AS c(project_id, pillar, title_en, title_fr, recipient)
WHERE p.project_id = c.project_id
"""

_AGREEMENT_NUMBERS = """
UPDATE {payment_projects} AS p SET agreement_number = a.agreement_number
FROM unnest(%b::uuid[], %b::text[]) AS a(project_id, agreement_number)
WHERE p.project_id = a.project_id
"""

# A request joins finance's queue (and its totals) unless released in the same batch.
_REQUESTS = """
WITH requested AS (
    INSERT INTO {payment_requests} (request_id, project_id, fiscal_year, amount_cents, kind,
                                    certified_by, requested_on, released_by, payment_ref,
                                    paid_on)
    SELECT * FROM unnest(%b::uuid[], %b::uuid[], %b::text[], %b::bigint[], %b::text[],
                         %b::text[], %b::date[], %b::text[], %b::text[], %b::date[])
    RETURNING *
), queued AS (
    INSERT INTO {payment_queue}
    SELECT r.request_id, r.project_id, p.program_id, p.department, p.title_en, p.title_fr,
           p.recipient, r.fiscal_year, r.kind, r.amount_cents, r.certified_by, r.requested_on
    FROM requested r JOIN {payment_projects} p USING (project_id)
    WHERE r.paid_on IS NULL
    RETURNING *
)
INSERT INTO {payment_queue_totals} AS t
SELECT program_id, fiscal_year, kind, requested_on, department, count(*), sum(amount_cents)
FROM queued
GROUP BY program_id, fiscal_year, kind, requested_on, department
ON CONFLICT (program_id, fiscal_year, kind, requested_on) DO UPDATE
SET requests = t.requests + excluded.requests,
    amount_cents = t.amount_cents + excluded.amount_cents
"""

# A release takes the request out of the queue and its totals; a group left empty
# goes (_EMPTIED), so that the totals keep a row per group still awaiting.
_RELEASES = """
WITH released AS (
    UPDATE {payment_requests} AS r
    SET released_by = s.released_by, payment_ref = s.payment_ref, paid_on = s.paid_on
    FROM unnest(%b::uuid[], %b::text[], %b::text[], %b::date[])
         AS s(request_id, released_by, payment_ref, paid_on)
    WHERE r.request_id = s.request_id
    RETURNING r.request_id
), dequeued AS (
    DELETE FROM {payment_queue} AS q USING released
    WHERE q.request_id = released.request_id
    RETURNING q.program_id, q.fiscal_year, q.kind, q.requested_on, q.amount_cents
)
UPDATE {payment_queue_totals} AS t
SET requests = t.requests - d.requests, amount_cents = t.amount_cents - d.amount_cents
FROM (
    SELECT program_id, fiscal_year, kind, requested_on, count(*) AS requests,
           sum(amount_cents) AS amount_cents
    FROM dequeued
    GROUP BY program_id, fiscal_year, kind, requested_on
) AS d
WHERE (t.program_id, t.fiscal_year, t.kind, t.requested_on)
    = (d.program_id, d.fiscal_year, d.kind, d.requested_on)
"""

_EMPTIED = "DELETE FROM {payment_queue_totals} WHERE requests = 0"

_RECOVERIES = Append(
    "payment_recoveries",
    [
        ("project_id", "uuid"),
        ("version", "integer"),
        ("payment_ref", "text"),
        ("fiscal_year", "text"),
        ("amount_cents", "bigint"),
        ("recovered_on", "date"),
        ("recovered_by", "text"),
    ],
)

# Released payments and recoveries (as negative amounts, as a ledger shows reversals)
# charged to a fiscal year (any, when none is given) or carrying one of the references.
_PAID = """
SELECT r.payment_ref, r.amount_cents, r.paid_on, r.fiscal_year, r.project_id,
       p.recipient, p.agreement_number
FROM payment_requests r JOIN payment_projects p USING (project_id)
WHERE r.paid_on IS NOT NULL AND coalesce(r.fiscal_year = %(fiscal_year)s, true)
UNION ALL
SELECT c.payment_ref, -c.amount_cents, c.recovered_on, c.fiscal_year, c.project_id,
       p.recipient, p.agreement_number
FROM payment_recoveries c JOIN payment_projects p USING (project_id)
WHERE coalesce(c.fiscal_year = %(fiscal_year)s, true)
"""

# The payments a reconciliation matches: the year's, and those of any year under the
# references of the kept ledger (finance's reconciliation_ledger), by reference in
# byte order (as Python compares), then in grants.finance.matching.payment_order.
_PAID_FOR_LEDGER = """
WITH ledger AS (
    SELECT DISTINCT payment_ref FROM reconciliation_ledger WHERE reconciliation_id = %(ledger)s
)
SELECT * FROM (
    SELECT r.payment_ref, r.amount_cents, r.paid_on, r.fiscal_year, r.project_id,
           p.recipient, p.agreement_number
    FROM payment_requests r JOIN payment_projects p USING (project_id)
    WHERE r.paid_on IS NOT NULL
      AND (r.fiscal_year = %(fiscal_year)s OR r.payment_ref IN (SELECT * FROM ledger))
    UNION ALL
    SELECT c.payment_ref, -c.amount_cents, c.recovered_on, c.fiscal_year, c.project_id,
           p.recipient, p.agreement_number
    FROM payment_recoveries c JOIN payment_projects p USING (project_id)
    WHERE c.fiscal_year = %(fiscal_year)s OR c.payment_ref IN (SELECT * FROM ledger)
) paid
ORDER BY payment_ref COLLATE "C", paid_on, project_id, amount_cents
"""

_PENDING = """
SELECT p.program_id, sum(r.amount_cents)::bigint AS cents
FROM payment_requests r JOIN payment_projects p USING (project_id)
WHERE r.paid_on IS NULL AND r.fiscal_year = %s
GROUP BY p.program_id
"""


class AwaitingRelease(msgspec.Struct):
    request_id: UUID
    project_id: UUID
    program_id: UUID
    department: str
    title_en: str
    title_fr: str
    recipient: str
    fiscal_year: str
    kind: str
    amount_cents: int
    certified_by: str
    requested_on: date


@dataclass(frozen=True)
class QueueFilter:
    """Which requests awaiting release finance looks at: each given value narrows them;
    ``requested_before``, those requested before that day (older than so many days)."""

    department: str | None = None
    program_id: UUID | None = None
    fiscal_year: str | None = None
    kind: str | None = None
    requested_before: date | None = None

    def where(self) -> tuple[Composable, dict[str, Any]]:
        """The conditions on the queue's columns (or its totals'), and their values."""
        given = {
            name: value
            for name, value in vars(self).items()
            if value is not None and name != "requested_before"
        }
        conditions: list[Composable] = [
            SQL("{} = {}").format(Identifier(name), Placeholder(name)) for name in given
        ]
        if self.requested_before is not None:
            conditions.append(SQL("requested_on < %(requested_before)s"))
            given["requested_before"] = self.requested_before
        return SQL(" AND ").join(conditions or [SQL("true")]), given


class QueueTotals(msgspec.Struct):
    requests: int
    amount_cents: int


# The queue's page after a request (by the day requested, then id), in that order: it
# reads the index of the filter given (migration 018) from that request on.
_QUEUE = """
SELECT * FROM payment_queue
WHERE {where} AND (requested_on, request_id) > (%(after_on)s, %(after_id)s)
ORDER BY requested_on, request_id
LIMIT %(limit)s
"""

_QUEUE_TOTALS = """
SELECT coalesce(sum(requests), 0)::bigint AS requests,
       coalesce(sum(amount_cents), 0)::bigint AS amount_cents
FROM payment_queue_totals WHERE {where}
"""

# Before any request: the queue's first page.
_START = (date.min, UUID(int=0))


class PaymentsView(View):
    name = "payments"
    tables = (
        "payment_projects",
        "payment_requests",
        "payment_recoveries",
        "payment_queue",
        "payment_queue_totals",
    )
    only_appended = frozenset({"payment_recoveries"})

    reads = frozenset(
        {
            Project.ApplicationReceived,
            Project.ApplicationCorrected,
            Project.AgreementSigned,
            Project.PaymentRequested,
            Project.DisbursementReleased,
            Project.OverpaymentRecovered,
        }
    )

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        projects: dict[tuple[UUID], list[Any]] = {}
        corrected: dict[tuple[UUID], list[Any]] = {}
        numbers: dict[tuple[UUID], list[str]] = {}
        requests: dict[tuple[UUID], list[Any]] = {}
        releases: dict[tuple[UUID], list[Any]] = {}
        recoveries: dict[tuple[UUID, int], list[Any]] = {}
        for event in events:
            match event:
                case Project.ApplicationReceived():
                    projects[(event.originator_id,)] = [
                        event.program_id,
                        event.department,
                        event.pillar,
                        event.title_en,
                        event.title_fr,
                        event.recipient.legal_name,
                        "",
                    ]
                case Project.ApplicationCorrected():
                    correction = [
                        event.pillar,
                        event.title_en,
                        event.title_fr,
                        event.recipient.legal_name,
                    ]
                    if (project := projects.get((event.originator_id,))) is not None:
                        project[2:6] = correction
                    else:
                        corrected[(event.originator_id,)] = correction
                case Project.AgreementSigned():
                    number = event.disclosure.agreement_number
                    if (project := projects.get((event.originator_id,))) is not None:
                        project[6] = number
                    else:
                        numbers[(event.originator_id,)] = [number]
                case Project.PaymentRequested():
                    requests[(event.payment_request_id,)] = [
                        event.originator_id,
                        event.fiscal_year,
                        event.amount_cents,
                        event.kind,
                        event.actor,
                        event.effective_on,
                        None,
                        None,
                        None,
                    ]
                case Project.DisbursementReleased():
                    released = [event.actor, event.payment_ref, event.effective_on]
                    if (request := requests.get((event.payment_request_id,))) is not None:
                        request[6:] = released
                    else:
                        releases[(event.payment_request_id,)] = released
                case Project.OverpaymentRecovered():
                    recoveries[(event.originator_id, event.originator_version)] = [
                        event.payment_ref,
                        event.fiscal_year,
                        event.amount_cents,
                        event.effective_on,
                        event.actor,
                    ]
        _PROJECTS.write(curs, tables, projects)
        for statement, rows in (
            (_CORRECT, corrected),
            (_AGREEMENT_NUMBERS, numbers),
            (_REQUESTS, requests),
            (_RELEASES, releases),
        ):
            if rows:
                upsert_rows(curs, tables.sql(statement), rows)
        _RECOVERIES.write(curs, tables, recoveries)
        if releases:
            curs.execute(tables.sql(_EMPTIED))

    def awaiting_release(
        self,
        chosen: QueueFilter = QueueFilter(),
        after: tuple[date, UUID] | None = None,
        limit: int | None = None,
    ) -> list[AwaitingRelease]:
        """Certified requests finance has yet to release, oldest first: those after
        ``after`` (the day requested and id of the last one seen), ``limit`` of them."""
        where, values = chosen.where()
        after_on, after_id = after or _START
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(_QUEUE).format(where=where),
                {**values, "after_on": after_on, "after_id": after_id, "limit": limit},
            )
            return [AwaitingRelease(**row) for row in curs.fetchall()]

    def queue_totals(self, chosen: QueueFilter = QueueFilter()) -> QueueTotals:
        """How many requests await release, and their amount, of those ``chosen``."""
        where, values = chosen.where()
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(SQL(_QUEUE_TOTALS).format(where=where), values)
            row = curs.fetchone()
            assert row is not None
            return QueueTotals(**row)

    def queue_years(self) -> list[str]:
        """The fiscal years requests awaiting release are charged to."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute("SELECT DISTINCT fiscal_year FROM payment_queue_totals ORDER BY 1")
            return [row["fiscal_year"] for row in curs.fetchall()]

    def paid(self, fiscal_year: str | None) -> list[Paid]:
        """What was paid or recovered in a fiscal year (every year when none is given)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_PAID, {"fiscal_year": fiscal_year})
            return [Paid(**row) for row in curs.fetchall()]

    def paid_for_ledger(self, fiscal_year: str, reconciliation_id: UUID) -> Iterator[Paid]:
        """What a reconciliation matches its ledger against, sorted for
        ``grants.finance.matching.by_reference``, read as it is asked for."""
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor(name="paid_for_ledger", row_factory=class_row(Paid)) as curs,
        ):
            curs.itersize = STREAMED_ROWS
            curs.execute(
                _PAID_FOR_LEDGER, {"fiscal_year": fiscal_year, "ledger": reconciliation_id}
            )
            yield from curs

    def awaiting_count(self, fiscal_year: str) -> int:
        """How many requests charged to the fiscal year await release."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT count(*) AS n FROM payment_requests"
                " WHERE fiscal_year = %s AND paid_on IS NULL",
                (fiscal_year,),
            )
            row = curs.fetchone()
            return int(row["n"]) if row else 0

    def pending(self, fiscal_year: str) -> dict[UUID, int]:
        """Per program, what is certified for the year and not yet released."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_PENDING, (fiscal_year,))
            return {row["program_id"]: row["cents"] for row in curs.fetchall()}
