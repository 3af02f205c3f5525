"""Funding by pillar: committed, disbursed net of recoveries, outstanding, lapsed, and the
number of projects with a commitment, by fiscal year, pillar, department and program;
and, by pillar, department and program, how many projects hold money in any year, so
that totals count each project once without reading the projects themselves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from grants.domain.program import Program
from grants.domain.project import LAPSES, Project
from grants.projections.view import Event, Tables, View, upsert_rows

Where = tuple[str, str, str, UUID]  # fiscal year, pillar, department, program

_COMMIT = """
INSERT INTO {funding_commitments} AS c (project_id, fiscal_year, committed_cents)
SELECT * FROM unnest(%b::uuid[], %b::text[], %b::bigint[])
ON CONFLICT (project_id, fiscal_year)
DO UPDATE SET committed_cents = c.committed_cents + excluded.committed_cents
RETURNING project_id, fiscal_year, committed_cents
"""

# How many fiscal years each project holds money in, and how many projects do.
_PROJECT_YEARS = """
INSERT INTO {funding_projects} AS p (project_id, years)
SELECT * FROM unnest(%b::uuid[], %b::integer[])
ON CONFLICT (project_id) DO UPDATE SET years = p.years + excluded.years
RETURNING project_id, years
"""

_HELD = """
INSERT INTO {funding_held} AS h (pillar, department, program_id, projects)
SELECT * FROM unnest(%b::text[], %b::text[], %b::uuid[], %b::integer[])
ON CONFLICT (pillar, department, program_id) DO UPDATE SET projects = h.projects + excluded.projects
"""

_ADD = """
INSERT INTO {funding_by_pillar} AS f
    (fiscal_year, pillar, department, program_id, committed_cents, disbursed_cents, projects,
     lapsed_cents)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::uuid[],
                     %b::bigint[], %b::bigint[], %b::integer[], %b::bigint[])
ON CONFLICT (fiscal_year, pillar, department, program_id) DO UPDATE SET
    committed_cents = f.committed_cents + excluded.committed_cents,
    disbursed_cents = f.disbursed_cents + excluded.disbursed_cents,
    projects = f.projects + excluded.projects,
    lapsed_cents = f.lapsed_cents + excluded.lapsed_cents
"""

_ROWS = """
SELECT fiscal_year, pillar, department, program_id, committed_cents, disbursed_cents,
       committed_cents - disbursed_cents AS outstanding_cents, lapsed_cents, projects
FROM funding_by_pillar
WHERE (committed_cents <> 0 OR disbursed_cents <> 0 OR projects <> 0 OR lapsed_cents <> 0)
  AND (%(fiscal_year)s::text IS NULL OR fiscal_year = %(fiscal_year)s)
  AND (%(pillar)s::text IS NULL OR pillar = %(pillar)s)
  AND (%(department)s::text IS NULL OR department = %(department)s)
  AND (%(program_id)s::uuid IS NULL OR program_id = %(program_id)s)
ORDER BY fiscal_year, pillar, department, program_id
"""


class FundingRow(msgspec.Struct):
    fiscal_year: str
    pillar: str
    department: str
    program_id: UUID
    committed_cents: int
    disbursed_cents: int
    outstanding_cents: int
    # Committed and not paid when the project closed or its fiscal year did.
    lapsed_cents: int
    projects: int


# A project is in one program and one pillar: within a fiscal year the rows count it
# once; across years, funding_held does.
_IN_YEAR = """
SELECT pillar, sum(projects)::integer AS projects FROM funding_by_pillar
WHERE fiscal_year = %(fiscal_year)s AND projects <> 0
  AND (%(pillar)s::text IS NULL OR pillar = %(pillar)s)
  AND (%(department)s::text IS NULL OR department = %(department)s)
  AND (%(program_id)s::uuid IS NULL OR program_id = %(program_id)s)
GROUP BY pillar
"""

_IN_ANY_YEAR = """
SELECT pillar, sum(projects)::integer AS projects FROM funding_held
WHERE projects <> 0
  AND (%(pillar)s::text IS NULL OR pillar = %(pillar)s)
  AND (%(department)s::text IS NULL OR department = %(department)s)
  AND (%(program_id)s::uuid IS NULL OR program_id = %(program_id)s)
GROUP BY pillar
"""


class FundingView(View):
    name = "funding"
    tables = ("funding_by_pillar", "funding_commitments", "funding_projects", "funding_held")

    reads = frozenset(
        {
            Program.CommitmentChanged,
            Project.DisbursementReleased,
            Project.OverpaymentRecovered,
        }
    )

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        # Deltas per row: committed, disbursed, projects, lapsed.
        deltas: dict[Where, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        commitments: dict[tuple[UUID, str], list[int]] = defaultdict(lambda: [0])
        where: dict[UUID, tuple[str, str, UUID]] = {}
        for event in events:
            match event:
                case Program.CommitmentChanged():
                    where[event.project_id] = (event.pillar, event.department, event.originator_id)
                    lapse = event.reason in LAPSES
                    for year, cents in event.changes.items():
                        commitments[(event.project_id, year)][0] += cents
                        changed = deltas[
                            (year, event.pillar, event.department, event.originator_id)
                        ]
                        changed[0] += cents
                        changed[3] -= cents if lapse else 0
                case Project.DisbursementReleased():
                    row = (event.fiscal_year, event.pillar, event.department, event.program_id)
                    deltas[row][1] += event.amount_cents
                case Project.OverpaymentRecovered():
                    row = (event.fiscal_year, event.pillar, event.department, event.program_id)
                    deltas[row][1] -= event.amount_cents
        years: dict[tuple[UUID], list[int]] = defaultdict(lambda: [0])
        if commitments:
            for after in upsert_rows(curs, tables.sql(_COMMIT), commitments):
                project, year = after["project_id"], after["fiscal_year"]
                before = after["committed_cents"] - commitments[(project, year)][0]
                if bool(before) != bool(after["committed_cents"]):
                    change = 1 if after["committed_cents"] else -1
                    deltas[(year, *where[project])][2] += change
                    years[(project,)][0] += change
        held: dict[tuple[str, str, UUID], list[int]] = defaultdict(lambda: [0])
        if years:
            for after in upsert_rows(curs, tables.sql(_PROJECT_YEARS), years):
                project = after["project_id"]
                before = after["years"] - years[(project,)][0]
                if bool(before) != bool(after["years"]):
                    held[where[project]][0] += 1 if after["years"] else -1
        if deltas:
            upsert_rows(curs, tables.sql(_ADD), deltas)
        if held:
            upsert_rows(curs, tables.sql(_HELD), held)

    def rows(
        self,
        *,
        fiscal_year: str | None = None,
        pillar: str | None = None,
        department: str | None = None,
        program_id: UUID | None = None,
    ) -> list[FundingRow]:
        params: dict[str, Any] = {
            "fiscal_year": fiscal_year,
            "pillar": pillar,
            "department": department,
            "program_id": program_id,
        }
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_ROWS, params, prepare=True)
            return [FundingRow(**row) for row in curs.fetchall()]

    def projects(
        self,
        *,
        fiscal_year: str | None = None,
        pillar: str | None = None,
        department: str | None = None,
        program_id: UUID | None = None,
    ) -> dict[str, int]:
        """Per pillar, how many projects hold money in the fiscal year, or in any year
        when none is given: each project counted once, however many years it spans."""
        params: dict[str, Any] = {
            "fiscal_year": fiscal_year,
            "pillar": pillar,
            "department": department,
            "program_id": program_id,
        }
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_IN_ANY_YEAR if fiscal_year is None else _IN_YEAR, params, prepare=True)
            return {row["pillar"]: row["projects"] for row in curs.fetchall()}
