"""The Government of Canada's fiscal year: April 1 to March 31, written ``2021-22``."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from grants.domain.errors import InvalidValue, rule
from grants.domain.values import FIRST_YEAR, LAST_YEAR


class InvalidFiscalYear(InvalidValue):
    code = "invalid_fiscal_year"


class FiscalYear(str):
    """A fiscal year, kept as its written form so that it stores, sorts and prints as
    people write it; constructing one validates it."""

    __slots__ = ()

    def __new__(cls, text: str) -> FiscalYear:
        # Checked by hand rather than with a regular expression: every stored event
        # with a fiscal year makes one, and a rebuild reads millions. ASCII digits only:
        # str.isdigit() and int() also take Arabic-Indic digits and superscripts.
        if not (
            isinstance(text, str)
            and len(text) == 7
            and text.isascii()
            and text[4] == "-"
            and text[:4].isdigit()
            and text[5:].isdigit()
            and (int(text[:4]) + 1) % 100 == int(text[5:])
            and FIRST_YEAR <= int(text[:4]) <= LAST_YEAR
        ):
            raise InvalidFiscalYear(
                rule(
                    "{given} is not a fiscal year: write it as 2021-22 (April 2021 to March "
                    "2022), from {first} to {last}"
                ),
                field="fiscal_year",
                given=repr(text)[:40],
                first=f"{FIRST_YEAR}-{(FIRST_YEAR + 1) % 100:02d}",
                last=f"{LAST_YEAR}-{(LAST_YEAR + 1) % 100:02d}",
            )
        return super().__new__(cls, text)

    @classmethod
    def starting(cls, year: int) -> FiscalYear:
        return _starting(year)

    @classmethod
    def of(cls, day: date) -> FiscalYear:
        """The fiscal year a date falls in."""
        return cls.starting(day.year if day.month >= 4 else day.year - 1)

    @property
    def start_year(self) -> int:
        return int(self[:4])

    @property
    def starts_on(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def ends_on(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def next(self) -> FiscalYear:
        return FiscalYear.starting(self.start_year + 1)

    def quarter_days(self, quarter: int) -> tuple[date, date]:
        """The first and last days of a quarter of the year (1 to 4)."""
        first = date(self.start_year + (quarter == 4), (4, 7, 10, 1)[quarter - 1], 1)
        after = date(first.year + 1, 1, 1) if quarter == 3 else first.replace(month=first.month + 3)
        return first, after - timedelta(days=1)

    @staticmethod
    def quarter(day: date) -> int:
        """The fiscal quarter a day falls in: April to June is the first."""
        return (day.month - 4) % 12 // 3 + 1


@cache
def _starting(year: int) -> FiscalYear:
    # Views work out the fiscal year of millions of days, of a hundred or so years.
    return FiscalYear(f"{year:04d}-{(year + 1) % 100:02d}")
