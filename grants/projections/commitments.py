"""Program commitments: each program's allocation, commitments, disbursements and what
is still available, per fiscal year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from grants.domain.program import Program
from grants.domain.project import Project
from grants.projections.view import Event, Tables, View, upsert_rows

_ALLOCATE = """
INSERT INTO {program_years} AS y (program_id, fiscal_year, allocation_cents)
SELECT * FROM unnest(%b::uuid[], %b::text[], %b::bigint[])
ON CONFLICT (program_id, fiscal_year) DO UPDATE SET allocation_cents = excluded.allocation_cents
"""

_ADD = """
INSERT INTO {program_years} AS y (program_id, fiscal_year, committed_cents, disbursed_cents)
SELECT * FROM unnest(%b::uuid[], %b::text[], %b::bigint[], %b::bigint[])
ON CONFLICT (program_id, fiscal_year) DO UPDATE SET
    committed_cents = y.committed_cents + excluded.committed_cents,
    disbursed_cents = y.disbursed_cents + excluded.disbursed_cents
"""

_YEARS = """
SELECT fiscal_year, allocation_cents, committed_cents, disbursed_cents,
       allocation_cents - committed_cents AS available_cents
FROM program_years WHERE program_id = %s ORDER BY fiscal_year
"""


_YEAR = """
SELECT program_id, fiscal_year, allocation_cents, committed_cents, disbursed_cents,
       allocation_cents - committed_cents AS available_cents
FROM program_years WHERE fiscal_year = %s
"""


class CommitmentRow(msgspec.Struct):
    fiscal_year: str
    allocation_cents: int
    committed_cents: int
    disbursed_cents: int
    available_cents: int


class CommitmentsView(View):
    name = "commitments"
    tables = ("program_years",)

    reads = frozenset(
        {
            Program.AllocationSet,
            Program.CommitmentChanged,
            Project.DisbursementReleased,
            Project.OverpaymentRecovered,
        }
    )

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        allocations: dict[tuple[UUID, str], list[int]] = {}
        deltas: dict[tuple[UUID, str], list[int]] = defaultdict(lambda: [0, 0])
        for event in events:
            match event:
                case Program.AllocationSet():
                    allocations[(event.originator_id, event.fiscal_year)] = [event.amount_cents]
                case Program.CommitmentChanged():
                    for year, cents in event.changes.items():
                        deltas[(event.originator_id, year)][0] += cents
                case Project.DisbursementReleased():
                    deltas[(event.program_id, event.fiscal_year)][1] += event.amount_cents
                case Project.OverpaymentRecovered():
                    deltas[(event.program_id, event.fiscal_year)][1] -= event.amount_cents
        if allocations:
            upsert_rows(curs, tables.sql(_ALLOCATE), allocations)
        if deltas:
            upsert_rows(curs, tables.sql(_ADD), deltas)

    def years(self, program_id: UUID) -> list[CommitmentRow]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_YEARS, (program_id,), prepare=True)
            return [CommitmentRow(**row) for row in curs.fetchall()]

    def years_with_money(self) -> list[str]:
        """The fiscal years some program has money in: allocated, committed or paid."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT DISTINCT fiscal_year FROM program_years WHERE allocation_cents <> 0"
                " OR committed_cents <> 0 OR disbursed_cents <> 0 ORDER BY fiscal_year"
            )
            return [row["fiscal_year"] for row in curs.fetchall()]

    def year(self, fiscal_year: str) -> dict[UUID, CommitmentRow]:
        """Every program's figures for one fiscal year."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_YEAR, (fiscal_year,))
            return {row.pop("program_id"): CommitmentRow(**row) for row in curs.fetchall()}
