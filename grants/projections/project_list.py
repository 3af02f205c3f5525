"""The project list: every project with its status, what it holds and what it was paid,
to filter by department, pillar, status, fiscal year and recipient."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from grants.domain.program import Program
from grants.domain.project import Project, Status
from grants.projections.view import Append, Event, Tables, View, upsert_rows

_RECEIVE = Append(
    "project_list",
    [
        ("project_id", "uuid"),
        ("program_id", "uuid"),
        ("call_id", "uuid"),
        ("department", "text"),
        ("pillar", "text"),
        ("status", "text"),
        ("title_en", "text"),
        ("title_fr", "text"),
        ("recipient", "text"),
        ("province", "text"),
        ("requested_cents", "bigint"),
        ("received_on", "date"),
        ("committed_cents", "bigint"),
        ("disbursed_cents", "bigint"),
    ],
)

_CORRECT = """
UPDATE {project_list} AS p SET pillar = c.pillar, title_en = c.title_en, title_fr = c.title_fr,
    recipient = c.recipient, province = c.province, requested_cents = c.requested_cents
FROM unnest(%b::uuid[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[],
            %b::bigint[]) AS c(project_id, pillar, title_en, title_fr, recipient, province,
                               requested_cents)
WHERE p.project_id = c.project_id
"""

# A project's status and money, changed by the batch's events, in one new row version.
_CHANGE = """
UPDATE {project_list} AS p SET status = coalesce(c.status, p.status),
    committed_cents = p.committed_cents + c.committed,
    disbursed_cents = p.disbursed_cents + c.disbursed
FROM unnest(%b::uuid[], %b::text[], %b::bigint[], %b::bigint[])
     AS c(project_id, status, committed, disbursed)
WHERE p.project_id = c.project_id
"""

_YEARS = """
INSERT INTO {project_list_years} AS y (project_id, fiscal_year, committed_cents)
SELECT * FROM unnest(%b::uuid[], %b::text[], %b::bigint[])
ON CONFLICT (project_id, fiscal_year)
DO UPDATE SET committed_cents = y.committed_cents + excluded.committed_cents
"""

_FILTER = """
FROM project_list p
WHERE (%(department)s::text IS NULL OR p.department = %(department)s)
  AND (%(pillar)s::text IS NULL OR p.pillar = %(pillar)s)
  AND (%(status)s::text IS NULL OR p.status = %(status)s)
  AND (%(program_id)s::uuid IS NULL OR p.program_id = %(program_id)s)
  AND (%(call_id)s::uuid IS NULL OR p.call_id = %(call_id)s)
  AND (%(recipient)s::text IS NULL
       OR p.recipient ILIKE '%%' || %(recipient)s || '%%' ESCAPE '\\')
  AND (%(fiscal_year)s::text IS NULL OR EXISTS (
        SELECT 1 FROM project_list_years y
        WHERE y.project_id = p.project_id AND y.fiscal_year = %(fiscal_year)s
          AND y.committed_cents <> 0))
"""


class ProjectRow(msgspec.Struct):
    project_id: UUID
    program_id: UUID
    call_id: UUID | None
    department: str
    pillar: str
    status: str
    title_en: str
    title_fr: str
    recipient: str
    province: str | None
    requested_cents: int
    committed_cents: int
    disbursed_cents: int
    received_on: date


class ProjectListView(View):
    name = "projects"
    tables = ("project_list", "project_list_years")

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        received: dict[tuple[UUID], list[Any]] = {}
        corrected: dict[tuple[UUID], list[Any]] = {}
        # Per project: the status the batch leaves it in (None if unchanged), committed
        # and disbursed added.
        changed: dict[tuple[UUID], list[Any]] = defaultdict(lambda: [None, 0, 0])
        years: dict[tuple[UUID, str], list[int]] = defaultdict(lambda: [0])
        for event in events:
            match event:
                case Project.ApplicationReceived():
                    r = event.recipient
                    received[(event.originator_id,)] = [
                        event.program_id,
                        event.call_id,
                        event.department,
                        event.pillar,
                        Status.RECEIVED,
                        event.title_en,
                        event.title_fr,
                        r.legal_name,
                        r.province,
                        event.requested_cents,
                        event.effective_on,
                    ]
                case Project.ApplicationCorrected():
                    r = event.recipient
                    corrected[(event.originator_id,)] = [
                        event.pillar,
                        event.title_en,
                        event.title_fr,
                        r.legal_name,
                        r.province,
                        event.requested_cents,
                    ]
                case Program.CommitmentChanged():
                    changed[(event.project_id,)][1] += sum(event.changes.values())
                    for year, cents in event.changes.items():
                        years[(event.project_id, year)][0] += cents
                case Project.DisbursementReleased():
                    changed[(event.originator_id,)][2] += event.amount_cents
                case Project.OverpaymentRecovered():
                    changed[(event.originator_id,)][2] -= event.amount_cents
            # The status each event leaves a project in, as the domain says it.
            if (status := getattr(type(event), "leaves", None)) is not None:
                changed[(event.originator_id,)][0] = status
        # A project received in this batch is inserted as the batch leaves it.
        for key, row in received.items():
            status, committed, disbursed = changed.pop(key, (None, 0, 0))
            row[4] = status or row[4]
            row += [committed, disbursed]
        _RECEIVE.write(curs, tables, received)
        if corrected:
            upsert_rows(curs, tables.sql(_CORRECT), corrected)
        if changed:
            upsert_rows(curs, tables.sql(_CHANGE), changed)
        if years:
            upsert_rows(curs, tables.sql(_YEARS), years)

    def page(
        self,
        *,
        department: str | None = None,
        pillar: str | None = None,
        status: str | None = None,
        program_id: UUID | None = None,
        call_id: UUID | None = None,
        fiscal_year: str | None = None,
        recipient: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[ProjectRow]]:
        """One page of the projects that match, newest application first, and how many
        match in all."""
        params: dict[str, Any] = {
            "department": department,
            "pillar": pillar,
            "status": status,
            "program_id": program_id,
            "call_id": call_id,
            "fiscal_year": fiscal_year,
            # Part of a name, taken as typed: % and _ are no wildcards here.
            "recipient": _literal(recipient) if recipient is not None else None,
            "limit": limit,
            "offset": offset,
        }
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute("SELECT count(*) AS n " + _FILTER, params)
            count = curs.fetchone()
            curs.execute(
                "SELECT p.* "
                + _FILTER
                + " ORDER BY p.received_on DESC, p.project_id LIMIT %(limit)s OFFSET %(offset)s",
                params,
            )
            rows = [ProjectRow(**row) for row in curs.fetchall()]
        return (count["n"] if count else 0), rows


def _literal(text: str) -> str:
    """A LIKE pattern matching exactly ``text``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
