"""A cash flow: the cents a project may receive in each fiscal year."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from grants.domain.errors import InvalidCashFlow, InvalidValue, rule
from grants.domain.fiscal_year import FiscalYear
from grants.domain.values import cents

CashFlow = dict[FiscalYear, int]


def cash_flow(lines: Iterable[tuple[str, int]]) -> CashFlow:
    """Builds a cash flow from (fiscal year, cents) lines: at least one line, each
    amount positive, each fiscal year once."""
    flow: CashFlow = {}
    for index, (year, amount) in enumerate(lines):
        try:
            fiscal_year = FiscalYear(year)
        except InvalidValue as error:
            error.field = f"cash_flow[{index}].fiscal_year"
            raise
        if cents(amount, field=f"cash_flow[{index}].amount_cents") <= 0:
            raise InvalidCashFlow(
                rule("the amount for {fiscal_year} must be more than zero"),
                field=f"cash_flow[{index}].amount_cents",
                fiscal_year=fiscal_year,
            )
        if fiscal_year in flow:
            raise InvalidCashFlow(
                rule("{fiscal_year} appears twice in the cash flow"),
                field=f"cash_flow[{index}].fiscal_year",
                fiscal_year=fiscal_year,
            )
        flow[fiscal_year] = amount
    if not flow:
        raise InvalidCashFlow(rule("a cash flow needs at least one fiscal year"), field="cash_flow")
    return dict(sorted(flow.items()))


def changes(before: Mapping[FiscalYear, int], after: Mapping[FiscalYear, int]) -> CashFlow:
    """The change in each fiscal year from one cash flow to another, zeros left out."""
    years = sorted(set(before) | set(after))
    deltas = {year: after.get(year, 0) - before.get(year, 0) for year in years}
    return {year: delta for year, delta in deltas.items() if delta}
