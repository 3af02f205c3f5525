from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.domain.fiscal_year import FiscalYear, InvalidFiscalYear
from grants.domain.values import FIRST_DAY, LAST_DAY


def test_a_fiscal_year_is_written_with_consecutive_years() -> None:
    assert FiscalYear("2021-22").start_year == 2021
    assert FiscalYear("1999-00").next() == "2000-01"


@pytest.mark.parametrize(
    "text",
    [
        "2021-23",
        "2021-2022",
        "21-22",
        "2021/22",
        "",
        "2021-22 ",
        "\u0662\u0660\u0662\u0666-27",  # Arabic-Indic digits: isdigit() and int() take them
        "\u00b2\u2070\u00b2\u2076-27",  # superscripts
        "9999-00",
        "0000-01",
        "1989-90",
        "2101-02",
    ],
)
def test_anything_else_is_refused_with_the_field_named(text: str) -> None:
    with pytest.raises(InvalidFiscalYear) as refused:
        FiscalYear(text)
    assert refused.value.field == "fiscal_year"


def test_the_year_turns_on_april_first() -> None:
    assert FiscalYear.of(date(2022, 3, 31)) == "2021-22"
    assert FiscalYear.of(date(2022, 4, 1)) == "2022-23"


def test_the_span_runs_from_1990_91_to_2100_01() -> None:
    assert FiscalYear.of(FIRST_DAY) == "1990-91"
    assert FiscalYear.of(LAST_DAY) == "2100-01"


@given(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_every_day_falls_in_the_fiscal_year_that_contains_it(day: date) -> None:
    year = FiscalYear.of(day)
    assert year.starts_on <= day <= year.ends_on
    assert FiscalYear(str(year)) == year
