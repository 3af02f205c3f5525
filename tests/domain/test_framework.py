"""The Strategy's results framework and spending plan, kept by its team: the story of
defining an indicator, setting its targets, hearing from partner departments, retiring
it; and the plan of spending, amended with reasons."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from grants.domain.errors import InvalidValue, UnknownIndicator
from grants.domain.fiscal_year import FiscalYear
from grants.domain.framework import (
    Direction,
    Framework,
    Frequency,
    Names,
    NoTarget,
    RetiredIndicator,
)
from grants.domain.reference import Pillar
from grants.domain.spending import SpendingPlan
from grants.domain.targets import TargetKind

ON = date(2022, 5, 1)
Y1 = FiscalYear("2021-22")
SASHA: dict[str, Any] = {"actor": "sasha", "effective_on": ON}


def framework() -> Framework:
    kept = Framework.open(**SASHA)
    kept.define_expected_result(
        code="victims_protected",
        pillar=Pillar.PROTECTION,
        name_en="Victims are protected",
        name_fr="Les victimes sont protégées",
        **SASHA,
    )
    kept.define_indicator(
        code="permits",
        expected_result="victims_protected",
        name_en="Temporary resident permits to victims",
        name_fr="Permis de séjour temporaire aux victimes",
        definition_en="Permits issued in the fiscal year.",
        definition_fr="Permis délivrés dans l'exercice.",
        unit="permits",
        direction=Direction.MAINTAIN,
        data_source="IRCC",
        owner="IRCC",
        frequency=Frequency.ANNUAL,
        baseline=None,
        baseline_on=None,
        **SASHA,
    )
    return kept


def test_an_indicator_takes_the_pillar_of_its_expected_result() -> None:
    assert framework().indicators["permits"].pillar is Pillar.PROTECTION


def test_a_later_report_for_the_same_period_replaces_the_earlier_and_says_so() -> None:
    kept = framework()
    report: dict[str, Any] = {
        "indicator": "permits",
        "department": "IRCC",
        "source": "DRR",
        "note": "",
    }
    kept.report_result(**report, fiscal_year=Y1, starts_on=None, ends_on=None, value=80, **SASHA)
    kept.report_result(**report, fiscal_year=Y1, starts_on=None, ends_on=None, value=81, **SASHA)
    latest = kept.pending_events[-1]
    assert isinstance(latest, Framework.DepartmentalResultReported)
    assert (latest.value, latest.replaced) == (81, 80)
    assert list(kept.results.values()) == [81]


def test_a_dated_result_counts_in_the_fiscal_year_it_ends_in() -> None:
    kept = framework()
    kept.report_result(
        indicator="permits",
        department="IRCC",
        fiscal_year=None,
        starts_on=date(2021, 4, 1),
        ends_on=date(2023, 3, 31),
        value=247,
        source="002",
        note="",
        **SASHA,
    )
    [(_, _, period)] = kept.results
    assert period.fiscal_year == "2022-23"
    with pytest.raises(InvalidValue):
        kept.report_result(
            indicator="permits",
            department="IRCC",
            fiscal_year=Y1,
            starts_on=date(2021, 4, 1),
            ends_on=None,
            value=1,
            source="x",
            note="",
            **SASHA,
        )


def test_results_and_targets_name_an_indicator_of_the_framework() -> None:
    with pytest.raises(UnknownIndicator):
        framework().set_target(
            indicator="nothing",
            fiscal_year=Y1,
            kind=TargetKind.MINIMUM,
            low=1,
            high=None,
            achieve_by=None,
            **SASHA,
        )


def test_a_date_to_achieve_falls_in_the_year_of_its_target() -> None:
    kept = framework()
    target: dict[str, Any] = {
        "indicator": "permits",
        "kind": TargetKind.MINIMUM,
        "low": 60,
        "high": None,
    }
    kept.set_target(**target, fiscal_year=Y1, achieve_by=date(2021, 12, 31), **SASHA)
    assert kept.targets[("permits", Y1)].achieve_by == date(2021, 12, 31)
    with pytest.raises(InvalidValue):
        kept.set_target(**target, fiscal_year=Y1, achieve_by=date(2022, 4, 1), **SASHA)


def test_only_a_result_with_a_target_is_explained_and_in_a_thousand_characters() -> None:
    kept = framework()
    explained: dict[str, Any] = {
        "indicator": "permits",
        "fiscal_year": Y1,
        "explanation_fr": "Moins de cas.",
    }
    with pytest.raises(NoTarget):
        kept.explain_result(**explained, explanation_en="Fewer cases.", **SASHA)
    kept.set_target(
        indicator="permits",
        fiscal_year=Y1,
        kind=TargetKind.MINIMUM,
        low=100,
        high=None,
        achieve_by=None,
        **SASHA,
    )
    with pytest.raises(InvalidValue, match="at most"):
        kept.explain_result(**explained, explanation_en="x" * 1001, **SASHA)
    kept.explain_result(**explained, explanation_en="x" * 1000, **SASHA)


def test_a_retired_indicator_keeps_its_history_and_takes_no_new_target() -> None:
    kept = framework()
    kept.retire_indicator(code="permits", reason="An output, not an outcome.", **SASHA)
    assert kept.indicators["permits"].retired == "An output, not an outcome."
    with pytest.raises(RetiredIndicator):
        kept.set_target(
            indicator="permits",
            fiscal_year=Y1,
            kind=TargetKind.EXACT,
            low=1,
            high=None,
            achieve_by=None,
            **SASHA,
        )


def test_projects_report_against_the_indicators_in_use_named_as_the_framework_names_them() -> None:
    kept = framework()
    assert kept.in_use == ("permits",)
    kept.retire_indicator(code="permits", reason="An output, not an outcome.", **SASHA)
    assert not kept.in_use
    # Retired, it is still named; a code reported before the framework, by itself.
    assert kept.indicator_names("permits").name_fr == "Permis de séjour temporaire aux victimes"
    assert kept.indicator_names("referrals") == Names("referrals", "referrals")


def test_planned_spending_is_amended_only_with_a_reason() -> None:
    plan = SpendingPlan.open(**SASHA)
    line: dict[str, Any] = {"department": "CBSA", "pillar": Pillar.PROTECTION, "fiscal_year": Y1}
    plan.plan(**line, amount_cents=100_000_00, reason="", **SASHA)
    with pytest.raises(InvalidValue, match="amended"):
        plan.plan(**line, amount_cents=90_000_00, reason=" ", **SASHA)
    plan.plan(**line, amount_cents=90_000_00, reason="Reprofiled to 2022-23", **SASHA)
    amended = plan.pending_events[-1]
    assert isinstance(amended, SpendingPlan.PlannedSpendingSet)
    assert (amended.previous_cents, amended.amount_cents) == (100_000_00, 90_000_00)
