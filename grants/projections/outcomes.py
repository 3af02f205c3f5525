"""Outcomes by pillar: the indicators projects report, totalled by pillar and fiscal
year, with the number of projects reporting each; the totals are kept as results arrive
(a later report for a project and year replaces the earlier one, in the totals too)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from grants.domain.project import Project
from grants.projections.view import Append, Event, Tables, View, upsert_rows

_FORGET = """
DELETE FROM {outcome_results}
WHERE (project_id, fiscal_year) IN (SELECT * FROM unnest(%b::uuid[], %b::text[]))
RETURNING pillar, fiscal_year, indicator, value
"""

_REMEMBER = Append(
    "outcome_results",
    [
        ("project_id", "uuid"),
        ("fiscal_year", "text"),
        ("indicator", "text"),
        ("pillar", "text"),
        ("value", "bigint"),
    ],
)

_ADD = """
INSERT INTO {outcome_totals} AS t (pillar, fiscal_year, indicator, total, projects)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::bigint[], %b::integer[])
ON CONFLICT (pillar, fiscal_year, indicator) DO UPDATE
SET total = t.total + excluded.total, projects = t.projects + excluded.projects
"""

_TOTALS = """
SELECT pillar, fiscal_year, indicator, total, projects FROM outcome_totals
WHERE projects <> 0
  AND (%(fiscal_year)s::text IS NULL OR fiscal_year = %(fiscal_year)s)
  AND (%(pillar)s::text IS NULL OR pillar = %(pillar)s)
ORDER BY pillar, fiscal_year, indicator
"""


class OutcomeRow(msgspec.Struct):
    pillar: str
    fiscal_year: str
    indicator: str
    total: int
    projects: int


class OutcomesView(View):
    name = "outcomes"
    tables = ("outcome_results", "outcome_totals")

    reads = frozenset(
        {
            Project.ResultsReported,
        }
    )

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        # A later report for the same project and year replaces the earlier one.
        latest: dict[tuple[UUID, str], Project.ResultsReported] = {}
        for event in events:
            if isinstance(event, Project.ResultsReported):
                latest[(event.originator_id, event.fiscal_year)] = event
        if not latest:
            return
        # Each result row is one project reporting one indicator in one year.
        change: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for forgotten in upsert_rows(curs, tables.sql(_FORGET), {key: [] for key in latest}):
            totals = change[(forgotten["pillar"], forgotten["fiscal_year"], forgotten["indicator"])]
            totals[0] -= forgotten["value"]
            totals[1] -= 1
        rows: dict[tuple[UUID, str, str], tuple[str, int]] = {
            (report.originator_id, report.fiscal_year, code): (report.pillar, value)
            for report in latest.values()
            for code, value in report.indicators.items()
        }
        for (_, year, code), (pillar, value) in rows.items():
            totals = change[(pillar, year, code)]
            totals[0] += value
            totals[1] += 1
        _REMEMBER.write(curs, tables, rows)
        upsert_rows(curs, tables.sql(_ADD), change)

    def totals(
        self, *, fiscal_year: str | None = None, pillar: str | None = None
    ) -> list[OutcomeRow]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_TOTALS, {"fiscal_year": fiscal_year, "pillar": pillar}, prepare=True)
            return [OutcomeRow(**row) for row in curs.fetchall()]
