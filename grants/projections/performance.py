"""The Strategy's performance story: planned against actual spending by department,
pillar and fiscal year, and each indicator's target, actual and status per year.

The view keeps every fact of the results framework, the spending plan and projects'
results reports with the day it took effect and the moment it was recorded, and where
each program's allocation counts (its department and first pillar). A question reads
the latest fact of each key among those it keeps: all of them today, those effective by
a day (``as_of``) and recorded by a moment (``known_at``) otherwise, as a fold of those
events alone would leave them.

Grant money is kept by other views, so a rebuild folds disbursements once: today's is
read from the funding and commitments views' tables beside this view's own; as of a
moment, the as-of view answers it. Projects' results today are the outcomes view's
totals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, cast
from uuid import UUID

import msgspec
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from grants.domain.aggregate import Aggregate
from grants.domain.framework import Framework
from grants.domain.program import Program
from grants.domain.project import Project
from grants.domain.spending import SpendingPlan
from grants.domain.targets import Status, Target, TargetKind, status
from grants.moments import NOW, Moment
from grants.projections.as_of import AsOfView
from grants.projections.view import Append, Event, Tables, View, upsert_rows


def _facts(table: str, key: Sequence[tuple[str, str]], values: Sequence[tuple[str, str]]) -> Append:
    """A table of facts: each with its key, the version of its aggregate (the order it
    was recorded in), the day it took effect and the moment it was recorded, then its
    values."""
    dated = [("version", "integer"), ("effective_on", "date"), ("recorded_at", "timestamptz")]
    return Append(table, [*key, *dated, *values])


_INDICATORS = _facts(
    "performance_indicator_history",
    [("code", "text")],
    [
        ("pillar", "text"),
        ("expected_result", "text"),
        ("name_en", "text"),
        ("name_fr", "text"),
        ("unit", "text"),
        ("direction", "text"),
        ("owner", "text"),
    ],
)
_RETIREMENTS = _facts("performance_retirement_history", [("code", "text")], [("reason", "text")])
_TARGETS = _facts(
    "performance_target_history",
    [("code", "text"), ("fiscal_year", "text")],
    [("kind", "text"), ("low", "bigint"), ("high", "bigint"), ("achieve_by", "date")],
)
_RESULTS = _facts(
    "performance_result_history",
    [("code", "text"), ("department", "text"), ("starts_on", "date"), ("ends_on", "date")],
    [("fiscal_year", "text"), ("value", "bigint")],
)
_EXPLANATIONS = _facts(
    "performance_explanation_history",
    [("code", "text"), ("fiscal_year", "text")],
    [("explanation_en", "text"), ("explanation_fr", "text")],
)
_SPENDING = _facts(
    "performance_spending_history",
    [("department", "text"), ("pillar", "text"), ("fiscal_year", "text")],
    [("planned_cents", "bigint"), ("reported_cents", "bigint")],
)
_PROJECT_RESULTS = _facts(
    "performance_project_results",
    [("project_id", "uuid"), ("fiscal_year", "text")],
    [("figures", "jsonb")],
)

_PROGRAMS = """
INSERT INTO {performance_programs} (program_id, department, pillar)
SELECT * FROM unnest(%b::uuid[], %b::text[], %b::text[])
ON CONFLICT (program_id) DO NOTHING
"""

# The facts a question keeps: effective by the day asked, recorded by the moment asked.
_KEPT = """(%(as_of)s::date IS NULL OR effective_on <= %(as_of)s)
      AND (%(known_at)s::timestamptz IS NULL OR recorded_at <= %(known_at)s)"""


def _latest(table: str, key: str, columns: str) -> str:
    """The latest row of each key among those kept: the state a fold of the kept facts
    leaves."""
    return f"""
    SELECT DISTINCT ON ({key}) {key}, {columns} FROM {table}
    WHERE {_KEPT} ORDER BY {key}, version DESC"""


# An indicator keeps the place its first definition gave it in the framework, and stays
# retired once retired.
_DEFINED = (
    "pillar, name_en, name_fr, unit, owner, min(version) OVER (PARTITION BY code) AS defined_at"
)
_FRAMEWORK = ", ".join(
    f"{name} AS ({_latest(table, key, columns)})"
    for name, table, key, columns in (
        ("performance_indicators", "performance_indicator_history", "code", _DEFINED),
        ("retirements", "performance_retirement_history", "code", "reason"),
        (
            "performance_targets",
            "performance_target_history",
            "code, fiscal_year",
            "kind, low, high, achieve_by",
        ),
        (
            "performance_results",
            "performance_result_history",
            "code, department, starts_on, ends_on",
            "fiscal_year, value",
        ),
        (
            "performance_explanations",
            "performance_explanation_history",
            "code, fiscal_year",
            "explanation_en, explanation_fr",
        ),
    )
)

_PLAN = f"""
performance_spending AS (
    SELECT department, pillar, fiscal_year,
           (array_agg(planned_cents ORDER BY version DESC)
                FILTER (WHERE planned_cents IS NOT NULL))[1] AS planned_cents,
           (array_agg(reported_cents ORDER BY version DESC)
                FILTER (WHERE reported_cents IS NOT NULL))[1] AS reported_cents
    FROM performance_spending_history WHERE {_KEPT}
    GROUP BY department, pillar, fiscal_year
)"""

# Grant money today: the funding and commitments views' tables.
_MONEY_TODAY = """
funding AS (
    SELECT department, pillar, fiscal_year, committed_cents, disbursed_cents
    FROM funding_by_pillar
), allocations AS (
    SELECT program_id, fiscal_year, allocation_cents FROM program_years
)"""

# Grant money as of a moment: the as-of view's answer, sent along with the question.
_MONEY_KEPT = """
funding AS (
    SELECT * FROM unnest(%(departments)s::text[], %(pillars)s::text[], %(years)s::text[],
                         %(committed)s::bigint[], %(disbursed)s::bigint[])
        AS f (department, pillar, fiscal_year, committed_cents, disbursed_cents)
), allocations AS (
    SELECT * FROM unnest(%(programs)s::uuid[], %(allocated_years)s::text[],
                         %(allocated)s::bigint[])
        AS a (program_id, fiscal_year, allocation_cents)
)"""

_SPENDING_ROWS = """
WITH {plan}, {money}, lines AS (
    SELECT department, pillar, fiscal_year, planned_cents AS planned,
           reported_cents AS reported, 0::bigint AS allocated, 0::bigint AS committed,
           0::bigint AS disbursed
    FROM performance_spending
    UNION ALL
    SELECT department, pillar, fiscal_year, NULL, NULL, 0, committed_cents, disbursed_cents
    FROM funding
    UNION ALL
    SELECT p.department, p.pillar, y.fiscal_year, NULL, NULL, y.allocation_cents, 0, 0
    FROM allocations y JOIN performance_programs p USING (program_id)
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

# Projects' results today: the outcomes view's totals, kept as reports arrive, rather
# than every report read again.
_PROJECTS_TODAY = """
projects AS (
    SELECT indicator AS code, fiscal_year, sum(total)::bigint AS actual
    FROM outcome_totals WHERE projects <> 0 GROUP BY indicator, fiscal_year
)"""

# As of a moment: each project's latest report per year among those kept.
_PROJECTS_KEPT = f"""
projects AS (
    SELECT r.code, latest.fiscal_year, sum(r.figure::bigint)::bigint AS actual
    FROM ({_latest("performance_project_results", "project_id, fiscal_year", "figures")}
    ) latest
    CROSS JOIN LATERAL jsonb_each_text(latest.figures) AS r (code, figure)
    GROUP BY r.code, latest.fiscal_year
)"""

_INDICATOR_ROWS = f"""
WITH {_FRAMEWORK}, {{projects}}, departments AS (
    SELECT code, fiscal_year, sum(value)::bigint AS actual
    FROM performance_results GROUP BY code, fiscal_year
), years AS (
    SELECT code, fiscal_year FROM performance_targets
    UNION SELECT code, fiscal_year FROM departments
    UNION SELECT code, fiscal_year FROM projects
)
SELECT i.code, i.name_en, i.name_fr, i.pillar, i.owner, i.unit, r.code IS NOT NULL AS retired,
       y.fiscal_year, t.kind, t.low, t.high, t.achieve_by,
       p.actual AS from_projects, d.actual AS from_departments,
       coalesce(e.explanation_en, '') AS explanation_en,
       coalesce(e.explanation_fr, '') AS explanation_fr
FROM performance_indicators i
JOIN years y USING (code)
LEFT JOIN retirements r USING (code)
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
        "performance_indicator_history",
        "performance_retirement_history",
        "performance_target_history",
        "performance_result_history",
        "performance_explanation_history",
        "performance_spending_history",
        "performance_project_results",
        "performance_programs",
    )
    only_appended = frozenset(tables) - {"performance_programs"}

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
            Project.ResultsReported,
        }
    )

    def fold(self, curs: Cursor[DictRow], events: Sequence[Event], tables: Tables) -> None:
        # Every fact is kept: each key's rows are told apart by their version.
        programs: dict[tuple[UUID], list[str]] = {}
        facts: dict[Append, dict[tuple[Any, ...], list[Any]]] = defaultdict(dict)
        for event in events:
            # Every event of the tracker's aggregates has both (grants.domain.aggregate).
            dated = cast(Aggregate.Event, event)
            when = (event.originator_version, dated.effective_on, dated.timestamp)
            match event:
                case Program.Registered():
                    programs[(event.originator_id,)] = [event.department, event.pillars[0]]
                case Framework.IndicatorDefined():
                    facts[_INDICATORS][(event.code, *when)] = [
                        event.pillar,
                        event.expected_result,
                        event.name_en,
                        event.name_fr,
                        event.unit,
                        event.direction,
                        event.owner,
                    ]
                case Framework.IndicatorRetired():
                    facts[_RETIREMENTS][(event.code, *when)] = [event.reason]
                case Framework.TargetSet():
                    target = [event.kind, event.low, event.high, event.achieve_by]
                    facts[_TARGETS][(event.indicator, event.fiscal_year, *when)] = target
                case Framework.DepartmentalResultReported():
                    period = (event.indicator, event.department, event.starts_on, event.ends_on)
                    facts[_RESULTS][(*period, *when)] = [event.fiscal_year, event.value]
                case Framework.ResultExplained():
                    facts[_EXPLANATIONS][(event.indicator, event.fiscal_year, *when)] = [
                        event.explanation_en,
                        event.explanation_fr,
                    ]
                case SpendingPlan.PlannedSpendingSet():
                    line = (event.department, event.pillar, event.fiscal_year)
                    facts[_SPENDING][(*line, *when)] = [event.amount_cents, None]
                case SpendingPlan.SpendingReported():
                    line = (event.department, event.pillar, event.fiscal_year)
                    facts[_SPENDING][(*line, *when)] = [None, event.amount_cents]
                case Project.ResultsReported():
                    report = (event.originator_id, event.fiscal_year, *when)
                    facts[_PROJECT_RESULTS][report] = [Jsonb(event.indicators)]
        if programs:
            upsert_rows(curs, tables.sql(_PROGRAMS), programs)
        for kept, rows in facts.items():
            kept.write(curs, tables, rows)

    def spending(
        self,
        moment: Moment = NOW,
        as_of: AsOfView | None = None,
        *,
        fiscal_year: str | None = None,
        pillar: str | None = None,
        department: str | None = None,
    ) -> list[SpendingRow]:
        """Per department, pillar and fiscal year: planned, allocated, committed and
        spent (with what was disbursed and what the department reported); as of a
        moment, with the grant money the as-of view (``as_of``) keeps for it."""
        chosen = {"fiscal_year": fiscal_year, "pillar": pillar, "department": department}
        if not moment:
            rows = self._read(_SPENDING_ROWS.format(plan=_PLAN, money=_MONEY_TODAY), moment, chosen)
        elif as_of is None:
            raise TypeError("the grant money as of a moment is the as-of view's")
        else:
            money = _kept_money(as_of, moment, chosen)
            rows = self._read(_SPENDING_ROWS.format(plan=_PLAN, money=_MONEY_KEPT), moment, money)
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
        moment: Moment = NOW,
        *,
        fiscal_year: str | None = None,
        pillar: str | None = None,
        department: str | None = None,
    ) -> list[IndicatorRow]:
        """Each indicator of the framework (of the owner ``department``), per fiscal
        year with a target or an actual, judged as of ``today`` (or the moment's day)."""
        chosen = {"fiscal_year": fiscal_year, "pillar": pillar, "department": department}
        projects = _PROJECTS_KEPT if moment else _PROJECTS_TODAY
        judged_on = moment.day(today)
        judged = []
        for row in self._read(_INDICATOR_ROWS.format(projects=projects), moment, chosen):
            kind, low, high, by = (row.pop(k) for k in ("kind", "low", "high", "achieve_by"))
            target = None if kind is None else Target(TargetKind(kind), low, high, by)
            parts = [row["from_projects"], row["from_departments"]]
            actual = None if parts == [None, None] else sum(p or 0 for p in parts)
            judged.append(
                IndicatorRow(
                    **row,
                    target=None if target is None else TargetOut(target.kind, low, high, by),
                    actual=actual,
                    status=status(target, actual, judged_on),
                )
            )
        return judged

    def _read(self, query: str, moment: Moment, params: dict[str, Any]) -> list[DictRow]:
        kept = {"as_of": moment.as_of, "known_at": moment.known_at, **params}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(query, kept, prepare=True)
            return curs.fetchall()


def _kept_money(as_of: AsOfView, moment: Moment, chosen: dict[str, Any]) -> dict[str, Any]:
    """The grant money the moment keeps, as the as-of view answers it, in the columns
    the question reads it from."""
    funding, _ = as_of.funding(moment, **chosen, program_id=None)
    allocations = as_of.allocations(moment, fiscal_year=chosen["fiscal_year"])
    return {
        **chosen,
        "departments": [row.department for row in funding],
        "pillars": [row.pillar for row in funding],
        "years": [row.fiscal_year for row in funding],
        "committed": [row.committed_cents for row in funding],
        "disbursed": [row.disbursed_cents for row in funding],
        "programs": [a.program_id for a in allocations],
        "allocated_years": [a.fiscal_year for a in allocations],
        "allocated": [a.amount_cents for a in allocations],
    }
