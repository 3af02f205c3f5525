"""The organization that applies for and receives funding."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grants.domain.countries import COUNTRIES
from grants.domain.errors import InvalidValue, rule
from grants.domain.values import text

# The provinces and territories by their postal codes, named in English and French.
PROVINCE_NAMES = {
    "AB": ("Alberta", "Alberta"),
    "BC": ("British Columbia", "Colombie-Britannique"),
    "MB": ("Manitoba", "Manitoba"),
    "NB": ("New Brunswick", "Nouveau-Brunswick"),
    "NL": ("Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    "NS": ("Nova Scotia", "Nouvelle-Écosse"),
    "NT": ("Northwest Territories", "Territoires du Nord-Ouest"),
    "NU": ("Nunavut", "Nunavut"),
    "ON": ("Ontario", "Ontario"),
    "PE": ("Prince Edward Island", "Île-du-Prince-Édouard"),
    "QC": ("Quebec", "Québec"),
    "SK": ("Saskatchewan", "Saskatchewan"),
    "YT": ("Yukon", "Yukon"),
}
PROVINCES = tuple(PROVINCE_NAMES)
_BUSINESS_NUMBER = re.compile(r"[0-9]{9}([A-Z]{2}[0-9]{4})?")


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
        if country not in COUNTRIES:
            raise InvalidValue(
                rule(
                    "{given} is not a country code of the open-data table (ISO 3166 two "
                    "letters, such as CA, US or GB)"
                ),
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
        if country != "CA" and province:
            raise InvalidValue(
                rule("a province or territory is given only for a recipient in Canada"),
                field="recipient.province",
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
