"""The service standards report: per program and standard, how many cases stopped their
clock in the period, how many within the standard, against the target; and the cases
still running that are about to miss it, or have."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from uuid import UUID

import msgspec

from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.domain.service_standards import Standard, Unit, add_business_days, business_days
from grants.projections import Views

# A running case is listed this many business days before it misses its standard.
WARNING_BUSINESS_DAYS = 5


class StandardFigures(msgspec.Struct):
    program_id: UUID
    name_en: str
    name_fr: str
    department: str
    standard: Standard
    within: int
    unit: Unit
    target_percent: int
    cases: int
    met: int
    percent_met: float | None
    median_business_days: float | None


class AtRisk(msgspec.Struct):
    program_id: UUID
    project_id: UUID
    case_id: UUID
    standard: Standard
    started_on: date
    due_on: date
    overdue: bool


class ServiceStandards(msgspec.Struct):
    fiscal_year: FiscalYear
    quarter: int | None
    rows: list[StandardFigures]
    at_risk: list[AtRisk]


def service_standards(
    fiscal_year: FiscalYear,
    quarter: int | None,
    program_id: UUID | None,
    grants: Grants,
    views: Views,
    today: date,
) -> ServiceStandards:
    """The cases whose clock stopped in the fiscal year (or one of its quarters), and
    those running now that are due within a week's business days, or overdue."""
    programs = [p for p in grants.programs() if program_id in (None, p.id)]
    first, last = (
        fiscal_year.quarter_days(quarter)
        if quarter
        else (fiscal_year.starts_on, fiscal_year.ends_on)
    )
    stopped: dict[tuple[UUID, Standard], list[tuple[date, date]]] = defaultdict(list)
    for case in views.standards.cases(first, last, program_id):
        assert case.ended_on is not None
        stopped[(case.program_id, case.standard)].append((case.started_on, case.ended_on))
    rows = []
    for program in programs:
        for standard in Standard:
            target = program.target(standard)
            spans = stopped[(program.id, standard)]
            met = sum(target.met(started, ended) for started, ended in spans)
            rows.append(
                StandardFigures(
                    program_id=program.id,
                    name_en=program.name_en,
                    name_fr=program.name_fr,
                    department=program.department,
                    standard=standard,
                    within=target.within,
                    unit=target.unit,
                    target_percent=target.percent,
                    cases=len(spans),
                    met=met,
                    percent_met=round(100 * met / len(spans), 1) if spans else None,
                    median_business_days=statistics.median(
                        business_days(started, ended) for started, ended in spans
                    )
                    if spans
                    else None,
                )
            )
    targets = {(p.id, s): p.target(s) for p in programs for s in Standard}
    warn_until = add_business_days(today, WARNING_BUSINESS_DAYS)
    at_risk = []
    for case in views.standards.open_cases(program_id):
        if (case.program_id, case.standard) not in targets:
            continue  # a program registered since the programs were read
        due_on = targets[(case.program_id, case.standard)].due_on(case.started_on)
        if due_on <= warn_until:
            at_risk.append(
                AtRisk(
                    program_id=case.program_id,
                    project_id=case.project_id,
                    case_id=case.case_id,
                    standard=case.standard,
                    started_on=case.started_on,
                    due_on=due_on,
                    overdue=due_on < today,
                )
            )
    at_risk.sort(key=lambda case: (case.due_on, str(case.case_id)))
    return ServiceStandards(fiscal_year=fiscal_year, quarter=quarter, rows=rows, at_risk=at_risk)
