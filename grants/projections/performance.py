"""The Strategy's performance story: planned against actual spending by department,
pillar and fiscal year, and each indicator's target, actual and status per year.

The view folds the results framework, the spending plan and where each program's
allocation counts (its department and first pillar). What the tracker knows of grant
money and of projects' results is already kept by the funding, commitments and
outcomes views: a query reads their tables beside this view's own, so a rebuild folds
disbursements and results once, not twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow

from grants.domain.framework import Framework
from grants.domain.program import Program
from grants.domain.spending import SpendingPlan
from grants.domain.targets import Status, Target, TargetKind, status
from grants.projections.view import Event, Tables, View, upsert_rows

_INDICATORS = """
INSERT INTO {performance_indicators} AS i
    (code, pillar, expected_result, name_en, name_fr, unit, direction, owner, defined_at)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[],
                     %b::text[], %b::text[], %b::bigint[])
ON CONFLICT (code) DO UPDATE SET
    pillar = excluded.pillar, expected_result = excluded.expected_result,
    name_en = excluded.name_en, name_fr = excluded.name_fr, unit = excluded.unit,
    direction = excluded.direction, owner = excluded.owner
"""

_RETIRE = """
UPDATE {performance_indicators} AS i SET retired = r.reason
FROM unnest(%b::text[], %b::text[]) AS r (code, reason) WHERE i.code = r.code
"""

_TARGETS = """
INSERT INTO {performance_targets} (code, fiscal_year, kind, low, high, achieve_by)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::bigint[], %b::bigint[], %b::date[])
ON CONFLICT (code, fiscal_year) DO UPDATE SET
    kind = excluded.kind, low = excluded.low, high = excluded.high,
    achieve_by = excluded.achieve_by
"""

_RESULTS = """
INSERT INTO {performance_results} (code, department, starts_on, ends_on, fiscal_year, value)
SELECT * FROM unnest(%b::text[], %b::text[], %b::date[], %b::date[], %b::text[], %b::bigint[])
ON CONFLICT (code, department, starts_on, ends_on) DO UPDATE SET value = excluded.value
"""

_EXPLANATIONS = """
INSERT INTO {performance_explanations} (code, fiscal_year, explanation_en, explanation_fr)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[])
ON CONFLICT (code, fiscal_year) DO UPDATE SET
    explanation_en = excluded.explanation_en, explanation_fr = excluded.explanation_fr
"""

_SPENDING = """
INSERT INTO {performance_spending} AS s
    (department, pillar, fiscal_year, planned_cents, reported_cents)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::bigint[], %b::bigint[])
ON CONFLICT (department, pillar, fiscal_year) DO UPDATE SET
    planned_cents = coalesce(excluded.planned_cents, s.planned_cents),
    reported_cents = coalesce(excluded.reported_cents, s.reported_cents)
"""

_PROGRAMS = """
INSERT INTO {performance_programs} (program_id, department, pillar)
SELECT * FROM unnest(%b::uuid[], %b::text[], %b::text[])
ON CONFLICT (program_id) DO NOTHING
"""

_SPENDING_ROWS = """
WITH lines AS (
    SELECT department, pillar, fiscal_year, planned_cents AS planned,
           reported_cents AS reported, 0::bigint AS allocated, 0::bigint AS committed,
           0::bigint AS disbursed
    FROM performance_spending
    UNION ALL
    SELECT department, pillar, fiscal_year, NULL, NULL, 0, committed_cents, disbursed_cents
    FROM funding_by_pillar
    UNION ALL
    SELECT p.department, p.pillar, y.fiscal_year, NULL, NULL, y.allocation_cents, 0, 0
    FROM program_years y JOIN performance_programs p USING (program_id)
)
SELECT department, pillar, fiscal_year,
       coalesce(sum(planned), 0)::bigint AS planned_cents,
       sum(allocated)::bigint AS allocated_cents,
       sum(committed)::bigint AS committed_cents,
       sum(disbursed)::bigint AS disbursed_cents,
       max(reported) AS reported_cents
FROM lines
WHERE (%(fiscal_year)s::text IS NULL OR fiscal_year = %(fiscal_year)s)
  AND (%(pillar)s::text IS NULL OR pillar = %(pillar)s)
  AND (%(department)s::text IS NULL OR department = %(department)s)
GROUP BY department, pillar, fiscal_year
HAVING coalesce(sum(planned), 0) <> 0 OR sum(allocated) <> 0 OR sum(committed) <> 0
    OR sum(disbursed) <> 0 OR max(reported) IS NOT NULL
ORDER BY fiscal_year, pillar, department
"""

_INDICATOR_ROWS = """
WITH projects AS (
    SELECT indicator AS code, fiscal_year, sum(total)::bigint AS actual
    FROM outcome_totals WHERE projects <> 0 GROUP BY indicator, fiscal_year
), departments AS (
    SELECT code, fiscal_year, sum(value)::bigint AS actual
    FROM performance_results GROUP BY code, fiscal_year
), years AS (
    SELECT code, fiscal_year FROM performance_targets
    UNION SELECT code, fiscal_year FROM departments
    UNION SELECT code, fiscal_year FROM projects
)
SELECT i.code, i.name_en, i.name_fr, i.pillar, i.owner, i.unit, i.retired IS NOT NULL AS retired,
       y.fiscal_year, t.kind, t.low, t.high, t.achieve_by,
       p.actual AS from_projects, d.actual AS from_departments,
       coalesce(e.explanation_en, '') AS explanation_en,
       coalesce(e.explanation_fr, '') AS explanation_fr
FROM performance_indicators i
JOIN years y USING (code)
LEFT JOIN performance_targets t USING (code, fiscal_year)
LEFT JOIN projects p USING (code, fiscal_year)
LEFT JOIN departments d USING (code, fiscal_year)
LEFT JOIN performance_explanations e USING (code, fiscal_year)
WHERE (%(fiscal_year)s::text IS NULL OR y.fiscal_year = %(fiscal_year)s)
  AND (%(pillar)s::text IS NULL OR i.pillar = %(pillar)s)
  AND (%(department)s::text IS NULL OR i.owner = %(department)s)
ORDER BY i.defined_at, y.fiscal_year
"""


class SpendingRow(msgspec.Struct):
    """``spent_cents``: what the department reported it spent where it did, otherwise
    what the tracker disbursed."""

    department: str
    pillar: str
    fiscal_year: str
    planned_cents: int
    allocated_cents: int
    committed_cents: int
    spent_cents: int
    disbursed_cents: int
    reported_cents: int | None


class TargetOut(msgspec.Struct):
    kind: TargetKind
    low: int
    high: int
    achieve_by: date


class IndicatorRow(msgspec.Struct):
    code: str
    name_en: str
    name_fr: str
    pillar: str
    owner: str
    unit: str
    retired: bool
    fiscal_year: str
    target: TargetOut | None
    # Projects' results and departments' reports for the year, added up.
    actual: int | None
    from_projects: int | None
    from_departments: int | None
    status: Status
    explanation_en: str
    explanation_fr: str

    @property
    def unexplained(self) -> bool:
        """A missed target with no explanation: a task for the Strategy team."""
        return self.status is Status.NOT_MET and not self.explanation_en


class PerformanceView(View):
    name = "performance"
    tables = (
        "performance_indicators",
        "performance_targets",
        "performance_results",
        "performance_explanations",
        "performance_spending",
        "performance_programs",
    )

    reads = frozenset(
        {
            Program.Registered,
            Framework.IndicatorDefined,
            Framework.IndicatorRetired,
            Framework.TargetSet,
            Framework.DepartmentalResultReported,
            Framework.ResultExplained,
            SpendingPlan.PlannedSpendingSet,
            SpendingPlan.SpendingReported,
        }
    )

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        # The last of each key in the batch wins, as it would one event at a time.
        indicators: dict[tuple[str], list[Any]] = {}
        retired: dict[tuple[str], list[str]] = {}
        targets: dict[tuple[str, str], list[Any]] = {}
        results: dict[tuple[str, str, date, date], list[Any]] = {}
        explanations: dict[tuple[str, str], list[str]] = {}
        spending: dict[tuple[str, str, str], list[int | None]] = {}
        programs: dict[tuple[UUID], list[str]] = {}
        for event in events:
            match event:
                case Program.Registered():
                    programs[(event.originator_id,)] = [event.department, event.pillars[0]]
                case Framework.IndicatorDefined():
                    indicators[(event.code,)] = [
                        event.pillar,
                        event.expected_result,
                        event.name_en,
                        event.name_fr,
                        event.unit,
                        event.direction,
                        event.owner,
                        event.originator_version,
                    ]
                case Framework.IndicatorRetired():
                    retired[(event.code,)] = [event.reason]
                case Framework.TargetSet():
                    targets[(event.indicator, event.fiscal_year)] = [
                        event.kind,
                        event.low,
                        event.high,
                        event.achieve_by,
                    ]
                case Framework.DepartmentalResultReported():
                    key = (event.indicator, event.department, event.starts_on, event.ends_on)
                    results[key] = [event.fiscal_year, event.value]
                case Framework.ResultExplained():
                    explanations[(event.indicator, event.fiscal_year)] = [
                        event.explanation_en,
                        event.explanation_fr,
                    ]
                case SpendingPlan.PlannedSpendingSet():
                    line = (event.department, event.pillar, event.fiscal_year)
                    spending.setdefault(line, [None, None])[0] = event.amount_cents
                case SpendingPlan.SpendingReported():
                    line = (event.department, event.pillar, event.fiscal_year)
                    spending.setdefault(line, [None, None])[1] = event.amount_cents
        for statement, rows in (
            (_PROGRAMS, programs),
            (_INDICATORS, indicators),
            (_RETIRE, retired),
            (_TARGETS, targets),
            (_RESULTS, results),
            (_EXPLANATIONS, explanations),
            (_SPENDING, spending),
        ):
            if rows:
                upsert_rows(curs, tables.sql(statement), rows)

    def spending(
        self,
        *,
        fiscal_year: str | None = None,
        pillar: str | None = None,
        department: str | None = None,
    ) -> list[SpendingRow]:
        """Per department, pillar and fiscal year: planned, allocated, committed and
        spent (with what was disbursed and what the department reported)."""
        rows = self._read(_SPENDING_ROWS, fiscal_year, pillar, department)
        return [
            SpendingRow(
                **row,
                spent_cents=row["disbursed_cents"]
                if row["reported_cents"] is None
                else row["reported_cents"],
            )
            for row in rows
        ]

    def indicators(
        self,
        today: date,
        *,
        fiscal_year: str | None = None,
        pillar: str | None = None,
        department: str | None = None,
    ) -> list[IndicatorRow]:
        """Each indicator of the framework (of the owner ``department``), per fiscal
        year with a target or an actual, judged as of ``today``."""
        judged = []
        for row in self._read(_INDICATOR_ROWS, fiscal_year, pillar, department):
            kind, low, high, by = (row.pop(k) for k in ("kind", "low", "high", "achieve_by"))
            target = None if kind is None else Target(TargetKind(kind), low, high, by)
            parts = [row["from_projects"], row["from_departments"]]
            actual = None if parts == [None, None] else sum(p or 0 for p in parts)
            judged.append(
                IndicatorRow(
                    **row,
                    target=None if target is None else TargetOut(target.kind, low, high, by),
                    actual=actual,
                    status=status(target, actual, today),
                )
            )
        return judged

    def _read(
        self, query: str, fiscal_year: str | None, pillar: str | None, department: str | None
    ) -> list[DictRow]:
        params = {"fiscal_year": fiscal_year, "pillar": pillar, "department": department}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(query, params, prepare=True)
            return curs.fetchall()
