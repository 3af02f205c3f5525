"""The organization that applies for and receives funding."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grants.domain.errors import InvalidValue

PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
_BUSINESS_NUMBER = re.compile(r"\d{9}([A-Z]{2}\d{4})?")
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class Recipient:
    legal_name: str
    province: str | None
    business_number: str | None = None
    country: str = "CA"

    def __post_init__(self) -> None:
        if not self.legal_name.strip():
            raise InvalidValue("the recipient needs a legal name", field="recipient.legal_name")
        if not _COUNTRY.fullmatch(self.country):
            raise InvalidValue(
                f"{self.country!r} is not an ISO 3166 two-letter country code",
                field="recipient.country",
            )
        if self.country == "CA" and self.province not in PROVINCES:
            raise InvalidValue(
                f"{self.province!r} is not a province or territory code ({', '.join(PROVINCES)})",
                field="recipient.province",
            )
        if self.business_number and not _BUSINESS_NUMBER.fullmatch(self.business_number):
            raise InvalidValue(
                "a business number is nine digits, optionally followed by a program "
                "account such as RR0001",
                field="recipient.business_number",
            )
