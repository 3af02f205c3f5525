"""Service standards: each case a standard's clock runs on (an application to
acknowledge, a complete application to decide, a complete claim to pay), when it
started and when it stopped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from grants.domain.project import Project
from grants.domain.service_standards import Standard
from grants.projections.view import Append, Event, Tables, View, upsert_rows

_PROJECTS = Append("service_projects", [("project_id", "uuid"), ("program_id", "uuid")])

# A case starts once: a second assessment does not restart the decision's clock. A case
# that stops in the batch that starts it is written whole; one already started takes the
# stop, unless an earlier one came first.
_START = """
INSERT INTO {service_cases} AS c
    (case_id, standard, project_id, program_id, started_on, ended_on)
SELECT s.case_id, s.standard, s.project_id, p.program_id, s.started_on, s.ended_on
FROM unnest(%b::uuid[], %b::text[], %b::uuid[], %b::date[], %b::date[])
    AS s(case_id, standard, project_id, started_on, ended_on)
JOIN {service_projects} p USING (project_id)
ON CONFLICT (case_id, standard) DO UPDATE SET ended_on = excluded.ended_on
WHERE c.ended_on IS NULL AND excluded.ended_on IS NOT NULL
"""

# The first stop counts: a decision acknowledges an application not yet acknowledged.
# Matched on the primary key alone: a condition on ended_on let the planner scan every
# running case for each batch, which made a million-event rebuild take minutes.
_STOP = """
UPDATE {service_cases} AS c SET ended_on = coalesce(c.ended_on, s.ended_on)
FROM unnest(%b::uuid[], %b::text[], %b::date[]) AS s(case_id, standard, ended_on)
WHERE c.case_id = s.case_id AND c.standard = s.standard
"""

# A withdrawn application's clocks stop counting: its acknowledgement and its decision,
# each the project's own case (an application is withdrawn before any payment). Matched
# on the primary key: a rebuild makes the other indexes once its tables are full.
_DROP = """
DELETE FROM {service_cases}
WHERE (case_id, standard) IN (SELECT * FROM unnest(%b::uuid[], %b::text[]))
  AND ended_on IS NULL
"""
_APPLICATION = (Standard.ACKNOWLEDGEMENT, Standard.DECISION)


class Case(msgspec.Struct):
    case_id: UUID
    standard: Standard
    project_id: UUID
    program_id: UUID
    started_on: date
    ended_on: date | None


class StandardsView(View):
    name = "standards"
    tables = ("service_projects", "service_cases")

    reads = frozenset(
        {
            Project.ApplicationReceived,
            Project.ApplicationAcknowledged,
            Project.ApplicationAssessed,
            Project.ApplicationApproved,
            Project.ApplicationRejected,
            Project.ApplicationWithdrawn,
            Project.PaymentRequested,
            Project.DisbursementReleased,
        }
    )

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        projects: dict[tuple[UUID], list[Any]] = {}
        starts: dict[tuple[UUID, str], list[Any]] = {}
        stops: dict[tuple[UUID, str], list[Any]] = {}
        withdrawn: list[UUID] = []

        def start(case: UUID, standard: Standard, project: UUID, on: date) -> None:
            starts.setdefault((case, standard), [project, on, None])

        def stop(case: UUID, standard: Standard, on: date) -> None:
            started = starts.get((case, standard))
            if started is None:
                stops.setdefault((case, standard), [on])
            elif started[2] is None:
                started[2] = on

        for event in events:
            project = event.originator_id
            match event:
                case Project.ApplicationReceived():
                    projects[(project,)] = [event.program_id]
                    start(project, Standard.ACKNOWLEDGEMENT, project, event.effective_on)
                case Project.ApplicationAcknowledged():
                    stop(project, Standard.ACKNOWLEDGEMENT, event.effective_on)
                case Project.ApplicationAssessed():
                    start(project, Standard.DECISION, project, event.effective_on)
                case Project.ApplicationApproved() | Project.ApplicationRejected():
                    stop(project, Standard.ACKNOWLEDGEMENT, event.effective_on)
                    stop(project, Standard.DECISION, event.effective_on)
                case Project.ApplicationWithdrawn():
                    withdrawn.append(project)
                case Project.PaymentRequested():
                    received_on = event.claim_received_on or event.effective_on
                    start(event.payment_request_id, Standard.PAYMENT, project, received_on)
                case Project.DisbursementReleased():
                    stop(event.payment_request_id, Standard.PAYMENT, event.effective_on)
        _PROJECTS.write(curs, tables, projects)
        for statement, rows in ((_START, starts), (_STOP, stops)):
            if rows:
                upsert_rows(curs, tables.sql(statement), rows)
        if withdrawn:
            clocks: dict[tuple[UUID, str], list[Any]] = {
                (project, standard): [] for project in withdrawn for standard in _APPLICATION
            }
            upsert_rows(curs, tables.sql(_DROP), clocks)

    def cases(self, ended_from: date, ended_to: date, program_id: UUID | None = None) -> list[Case]:
        """The cases whose clock stopped between two days, inclusive."""
        return self._cases(
            "ended_on BETWEEN %(from)s AND %(to)s",
            {"from": ended_from, "to": ended_to, "program_id": program_id},
        )

    def open_cases(self, program_id: UUID | None = None) -> list[Case]:
        """The cases whose clock still runs."""
        return self._cases("ended_on IS NULL", {"program_id": program_id})

    def _cases(self, where: str, params: dict[str, Any]) -> list[Case]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT case_id, standard, project_id, program_id, started_on, ended_on"
                f" FROM service_cases WHERE {where}"
                " AND (%(program_id)s::uuid IS NULL OR program_id = %(program_id)s)"
                " ORDER BY started_on, case_id",
                params,
            )
            return [Case(**row) for row in curs.fetchall()]
