"""The award register: each project from its application on, with its agreement and
amendments as they were signed, its commitments as they changed and the fiscal years it
reported results for. The year-end view, the deadlines and both open-data exports read
it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.project import Project, holdback
from grants.projections.view import Append, Event, Tables, View, upsert_rows

# The columns an event may change after the application, set together by one statement.
_CHANGED = (
    ("status", "text"),
    ("approved_on", "date"),
    ("signed_on", "date"),
    ("start_on", "date"),
    ("end_on", "date"),
    ("holdback_percent", "integer"),
    ("value_cents", "bigint"),
    ("disclosure", "jsonb"),
    ("ref_fiscal_year", "text"),
    ("ref_quarter", "integer"),
    ("ref_sequence", "integer"),
    ("modified_at", "timestamptz"),
)

# Events that change nothing the open data publishes of a grant, so not its "last
# modified": they are most of a store, and each would rewrite the grant's row.
_UNPUBLISHED = (Project.PaymentRequested, Project.ResultsReported)

# An application corrected before its assessment (rare: kept out of _CHANGE, which every
# batch runs with all its columns).
_CORRECT = """
UPDATE {awards} AS a SET pillar = c.pillar, title_en = c.title_en, title_fr = c.title_fr,
    recipient = c.recipient, requested_cents = c.requested_cents
FROM unnest(%b::uuid[], %b::text[], %b::text[], %b::text[], %b::jsonb[], %b::bigint[])
    AS c(project_id, pillar, title_en, title_fr, recipient, requested_cents)
WHERE a.project_id = c.project_id
"""

# What the application says; the rest of a project received in the batch is as the
# batch leaves it (one row version rather than an insert and an update of a wide row).
_APPLICATION = (
    ("program_id", "uuid"),
    ("call_id", "uuid"),
    ("department", "text"),
    ("pillar", "text"),
    ("transfer_type", "text"),
    ("title_en", "text"),
    ("title_fr", "text"),
    ("recipient", "jsonb"),
    ("requested_cents", "bigint"),
    ("received_on", "date"),
)
# Where each column is in an application's row, and the ones a correction sets (rare).
_APPLIED = {column: at for at, (column, _) in enumerate(_APPLICATION)}
_CORRECTED = ("pillar", "title_en", "title_fr", "recipient", "requested_cents")
# What a project received in the batch holds where the batch changed nothing.
_UNCHANGED = {"status": "received", "holdback_percent": 0, "value_cents": 0}
_RECEIVE = Append(
    "awards",
    [("project_id", "uuid"), *_APPLICATION, *_CHANGED, ("holdback_paid_cents", "bigint")],
)

_CHANGE = (
    "UPDATE {awards} AS a SET "
    + ", ".join(f"{column} = coalesce(c.{column}, a.{column})" for column, _ in _CHANGED)
    + ", holdback_paid_cents = a.holdback_paid_cents + c.holdback_paid"
    + " FROM unnest(%b::uuid[], "
    + ", ".join(f"%b::{kind}[]" for _, kind in _CHANGED)
    + ", %b::bigint[]) AS c(project_id, "
    + ", ".join(column for column, _ in _CHANGED)
    + ", holdback_paid) WHERE a.project_id = c.project_id"
)

# Most events touch only a project's "last modified" (and status): one narrow statement
# for those rows rather than every column of _CHANGE, most of them empty.
_TOUCH = """
UPDATE {awards} AS a SET modified_at = coalesce(c.modified_at, a.modified_at),
    status = coalesce(c.status, a.status)
FROM unnest(%b::uuid[], %b::timestamptz[], %b::text[]) AS c(project_id, modified_at, status)
WHERE a.project_id = c.project_id
"""
_TOUCHED = frozenset({"modified_at", "status"})

_AMENDMENTS = Append(
    "award_amendments",
    [
        ("project_id", "uuid"),
        ("amendment_number", "integer"),
        ("amended_on", "date"),
        ("value_cents", "bigint"),
        ("start_on", "date"),
        ("end_on", "date"),
    ],
)

_COMMITMENTS = Append(
    "award_commitments",
    [
        ("program_id", "uuid"),
        ("version", "integer"),
        ("fiscal_year", "text"),
        ("project_id", "uuid"),
        ("amount_cents", "bigint"),
        ("changed_on", "date"),
        ("reason", "text"),
    ],
)

_RESULTS = """
INSERT INTO {award_results} AS r (project_id, fiscal_year, reported_on)
SELECT * FROM unnest(%b::uuid[], %b::text[], %b::date[])
ON CONFLICT (project_id, fiscal_year) DO UPDATE SET reported_on = excluded.reported_on
"""

_DEPARTMENTS = "SELECT project_id, department FROM {awards} WHERE project_id = ANY(%s)"

_LAST_SEQUENCES = """
SELECT department, fiscal_year, quarter, last FROM {award_ref_sequences}
WHERE (department, fiscal_year, quarter) IN
      (SELECT * FROM unnest(%b::text[], %b::text[], %b::integer[]))
"""

_SEQUENCES = """
INSERT INTO {award_ref_sequences} (department, fiscal_year, quarter, last)
SELECT * FROM unnest(%b::text[], %b::text[], %b::integer[], %b::integer[])
ON CONFLICT (department, fiscal_year, quarter) DO UPDATE SET last = excluded.last
"""


class Award(msgspec.Struct):
    project_id: UUID
    program_id: UUID
    call_id: UUID | None
    department: str
    pillar: str
    transfer_type: str
    status: str
    title_en: str
    title_fr: str
    recipient: dict[str, Any]
    requested_cents: int
    received_on: date
    approved_on: date | None
    signed_on: date | None
    start_on: date | None
    end_on: date | None
    holdback_percent: int
    value_cents: int
    holdback_paid_cents: int
    disclosure: dict[str, str] | None
    ref_fiscal_year: str | None
    ref_quarter: int | None
    ref_sequence: int | None
    # When the grant's events were last recorded: the open data's "last modified".
    modified_at: datetime | None

    @property
    def holdback_retained_cents(self) -> int:
        """What is held back and not yet paid; nothing once the project is closed, when
        the rest is cancelled."""
        if self.status == "closed":
            return 0
        return max(0, holdback(self.value_cents, self.holdback_percent) - self.holdback_paid_cents)


class Term(msgspec.Struct):
    """When an agreement under way runs, for the deadlines that follow from it."""

    project_id: UUID
    status: str
    start_on: date
    end_on: date


class Amendment(msgspec.Struct):
    project_id: UUID
    amendment_number: int
    amended_on: date
    value_cents: int
    start_on: date
    end_on: date


class Commitment(msgspec.Struct):
    project_id: UUID
    fiscal_year: str
    amount_cents: int
    changed_on: date
    reason: str
    version: int


class AwardsView(View):
    name = "awards"
    tables = (
        "awards",
        "award_amendments",
        "award_commitments",
        "award_results",
        "award_ref_sequences",
    )
    only_appended = frozenset({"award_amendments", "award_commitments"})

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        received: dict[UUID, list[Any]] = {}
        corrected: dict[tuple[UUID], list[Any]] = {}
        changed: dict[UUID, dict[str, Any]] = defaultdict(dict)
        holdback_paid: dict[UUID, int] = defaultdict(int)
        amendments: dict[tuple[UUID, int], list[Any]] = {}
        commitments: dict[tuple[UUID, int, str], list[Any]] = {}
        results: dict[tuple[UUID, str], list[Any]] = {}
        signings: list[tuple[UUID, date]] = []
        for event in events:
            project = event.originator_id
            match event:
                case Project.ApplicationReceived():
                    received[project] = [
                        event.program_id,
                        event.call_id,
                        event.department,
                        event.pillar,
                        event.transfer_type,
                        event.title_en,
                        event.title_fr,
                        Jsonb(msgspec.to_builtins(event.recipient)),
                        event.requested_cents,
                        event.effective_on,
                    ]
                case Project.ApplicationCorrected():
                    correction = [
                        event.pillar,
                        event.title_en,
                        event.title_fr,
                        Jsonb(msgspec.to_builtins(event.recipient)),
                        event.requested_cents,
                    ]
                    if (application := received.get(project)) is not None:
                        for column, value in zip(_CORRECTED, correction, strict=True):
                            application[_APPLIED[column]] = value
                    else:
                        corrected[(project,)] = correction
                case Project.ApplicationApproved():
                    changed[project]["approved_on"] = event.effective_on
                case Project.AgreementSigned():
                    changed[project].update(
                        signed_on=event.effective_on,
                        start_on=event.start_on,
                        end_on=event.end_on,
                        holdback_percent=event.holdback_percent,
                        value_cents=event.value_cents,
                        disclosure=Jsonb(msgspec.to_builtins(event.disclosure)),
                    )
                    amendments[(project, 0)] = [
                        event.effective_on,
                        event.value_cents,
                        event.start_on,
                        event.end_on,
                    ]
                    signings.append((project, event.effective_on))
                case Project.AgreementAmended():
                    changed[project].update(
                        start_on=event.start_on, end_on=event.end_on, value_cents=event.value_cents
                    )
                    amendments[(project, event.amendment_number)] = [
                        event.effective_on,
                        event.value_cents,
                        event.start_on,
                        event.end_on,
                    ]
                case Project.HoldbackReleased():
                    holdback_paid[project] += event.amount_cents
                case Project.ResultsReported():
                    results[(project, event.fiscal_year)] = [event.effective_on]
                case Program.CommitmentChanged():
                    for year, cents in event.changes.items():
                        commitments[(project, event.originator_version, year)] = [
                            event.project_id,
                            cents,
                            event.effective_on,
                            event.reason,
                        ]
            if (status := getattr(type(event), "leaves", None)) is not None:
                changed[project]["status"] = status
            if isinstance(event, Project.Event) and not isinstance(event, _UNPUBLISHED):
                changed[project]["modified_at"] = event.timestamp
            elif isinstance(event, Program.CommitmentChanged):
                changed[event.project_id]["modified_at"] = event.timestamp
        if signings:
            self._number(curs, tables, signings, changed, received)
        if received:
            applications: dict[tuple[UUID], list[Any]] = {}
            for project, application in received.items():
                columns = changed.pop(project, {})
                applications[(project,)] = [
                    *application,
                    *(columns.get(column, _UNCHANGED.get(column)) for column, _ in _CHANGED),
                    holdback_paid.pop(project, 0),
                ]
            _RECEIVE.write(curs, tables, applications)
        if corrected:
            upsert_rows(curs, tables.sql(_CORRECT), corrected)
        touched = {
            (project,): [columns.get("modified_at"), columns.get("status")]
            for project, columns in changed.items()
            if columns.keys() <= _TOUCHED and project not in holdback_paid
        }
        if touched:
            upsert_rows(curs, tables.sql(_TOUCH), touched)
        rows = {
            (project,): [changed.get(project, {}).get(c) for c, _ in _CHANGED]
            + [holdback_paid.get(project, 0)]
            for project in {*changed, *holdback_paid}
            if (project,) not in touched
        }
        if rows:
            upsert_rows(curs, tables.sql(_CHANGE), rows)
        _AMENDMENTS.write(curs, tables, amendments)
        _COMMITMENTS.write(curs, tables, commitments)
        if results:
            upsert_rows(curs, tables.sql(_RESULTS), results)

    def _number(
        self,
        curs: Cursor[DictRow],
        tables: Tables,
        signings: list[tuple[UUID, date]],
        changed: dict[UUID, dict[str, Any]],
        received: dict[UUID, list[Any]],
    ) -> None:
        """Numbers each agreement signed among its department's agreements of that
        fiscal quarter, in the order they were recorded: the sequence of its
        disclosure's reference number, which a rebuild gives again."""
        department = {
            project: received[project][2] for project, _ in signings if project in received
        }
        if unknown := [project for project, _ in signings if project not in department]:
            curs.execute(tables.sql(_DEPARTMENTS), (unknown,))
            department.update((row["project_id"], row["department"]) for row in curs)
        keys = [
            (department[project], FiscalYear.of(day), FiscalYear.quarter(day))
            for project, day in signings
        ]
        curs.execute(
            tables.sql(_LAST_SEQUENCES), [list(column) for column in zip(*keys, strict=True)]
        )
        last = {(r["department"], r["fiscal_year"], r["quarter"]): r["last"] for r in curs}
        for (project, _), key in zip(signings, keys, strict=True):
            last[key] = last.get(key, 0) + 1
            changed[project].update(
                ref_fiscal_year=key[1], ref_quarter=key[2], ref_sequence=last[key]
            )
        upsert_rows(curs, tables.sql(_SEQUENCES), {key: [n] for key, n in last.items()})

    def awards(
        self,
        *,
        signed: bool = False,
        approved: bool = False,
        program_id: UUID | None = None,
        department: str | None = None,
        ending_in: FiscalYear | None = None,
    ) -> list[Award]:
        """The awards that match, in the order they were received; ``ending_in``: the
        signed agreements that end in that fiscal year (read by their end, not all)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT * FROM awards WHERE (NOT %(signed)s OR signed_on IS NOT NULL)"
                " AND (NOT %(approved)s OR approved_on IS NOT NULL)"
                " AND (%(program_id)s::uuid IS NULL OR program_id = %(program_id)s)"
                " AND (%(department)s::text IS NULL OR department = %(department)s)"
                " AND (%(from)s::date IS NULL OR"
                "      (signed_on IS NOT NULL AND end_on BETWEEN %(from)s AND %(to)s))"
                " ORDER BY received_on, project_id",
                {
                    "signed": signed,
                    "approved": approved,
                    "program_id": program_id,
                    "department": department,
                    "from": ending_in.starts_on if ending_in else None,
                    "to": ending_in.ends_on if ending_in else None,
                },
            )
            return [Award(**row) for row in curs.fetchall()]

    def terms(self) -> list[Term]:
        """The agreements still running: signed, and not yet closed."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT project_id, status, start_on, end_on FROM awards"
                " WHERE signed_on IS NOT NULL AND status <> 'closed'"
            )
            return [Term(**row) for row in curs.fetchall()]

    def amendments(self, until: date) -> list[Amendment]:
        """Every agreement signed (amendment 0) and amended up to a day, inclusive."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT * FROM award_amendments WHERE amended_on <= %s"
                " ORDER BY amended_on, project_id, amendment_number",
                (until,),
            )
            return [Amendment(**row) for row in curs.fetchall()]

    def commitments(self) -> dict[UUID, list[Commitment]]:
        """Every change of every project's commitments, in the order they happened."""
        found: dict[UUID, list[Commitment]] = defaultdict(list)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT project_id, fiscal_year, amount_cents, changed_on, reason, version"
                " FROM award_commitments ORDER BY program_id, version, fiscal_year"
            )
            for row in curs.fetchall():
                found[row["project_id"]].append(Commitment(**row))
        return found

    def committed_in(self, fiscal_year: str) -> list[UUID]:
        """The projects that hold commitments in the fiscal year."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT project_id FROM award_commitments WHERE fiscal_year = %s"
                " GROUP BY project_id HAVING sum(amount_cents) > 0 ORDER BY project_id",
                (fiscal_year,),
            )
            return [row["project_id"] for row in curs.fetchall()]

    def results_reported(self) -> dict[UUID, set[str]]:
        """The fiscal years each project reported results for."""
        found: dict[UUID, set[str]] = defaultdict(set)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute("SELECT project_id, fiscal_year FROM award_results")
            for row in curs.fetchall():
                found[row["project_id"]].add(row["fiscal_year"])
        return found
