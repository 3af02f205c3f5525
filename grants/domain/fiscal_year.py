"""The Government of Canada's fiscal year: April 1 to March 31, written ``2021-22``."""

from __future__ import annotations

import re
from datetime import date

from grants.domain.errors import InvalidValue

_PATTERN = re.compile(r"(\d{4})-(\d{2})")


class InvalidFiscalYear(InvalidValue):
    code = "invalid_fiscal_year"


class FiscalYear(str):
    """A fiscal year, kept as its written form so that it stores, sorts and prints as
    people write it; constructing one validates it."""

    __slots__ = ()

    def __new__(cls, text: str) -> FiscalYear:
        match = _PATTERN.fullmatch(text)
        if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
            raise InvalidFiscalYear(
                f"{text!r} is not a fiscal year: write it as 2021-22 (April 2021 to March 2022)",
                field="fiscal_year",
            )
        return super().__new__(cls, text)

    @classmethod
    def starting(cls, year: int) -> FiscalYear:
        return cls(f"{year:04d}-{(year + 1) % 100:02d}")

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
