"""Deadlines as of a day: agreements that end within 90 days (time-limited funding is a
risk the Hotline evaluation raised) and results reports that are overdue. They change
with the date, not with events, so a nightly job works them out again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

import msgspec
from psycopg_pool import ConnectionPool

from grants.domain.fiscal_year import FiscalYear
from grants.projections.awards import AwardsView

ENDING_WITHIN = timedelta(days=90)
# A fiscal year's results are due by June 30, three months after it ends.
RESULTS_DUE_AFTER = timedelta(days=91)


class Kind(StrEnum):
    AGREEMENT_ENDING = "agreement_ending"
    RESULTS_OVERDUE = "results_overdue"


class Deadline(msgspec.Struct, frozen=True):
    kind: Kind
    project_id: UUID
    fiscal_year: str
    due_on: date


class Due(msgspec.Struct):
    """A deadline with what a reader needs to act on it."""

    kind: Kind
    project_id: UUID
    program_id: UUID
    department: str
    title_en: str
    title_fr: str
    recipient: str
    fiscal_year: str
    due_on: date
    as_of: date


class Running(Protocol):
    """An agreement's term: the award register's today, or one as of a moment."""

    @property
    def project_id(self) -> UUID: ...
    @property
    def status(self) -> str: ...
    @property
    def start_on(self) -> date: ...
    @property
    def end_on(self) -> date: ...


def deadlines(
    terms: Iterable[Running], reported: Mapping[UUID, set[str]], today: date
) -> list[Deadline]:
    found = []
    for award in terms:
        running = award.status in ("under_agreement", "final_report_accepted")
        if running and today <= award.end_on <= today + ENDING_WITHIN:
            found.append(Deadline(Kind.AGREEMENT_ENDING, award.project_id, "", award.end_on))
        if award.status != "under_agreement":
            continue  # a final report accepted ends the reporting
        year, last = FiscalYear.of(award.start_on), FiscalYear.of(min(award.end_on, today))
        while year <= last:
            due_on = year.ends_on + RESULTS_DUE_AFTER
            if due_on < today and year not in reported.get(award.project_id, set()):
                found.append(Deadline(Kind.RESULTS_OVERDUE, award.project_id, year, due_on))
            year = year.next()
    return found


def refresh(pool: ConnectionPool, awards: AwardsView, today: date) -> int:
    """Replaces the deadlines with those as of ``today``; returns how many there are."""
    found = deadlines(awards.terms(), awards.results_reported(), today)
    with pool.connection() as conn:
        conn.execute("DELETE FROM deadline_runs")
        conn.execute("INSERT INTO deadline_runs (as_of) VALUES (%s)", (today,))
        conn.execute("DELETE FROM deadlines")
        with conn.cursor().copy(
            "COPY deadlines (kind, project_id, fiscal_year, due_on, as_of) FROM STDIN"
        ) as copy:
            for d in found:
                copy.write_row((d.kind.value, d.project_id, d.fiscal_year, d.due_on, today))
    return len(found)


# The deadlines the last refresh found, or those worked out as of a moment, sent along.
_REFRESHED = "deadlines d"
_WORKED_OUT = (
    "unnest(%(kinds)s::text[], %(projects)s::uuid[], %(years)s::text[], %(dues)s::date[],"
    " %(days)s::date[]) AS d (kind, project_id, fiscal_year, due_on, as_of)"
)

_DUE = (
    "SELECT d.kind, d.project_id, a.program_id, a.department, a.title_en, a.title_fr,"
    " a.recipient->>'legal_name', d.fiscal_year, d.due_on, d.as_of,"
    " count(*) OVER () AS total"
    " FROM {source} JOIN awards a USING (project_id)"
    " WHERE (%(department)s::text IS NULL OR a.department = %(department)s)"
    " AND (%(kind)s::text IS NULL OR d.kind = %(kind)s)"
    " AND (%(fiscal_year)s::text IS NULL OR d.fiscal_year = %(fiscal_year)s)"
    " ORDER BY d.due_on, d.kind, d.project_id LIMIT %(limit)s OFFSET %(offset)s"
)


def due(
    pool: ConnectionPool,
    department: str | None = None,
    kind: Kind | None = None,
    fiscal_year: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    worked_out: tuple[Sequence[Deadline], date] | None = None,
) -> tuple[list[Due], int]:
    """The deadlines the last refresh found (or ``worked_out`` as of a day), soonest
    first (of one department, kind, fiscal year when given), ``limit`` of them from
    ``offset``; and how many there are."""
    chosen: dict[str, Any] = {
        "department": department,
        "kind": kind,
        "fiscal_year": fiscal_year,
        "limit": limit,
        "offset": offset,
    }
    source = _REFRESHED
    if worked_out is not None:
        found, day = worked_out
        source = _WORKED_OUT
        chosen |= {
            "kinds": [d.kind.value for d in found],
            "projects": [d.project_id for d in found],
            "years": [d.fiscal_year for d in found],
            "dues": [d.due_on for d in found],
            "days": [day] * len(found),
        }
    with pool.connection() as conn:
        rows = conn.execute(_DUE.format(source=source), chosen).fetchall()
    total = rows[0][-1] if rows else 0
    return [Due(Kind(row[0]), *row[1:-1]) for row in rows], total


def last_run(pool: ConnectionPool) -> date | None:
    """The day the deadlines were last worked out, if ever."""
    with pool.connection() as conn:
        row = conn.execute("SELECT as_of FROM deadline_runs").fetchone()
    return row[0] if row else None
