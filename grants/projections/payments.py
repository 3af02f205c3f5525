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

from grants.domain.project import Project
from grants.projections.view import Event, Tables, View, upsert_rows


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


_PROJECTS = """
INSERT INTO {payment_projects} (project_id, program_id, department, pillar, title_en,
                                title_fr, recipient)
SELECT * FROM unnest(%b::uuid[], %b::uuid[], %b::text[], %b::text[], %b::text[],
                     %b::text[], %b::text[])
"""

_AGREEMENT_NUMBERS = """
UPDATE {payment_projects} AS p SET agreement_number = a.agreement_number
FROM unnest(%b::uuid[], %b::text[]) AS a(project_id, agreement_number)
WHERE p.project_id = a.project_id
"""

_REQUESTS = """
INSERT INTO {payment_requests} (request_id, project_id, fiscal_year, amount_cents, kind,
                                certified_by, requested_on, released_by, payment_ref, paid_on)
SELECT * FROM unnest(%b::uuid[], %b::uuid[], %b::text[], %b::bigint[], %b::text[],
                     %b::text[], %b::date[], %b::text[], %b::text[], %b::date[])
"""

_RELEASES = """
UPDATE {payment_requests} AS r
SET released_by = s.released_by, payment_ref = s.payment_ref, paid_on = s.paid_on
FROM unnest(%b::uuid[], %b::text[], %b::text[], %b::date[])
     AS s(request_id, released_by, payment_ref, paid_on)
WHERE r.request_id = s.request_id
"""

_RECOVERIES = """
INSERT INTO {payment_recoveries} (project_id, version, payment_ref, fiscal_year,
                                  amount_cents, recovered_on, recovered_by)
SELECT * FROM unnest(%b::uuid[], %b::integer[], %b::text[], %b::text[], %b::bigint[],
                     %b::date[], %b::text[])
"""

_AWAITING = """
SELECT r.request_id, r.project_id, p.program_id, p.department, p.title_en, p.title_fr,
       p.recipient, p.agreement_number, r.fiscal_year, r.amount_cents, r.kind,
       r.certified_by, r.requested_on
FROM payment_requests r JOIN payment_projects p USING (project_id)
WHERE r.paid_on IS NULL AND (%(department)s::text IS NULL OR p.department = %(department)s)
ORDER BY r.requested_on, r.request_id
"""

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
    agreement_number: str
    fiscal_year: str
    amount_cents: int
    kind: str
    certified_by: str
    requested_on: date


class PaymentsView(View):
    name = "payments"
    tables = ("payment_projects", "payment_requests", "payment_recoveries")

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        projects: dict[tuple[UUID], list[Any]] = {}
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
                    ]
                case Project.AgreementSigned():
                    numbers[(event.originator_id,)] = [event.disclosure.agreement_number]
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
        for statement, rows in (
            (_PROJECTS, projects),
            (_AGREEMENT_NUMBERS, numbers),
            (_REQUESTS, requests),
            (_RELEASES, releases),
            (_RECOVERIES, recoveries),
        ):
            if rows:
                upsert_rows(curs, tables.sql(statement), rows)

    def awaiting_release(self, department: str | None = None) -> list[AwaitingRelease]:
        """Certified requests finance has yet to release, oldest first."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_AWAITING, {"department": department})
            return [AwaitingRelease(**row) for row in curs.fetchall()]

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
