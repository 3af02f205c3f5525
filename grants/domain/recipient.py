"""The organization that applies for and receives funding."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grants.domain.errors import InvalidValue, rule
from grants.domain.values import text

PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
_BUSINESS_NUMBER = re.compile(r"[0-9]{9}([A-Z]{2}[0-9]{4})?")
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class Recipient:
    legal_name: str
    province: str | None
    business_number: str | None = None
    country: str = "CA"

    def checked(self) -> Recipient:
        """The recipient as an application records it, or the rule it breaks. Checked
        when an application is received, never when a stored event is read again: a
        rule added later must not make history unreadable."""
        legal_name = text(self.legal_name, field="recipient.legal_name", required=True)
        country = text(self.country, field="recipient.country")
        if not _COUNTRY.fullmatch(country):
            raise InvalidValue(
                rule("{given} is not an ISO 3166 two-letter country code"),
                field="recipient.country",
                given=repr(country[:20]),
            )
        province = text(self.province, field="recipient.province") if self.province else None
        if country == "CA" and province not in PROVINCES:
            raise InvalidValue(
                rule("{given} is not a province or territory code ({codes})"),
                field="recipient.province",
                given=repr((province or "")[:20]),
                codes=PROVINCES,
            )
        business_number = self.business_number or None
        if business_number and not _BUSINESS_NUMBER.fullmatch(business_number):
            raise InvalidValue(
                rule(
                    "a business number is nine digits, optionally followed by a program "
                    "account such as RR0001"
                ),
                field="recipient.business_number",
            )
        return Recipient(legal_name, province or None, business_number, country)
