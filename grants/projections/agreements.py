"""Agreements as of a day, as known at a moment: each fact that changes what an agreement
holds back or when its deadlines fall (its signing and amendments, holdbacks released,
results reported, the status each step leaves) is kept with the day it took effect, the
moment it was recorded and the project's version. A question folds the facts it keeps,
in SQL: the year-end's holdbacks retained and its deadlines as of any moment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from grants.domain.aggregate import Aggregate
from grants.domain.project import Project, holdback
from grants.moments import Moment
from grants.projections.view import Append, Event, Tables, View

_FACTS = Append(
    "agreement_history",
    [
        ("project_id", "uuid"),
        ("version", "integer"),
        ("effective_on", "date"),
        ("recorded_at", "timestamptz"),
        ("status", "text"),
        ("start_on", "date"),
        ("end_on", "date"),
        ("value_cents", "bigint"),
        ("holdback_percent", "integer"),
        ("holdback_paid_cents", "bigint"),
        ("reported_year", "text"),
    ],
)


def _last(column: str) -> str:
    """The column's value in the latest fact that set it: what a fold leaves."""
    return (
        f"(array_agg({column} ORDER BY version DESC)"
        f" FILTER (WHERE {column} IS NOT NULL))[1] AS {column}"
    )


# The agreements signed among the facts kept; where each counts is the award
# register's (a project's program never changes).
_AGREEMENTS = f"""
SELECT h.project_id, a.program_id, h.status, h.start_on, h.end_on, h.value_cents,
       h.holdback_percent, h.holdback_paid_cents, h.reported
FROM (
    SELECT project_id, {_last("status")}, {_last("start_on")}, {_last("end_on")},
           {_last("value_cents")}, {_last("holdback_percent")},
           sum(holdback_paid_cents)::bigint AS holdback_paid_cents,
           coalesce(array_agg(DISTINCT reported_year)
                        FILTER (WHERE reported_year IS NOT NULL), '{{}}') AS reported
    FROM agreement_history
    WHERE (%(as_of)s::date IS NULL OR effective_on <= %(as_of)s)
      AND (%(known_at)s::timestamptz IS NULL OR recorded_at <= %(known_at)s)
    GROUP BY project_id
    HAVING count(holdback_percent) > 0
) h
JOIN awards a USING (project_id)
ORDER BY h.project_id
"""


class Agreement(msgspec.Struct):
    project_id: UUID
    program_id: UUID
    status: str
    start_on: date
    end_on: date
    value_cents: int
    holdback_percent: int
    holdback_paid_cents: int
    # The fiscal years the project reported results for.
    reported: list[str]

    @property
    def holdback_retained_cents(self) -> int:
        """What is held back and not yet paid; nothing once the project is closed, when
        the rest is cancelled (as the award register counts it)."""
        if self.status == "closed":
            return 0
        return max(0, holdback(self.value_cents, self.holdback_percent) - self.holdback_paid_cents)


class AgreementsView(View):
    name = "agreements"
    tables = ("agreement_history",)
    only_appended = frozenset(tables)

    # From the signing on: a question reads only agreements signed by its moment, and
    # the signing's status outranks every one before it (a fifth of a store's events).
    reads = frozenset(
        {
            Project.AgreementSigned,
            Project.AgreementAmended,
            Project.HoldbackReleased,
            Project.ResultsReported,
            Project.FinalReportAccepted,
            Project.ProjectClosed,
        }
    )

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        facts: dict[tuple[Any, ...], list[Any]] = {}
        for event in events:
            # Every event of the tracker's aggregates has both (grants.domain.aggregate).
            dated = cast(Aggregate.Event, event)
            when = (event.originator_id, event.originator_version, dated.effective_on)
            # status, start, end, value, holdback percent, holdback paid, year reported
            fact: list[Any] = [getattr(type(event), "leaves", None), *[None] * 4, 0, None]
            match event:
                case Project.AgreementSigned():
                    fact[1:5] = [
                        event.start_on,
                        event.end_on,
                        event.value_cents,
                        event.holdback_percent,
                    ]
                case Project.AgreementAmended():
                    fact[1:4] = [event.start_on, event.end_on, event.value_cents]
                case Project.HoldbackReleased():
                    fact[5] = event.amount_cents
                case Project.ResultsReported():
                    fact[6] = event.fiscal_year
            facts[(*when, dated.timestamp)] = fact
        _FACTS.write(curs, tables, facts)

    def agreements(self, moment: Moment) -> list[Agreement]:
        """The agreements signed among the facts the moment keeps, each as those facts
        leave it."""
        params = {"as_of": moment.as_of, "known_at": moment.known_at}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_AGREEMENTS, params)
            return [Agreement(**row) for row in curs.fetchall()]
