"""The books as of a day, as known at a moment. Every change of money is kept with the
day it took effect and the moment it was recorded (``money_changes``, allocations in
``allocation_changes``): summing the changes a question keeps answers any day and any
moment, exactly, for funding, a program's commitments and the year-end.

That sum reads every change of the rows asked for, so funding "as of a day" alone, the
question people ask most, has its own tables: the funding rows, and the projects holding
money, as of the end of each day they changed (``grants.projections.series``), which a
question reads with one index lookup per row.

Each close of a fiscal year keeps the year's funding as the store held it at the close,
lapses included: the year's closing statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from grants.domain.aggregate import Aggregate
from grants.domain.books import Books
from grants.domain.program import Program
from grants.domain.project import LAPSES, Project
from grants.moments import Moment
from grants.projections.commitments import CommitmentRow
from grants.projections.funding import FundingRow
from grants.projections.series import Series, steps
from grants.projections.view import Append, Event, Tables, View, upsert_rows

_LOG = Append(
    "money_changes",
    [
        ("project_id", "uuid"),
        ("program_id", "uuid"),
        ("fiscal_year", "text"),
        ("pillar", "text"),
        ("department", "text"),
        ("effective_on", "date"),
        ("recorded_at", "timestamptz"),
        ("committed_cents", "bigint"),
        ("disbursed_cents", "bigint"),
        ("lapsed_cents", "bigint"),
        ("pending_cents", "bigint"),
    ],
)

_ALLOCATIONS = Append(
    "allocation_changes",
    [
        ("program_id", "uuid"),
        ("fiscal_year", "text"),
        ("version", "integer"),
        ("effective_on", "date"),
        ("recorded_at", "timestamptz"),
        ("amount_cents", "bigint"),
    ],
)

_PROJECTS = """
INSERT INTO {as_of_projects} AS p (project_id, program_id, pillar, department)
SELECT * FROM unnest(%b::uuid[], %b::uuid[], %b::text[], %b::text[])
ON CONFLICT DO NOTHING
"""

_WHERE_PROJECTS = """
SELECT project_id, program_id, pillar, department FROM {as_of_projects}
WHERE project_id = ANY(%s)
"""

_ROW_KEYS = """
INSERT INTO {funding_as_of_rows} (fiscal_year, pillar, department, program_id)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::uuid[])
ON CONFLICT DO NOTHING
"""

# The year's funding from every change recorded so far: what the close leaves.
_STATEMENT = """
INSERT INTO {closing_statements} (fiscal_year, closed_at, closed_by, closed_on, pillar,
    department, program_id, committed_cents, disbursed_cents, lapsed_cents, projects)
SELECT %(fiscal_year)s, %(closed_at)s, %(closed_by)s, %(closed_on)s, pillar, department,
       program_id, sum(committed_cents), sum(disbursed_cents), sum(lapsed_cents),
       count(*) FILTER (WHERE committed_cents <> 0)
FROM (
    SELECT pillar, department, program_id, project_id, sum(committed_cents) AS committed_cents,
           sum(disbursed_cents) AS disbursed_cents, sum(lapsed_cents) AS lapsed_cents
    FROM {money_changes} WHERE fiscal_year = %(fiscal_year)s
    GROUP BY pillar, department, program_id, project_id
) pairs
GROUP BY pillar, department, program_id
"""

_ROWS = Series(
    "funding_as_of",
    [("fiscal_year", "text"), ("pillar", "text"), ("department", "text"), ("program_id", "uuid")],
    ["committed_cents", "disbursed_cents", "lapsed_cents", "projects"],
)
_PAIRS = Series(
    "funding_pairs_as_of", [("project_id", "uuid"), ("fiscal_year", "text")], ["committed_cents"]
)
_YEARS = Series("funding_years_as_of", [("project_id", "uuid")], ["years"])
_HELD = Series(
    "funding_held_as_of",
    [("pillar", "text"), ("department", "text"), ("program_id", "uuid")],
    ["projects"],
)


def _chosen(table: str = "") -> str:
    """The filters of a funding question, on a table's columns."""
    return "".join(
        f"\n  AND (%({name})s::{kind} IS NULL OR {table}{name} = %({name})s)"
        for name, kind in _ROWS.keys
    )


_NOT_ZERO = "(committed_cents <> 0 OR disbursed_cents <> 0 OR projects <> 0 OR lapsed_cents <> 0)"

# As of a day: the latest row of each funding row on or before it.
_ROWS_AS_OF = f"""
SELECT * FROM (
    SELECT r.fiscal_year, r.pillar, r.department, r.program_id, s.committed_cents,
           s.disbursed_cents, s.committed_cents - s.disbursed_cents AS outstanding_cents,
           s.lapsed_cents, s.projects::integer AS projects
    FROM funding_as_of_rows r
    CROSS JOIN LATERAL (
        SELECT * FROM funding_as_of s
        WHERE s.fiscal_year = r.fiscal_year AND s.pillar = r.pillar
          AND s.department = r.department AND s.program_id = r.program_id
          AND s.effective_on <= %(as_of)s
        ORDER BY s.effective_on DESC LIMIT 1
    ) s
    WHERE true {_chosen("r.")}
) rows
WHERE {_NOT_ZERO}
ORDER BY fiscal_year, pillar, department, program_id
"""

_HELD_AS_OF = f"""
SELECT h.pillar, sum(s.projects)::integer AS projects
FROM (
    SELECT DISTINCT pillar, department, program_id FROM funding_as_of_rows
    WHERE true {_chosen()}
) h
CROSS JOIN LATERAL (
    SELECT projects FROM funding_held_as_of s
    WHERE s.pillar = h.pillar AND s.department = h.department AND s.program_id = h.program_id
      AND s.effective_on <= %(as_of)s
    ORDER BY s.effective_on DESC LIMIT 1
) s
WHERE s.projects <> 0
GROUP BY h.pillar
"""

_KEPT = """
  AND (%(as_of)s::date IS NULL OR effective_on <= %(as_of)s)
  AND (%(known_at)s::timestamptz IS NULL OR recorded_at <= %(known_at)s)
"""

# Each program's allocation per fiscal year (of one program, or in one year): the one
# set last among those kept.
_ALLOCATIONS_KEPT = f"""
    SELECT DISTINCT ON (program_id, fiscal_year) program_id, fiscal_year, amount_cents
    FROM allocation_changes
    WHERE (%(program_id)s::uuid IS NULL OR program_id = %(program_id)s)
      AND (%(fiscal_year)s::text IS NULL OR fiscal_year = %(fiscal_year)s) {_KEPT}
    ORDER BY program_id, fiscal_year, version DESC
"""

# Any day and moment: what each project holds in each row, summed from the changes.
_PAIRS_KEPT = f"""
WITH pairs AS (
    SELECT fiscal_year, pillar, department, program_id, project_id,
           sum(committed_cents) AS committed_cents, sum(disbursed_cents) AS disbursed_cents,
           sum(lapsed_cents) AS lapsed_cents
    FROM money_changes
    WHERE true {_KEPT} {_chosen()}
    GROUP BY fiscal_year, pillar, department, program_id, project_id
)
"""

_ROWS_KEPT = f"""{_PAIRS_KEPT}
SELECT * FROM (
    SELECT fiscal_year, pillar, department, program_id,
           sum(committed_cents)::bigint AS committed_cents,
           sum(disbursed_cents)::bigint AS disbursed_cents,
           sum(committed_cents - disbursed_cents)::bigint AS outstanding_cents,
           sum(lapsed_cents)::bigint AS lapsed_cents,
           count(*) FILTER (WHERE committed_cents <> 0)::integer AS projects
    FROM pairs GROUP BY fiscal_year, pillar, department, program_id
) rows
WHERE {_NOT_ZERO}
ORDER BY fiscal_year, pillar, department, program_id
"""

_HELD_KEPT = f"""{_PAIRS_KEPT}
SELECT pillar, count(DISTINCT project_id)::integer AS projects
FROM pairs WHERE committed_cents <> 0 GROUP BY pillar
"""

_PROGRAM_YEARS = f"""
WITH money AS (
    SELECT program_id, fiscal_year, sum(committed_cents)::bigint AS committed_cents,
           sum(disbursed_cents)::bigint AS disbursed_cents,
           sum(pending_cents)::bigint AS pending_cents
    FROM money_changes
    WHERE (%(program_id)s::uuid IS NULL OR program_id = %(program_id)s)
      AND (%(fiscal_year)s::text IS NULL OR fiscal_year = %(fiscal_year)s) {_KEPT}
    GROUP BY program_id, fiscal_year
), allocations AS ({_ALLOCATIONS_KEPT})
SELECT program_id, fiscal_year, coalesce(a.amount_cents, 0) AS allocation_cents,
       coalesce(m.committed_cents, 0) AS committed_cents,
       coalesce(m.disbursed_cents, 0) AS disbursed_cents,
       coalesce(a.amount_cents, 0) - coalesce(m.committed_cents, 0) AS available_cents,
       coalesce(m.pending_cents, 0) AS pending_cents
FROM money m FULL JOIN allocations a USING (program_id, fiscal_year)
ORDER BY fiscal_year, program_id
"""

_STATEMENTS = """
SELECT fiscal_year, closed_at, closed_by, closed_on, pillar, department, program_id,
       committed_cents, disbursed_cents, committed_cents - disbursed_cents AS outstanding_cents,
       lapsed_cents, projects::integer AS projects
FROM closing_statements
WHERE fiscal_year = %s AND closed_at = (
    SELECT max(closed_at) FROM closing_statements WHERE fiscal_year = %s)
ORDER BY pillar, department, program_id
"""


class ProgramYear(msgspec.Struct):
    program_id: UUID
    year: CommitmentRow
    # Certified and awaiting release.
    pending_cents: int


class Allocation(msgspec.Struct):
    program_id: UUID
    fiscal_year: str
    amount_cents: int


class ClosingStatement(msgspec.Struct):
    """The year's funding as the store held it when finance closed it."""

    fiscal_year: str
    closed_at: datetime
    closed_by: str
    closed_on: date
    rows: list[FundingRow]


Money = defaultdict[Any, list[int]]


def _money(width: int) -> Money:
    return defaultdict(lambda: [0] * width)


def _by_day(width: int) -> defaultdict[Any, defaultdict[date, list[int]]]:
    return defaultdict(lambda: defaultdict(lambda: [0] * width))


class AsOfView(View):
    name = "as_of"
    tables = (
        "money_changes",
        "allocation_changes",
        "as_of_projects",
        "funding_as_of_rows",
        "funding_as_of",
        "funding_pairs_as_of",
        "funding_years_as_of",
        "funding_held_as_of",
        "closing_statements",
    )
    only_appended = frozenset({"allocation_changes"})

    reads = frozenset(
        {
            Project.ApplicationReceived,
            Program.AllocationSet,
            Program.CommitmentChanged,
            Project.DisbursementReleased,
            Project.OverpaymentRecovered,
            Project.PaymentRequested,
            Books.FiscalYearClosed,
        }
    )

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        # Changes: committed, disbursed, lapsed, pending.
        log = _money(4)
        allocations: dict[tuple[Any, ...], list[Any]] = {}
        projects: dict[tuple[UUID], list[Any]] = {}
        requests: list[Project.PaymentRequested] = []
        rows = _by_day(4)  # committed, disbursed, lapsed, projects
        pairs = _by_day(1)
        where: dict[UUID, tuple[str, str, UUID]] = {}
        for event in events:
            # Every event of the tracker's aggregates has both (grants.domain.aggregate).
            dated = cast(Aggregate.Event, event)
            on, at = dated.effective_on, dated.timestamp
            match event:
                case Project.ApplicationReceived():
                    projects[(event.originator_id,)] = [
                        event.program_id,
                        event.pillar,
                        event.department,
                    ]
                case Program.AllocationSet():
                    version = event.originator_version
                    allocations[(event.originator_id, event.fiscal_year, version)] = [
                        on,
                        at,
                        event.amount_cents,
                    ]
                case Program.CommitmentChanged():
                    row = (event.pillar, event.department, event.originator_id)
                    where[event.project_id] = row
                    lapsed = event.reason in LAPSES
                    for year, cents in event.changes.items():
                        where_on = (event.pillar, event.department, on, at)
                        change = log[(event.project_id, event.originator_id, year, *where_on)]
                        change[0] += cents
                        change[2] -= cents if lapsed else 0
                        day = rows[(year, *row)][on]
                        day[0] += cents
                        day[2] -= cents if lapsed else 0
                        pairs[(event.project_id, year)][on][0] += cents
                case Project.DisbursementReleased() | Project.OverpaymentRecovered():
                    paid = isinstance(event, Project.DisbursementReleased)
                    cents = event.amount_cents if paid else -event.amount_cents
                    year, program = event.fiscal_year, event.program_id
                    change = log[
                        (event.originator_id, program, year, event.pillar, event.department, on, at)
                    ]
                    change[1] += cents
                    change[3] -= cents if paid else 0
                    rows[(year, event.pillar, event.department, program)][on][1] += cents
                case Project.PaymentRequested():
                    requests.append(event)
                case Books.FiscalYearClosed():
                    self._state_closing(curs, tables, log, event)
        self._where_requests_charge(curs, tables, projects, requests, log)
        _LOG.write(curs, tables, log)
        _ALLOCATIONS.write(curs, tables, allocations)
        if pairs:
            self._count_projects(curs, tables, pairs, rows, where)
        if rows:
            upsert_rows(curs, tables.sql(_ROW_KEYS), {key: [] for key in rows})
            _ROWS.add(curs, tables, rows)

    def _where_requests_charge(
        self,
        curs: Cursor[DictRow],
        tables: Tables,
        projects: dict[tuple[UUID], list[Any]],
        requests: list[Project.PaymentRequested],
        log: Money,
    ) -> None:
        """Keeps where the projects received charge, and adds each payment request to
        the pending money of its project's program (the pillar it was received under:
        pending money is read per program)."""
        if projects:
            upsert_rows(curs, tables.sql(_PROJECTS), projects)
        if not requests:
            return
        # Where a project received in the batch charges is known; the others are read.
        charged = {project: tuple(where) for (project,), where in projects.items()}
        if unknown := list({r.originator_id for r in requests} - charged.keys()):
            curs.execute(tables.sql(_WHERE_PROJECTS), (unknown,))
            charged.update(
                (row["project_id"], (row["program_id"], row["pillar"], row["department"]))
                for row in curs
            )
        for request in requests:
            program, pillar, department = charged[request.originator_id]
            charge = (program, request.fiscal_year, pillar)
            when = (department, request.effective_on, request.timestamp)
            change = log[(request.originator_id, *charge, *when)]
            change[3] += request.amount_cents

    def _count_projects(
        self,
        curs: Cursor[DictRow],
        tables: Tables,
        pairs: defaultdict[Any, defaultdict[date, list[int]]],
        rows: defaultdict[Any, defaultdict[date, list[int]]],
        where: dict[UUID, tuple[str, str, UUID]],
    ) -> None:
        """The steps of the projects holding money: in a row's year when a project's
        commitment to it turns zero or not, and in any year when the number of years it
        holds money does."""
        years = _by_day(1)
        for (project, year), days in steps(_PAIRS.add(curs, tables, pairs)).items():
            for day, step in days.items():
                rows[(year, *where[project])][day][3] += step
                years[(project,)][day][0] += step
        held = _by_day(1)
        for (project,), days in steps(_YEARS.add(curs, tables, years)).items():
            for day, step in days.items():
                held[where[project]][day][0] += step
        _HELD.add(curs, tables, held)

    def _state_closing(
        self, curs: Cursor[DictRow], tables: Tables, log: Money, closed: Books.FiscalYearClosed
    ) -> None:
        """The year's statement, from every change before the close: those of this batch
        are written first."""
        _LOG.write(curs, tables, log)
        log.clear()
        curs.execute(
            tables.sql(_STATEMENT),
            {
                "fiscal_year": closed.fiscal_year,
                "closed_at": closed.timestamp,
                "closed_by": closed.actor,
                "closed_on": closed.effective_on,
            },
        )

    # Reading

    def funding(self, moment: Moment, **chosen: Any) -> tuple[list[FundingRow], dict[str, int]]:
        """The funding rows, and per pillar the projects holding money (in the fiscal
        year chosen, or in any year, each project once), as of the moment's day and as
        known at its moment. A day alone reads the rows as of each day; a moment sums
        the changes recorded up to it, which takes longer on a large store."""
        params = {"as_of": moment.as_of, "known_at": moment.known_at, **chosen}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            if moment.as_of is not None and moment.known_at is None:
                curs.execute(_ROWS_AS_OF, params, prepare=True)
                rows = [FundingRow(**row) for row in curs.fetchall()]
                if chosen.get("fiscal_year") is not None:
                    projects: dict[str, int] = defaultdict(int)
                    for row in rows:
                        projects[row.pillar] += row.projects
                    return rows, {p: n for p, n in projects.items() if n}
                curs.execute(_HELD_AS_OF, params, prepare=True)
            else:
                curs.execute(_ROWS_KEPT, params)
                rows = [FundingRow(**row) for row in curs.fetchall()]
                curs.execute(_HELD_KEPT, params)
            return rows, {row["pillar"]: row["projects"] for row in curs.fetchall()}

    def program_years(
        self, moment: Moment, *, program_id: UUID | None = None, fiscal_year: str | None = None
    ) -> list[ProgramYear]:
        """Each program's allocation, commitments, payments and pending requests per
        fiscal year (of one program, or in one year), as of the moment."""
        params = {
            "as_of": moment.as_of,
            "known_at": moment.known_at,
            "program_id": program_id,
            "fiscal_year": fiscal_year,
        }
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_PROGRAM_YEARS, params)
            return [
                ProgramYear(
                    program_id=row.pop("program_id"),
                    pending_cents=row.pop("pending_cents"),
                    year=CommitmentRow(**row),
                )
                for row in curs.fetchall()
            ]

    def allocations(self, moment: Moment, *, fiscal_year: str | None = None) -> list[Allocation]:
        """Each program's allocation per fiscal year (in one year), as of the moment."""
        params = {
            "as_of": moment.as_of,
            "known_at": moment.known_at,
            "program_id": None,
            "fiscal_year": fiscal_year,
        }
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_ALLOCATIONS_KEPT, params)
            return [Allocation(**row) for row in curs.fetchall()]

    def closing_statement(self, fiscal_year: str) -> ClosingStatement | None:
        """The year's funding as of its latest close, if it was ever closed."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_STATEMENTS, (fiscal_year, fiscal_year))
            found = curs.fetchall()
        if not found:
            return None
        first = found[0]
        return ClosingStatement(
            fiscal_year=fiscal_year,
            closed_at=first["closed_at"],
            closed_by=first["closed_by"],
            closed_on=first["closed_on"],
            rows=[
                FundingRow(
                    fiscal_year=fiscal_year,
                    **{k: v for k, v in row.items() if k in FundingRow.__struct_fields__[1:]},
                )
                for row in found
            ],
        )
