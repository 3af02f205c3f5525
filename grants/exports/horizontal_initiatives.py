"""The Strategy's file for the Horizontal Initiatives Database (TBS): its tables, each
keyed by the initiative's code and the fiscal year, as CSV files in a zip. The columns
follow the database's data dictionary (``tests/schemas/hid-horizontal-initiatives.yaml``);
the dictionary writes amounts in dollars and the tables in English."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date

from grants import money
from grants.domain.framework import Framework
from grants.domain.reference import DEPARTMENTS, Pillar
from grants.domain.targets import Status
from grants.finance.downloads import Download
from grants.projections.performance import IndicatorRow, SpendingRow
from grants.spreadsheet import csv_text

# TBS gives each horizontal initiative a four-digit code: a PLACEHOLDER until the
# Strategy's is known.
HI_CODE = "0000"
NAME = "National Strategy to Combat Human Trafficking"
DESCRIPTION = (
    "A whole-of-government strategy to empower victims and survivors, prevent human "
    "trafficking, protect those at risk, prosecute offenders and work in partnership, "
    "in Canada and abroad."
)
LEAD = "PS"
STARTS_ON, ENDS_ON = date(2019, 4, 1), date(2024, 3, 31)
GOVERNANCE = "Led by Public Safety Canada with its partner departments."

_STATUS = {
    Status.MET: "Met",
    Status.NOT_MET: "Not met",
    Status.FUTURE: "Future date",
    Status.NO_DATA: "No data",
}
_TARGET_TYPE = {"exact": "Exact", "minimum": "Minimum", "maximum": "Maximum", "range": "Range"}

GENERAL = (
    "HI Code",
    "Fiscal year",
    "Name of Horizontal Initiative",
    "Description of the Horizontal Initiative",
    "Department Code",
    "Lead Department",
    "Original Start Date of the horizontal initiative",
    "End Date of the horizontal initiative",
    "Total Federal Allocation (from start date to end date) for the initiative as a whole "
    "(dollars)",
    "Governance Structures",
    "Fiscal year of next planned evaluation",
    "Performance Information",
)
PARTNERS = (
    "HI Code",
    "Fiscal year",
    "Department Code",
    "Federal Organization",
    "Pillar",
    "Planned Spending (dollars)",
    "Actual Spending (dollars)",
)
EXPECTED_RESULTS = ("HI Code", "Fiscal year", "Expected Result Code", "Pillar", "Expected Result")
INDICATORS = (
    "HI Code",
    "Fiscal year",
    "Expected Result Code",
    "Indicator Code",
    "Performance Indicator",
    "Department Code",
    "Target Type",
    "Target",
    "Minimum Target",
    "Maximum Target",
    "Date to Achieve Target",
    "Actual Results",
    "Result Status",
    "Explanation",
)


def horizontal_initiative_zip(
    fiscal_year: str,
    framework: Framework,
    spending: Sequence[SpendingRow],
    indicators: Sequence[IndicatorRow],
    planned_total_cents: int,
) -> Download[bytes]:
    """The fiscal year's tables: ``spending`` and ``indicators`` are the performance
    view's rows of that year; ``planned_total_cents`` all the Strategy's planned money."""
    key = (HI_CODE, fiscal_year)
    general = [
        (
            *key,
            NAME,
            DESCRIPTION,
            LEAD,
            DEPARTMENTS[LEAD][0],
            STARTS_ON.isoformat(),
            ENDS_ON.isoformat(),
            money.plain(planned_total_cents),
            GOVERNANCE,
            "",
            "",
        )
    ]
    partners = [
        (
            *key,
            row.department,
            DEPARTMENTS.get(row.department, (row.department,))[0],
            Pillar(row.pillar).name_en,
            money.plain(row.planned_cents),
            money.plain(row.spent_cents),
        )
        for row in spending
    ]
    results = [
        (*key, result.code, result.pillar.name_en, result.name_en)
        for result in framework.expected_results.values()
    ]
    measured = [_indicator(key, framework, row) for row in indicators]
    tables: dict[str, tuple[Sequence[str], Sequence[Sequence[str]]]] = {
        "general": (GENERAL, general),
        "partners": (PARTNERS, partners),
        "expected_results": (EXPECTED_RESULTS, results),
        "indicators": (INDICATORS, measured),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as files:
        for name, (header, rows) in tables.items():
            files.writestr(f"hi-{HI_CODE}-{fiscal_year}-{name}.csv", csv_text(header, rows))
    return Download(f"horizontal-initiative-{fiscal_year}.zip", "application/zip", out.getvalue())


def _indicator(key: tuple[str, str], framework: Framework, row: IndicatorRow) -> tuple[str, ...]:
    target = row.target
    kind = target.kind.value if target else ""
    low = "" if target is None or kind == "maximum" else str(target.low)
    high = "" if target is None or kind in ("exact", "minimum") else str(target.high)
    return (
        *key,
        framework.indicators[row.code].expected_result,
        row.code,
        row.name_en,
        row.owner,
        _TARGET_TYPE.get(kind, ""),
        low if kind in ("exact", "minimum") else "",
        low if kind == "range" else "",
        high,
        target.achieve_by.isoformat() if target else "",
        "" if row.actual is None else str(row.actual),
        _STATUS[row.status],
        row.explanation_en,
    )
