"""What the Government of Canada publishes about an agreement (proactive disclosure of
grants and contributions), captured when it is signed, with the publication's own
rules: which fields it requires depends on when the agreement starts."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from grants.domain.errors import InvalidValue, rule
from grants.domain.values import NAME_LENGTH, TEXT_LENGTH, text

# The publication's recipient types: for-profit, not-for-profit and charities,
# academia, Indigenous recipients, government, international, individuals, other.
RECIPIENT_TYPES = ("F", "N", "S", "A", "G", "I", "P", "O")

# Fields the publication requires from these agreement start dates on.
_REQUIRED_FROM = (
    (date(2018, 4, 1), ("recipient_city", "description_en", "description_fr")),
    (date(2025, 12, 1), ("recipient_type", "expected_results_en", "expected_results_fr")),
)
# Formats it checks from this date on.
_FORMATS_FROM = date(2025, 12, 1)
_POSTAL_CODE = re.compile(r"[A-Z][0-9][A-Z] [0-9][A-Z][0-9]")
# The table's "natural numbers": digits without a leading zero.
_RIDING_NUMBER = re.compile(r"[1-9][0-9]{4}")
_BUSINESS_NUMBER = re.compile(r"[1-9][0-9]{8}")
_NAICS = re.compile(r"[0-9]{3,6}")
# Fields of a few paragraphs; the others are names and codes.
PARAGRAPHS = frozenset(
    {
        "description_en",
        "description_fr",
        "expected_results_en",
        "expected_results_fr",
        "additional_information_en",
        "additional_information_fr",
    }
)


@dataclass(frozen=True)
class Disclosure:
    agreement_number: str = ""
    recipient_type: str = ""
    recipient_legal_name_fr: str = ""
    recipient_operating_name: str = ""
    recipient_city: str = ""
    recipient_postal_code: str = ""
    federal_riding_name_en: str = ""
    federal_riding_name_fr: str = ""
    federal_riding_number: str = ""
    description_en: str = ""
    description_fr: str = ""
    expected_results_en: str = ""
    expected_results_fr: str = ""
    naics_identifier: str = ""
    coverage: str = ""
    additional_information_en: str = ""
    additional_information_fr: str = ""

    @classmethod
    def written(cls, **given: str) -> Disclosure:
        """The disclosure as the publication writes it: single spaces, postal codes in
        capitals with their space."""
        written = {name: " ".join(_text(name, value).split()) for name, value in given.items()}
        if postal_code := written.get("recipient_postal_code"):
            code = postal_code.upper().replace(" ", "")
            written["recipient_postal_code"] = f"{code[:3]} {code[3:]}"
        return cls(**written)

    def as_published(self) -> Disclosure:
        """The disclosure as the publication writes it (``written``)."""
        return Disclosure.written(**{name: getattr(self, name) for name in DISCLOSURE_FIELDS})

    def check(self, start_on: date, business_number: str | None = None) -> None:
        """The publication's rules for an agreement starting on ``start_on``, with a
        recipient of that business number: they hold for the agreement's whole life,
        since the table publishes every amendment under the initial start date."""
        for name in DISCLOSURE_FIELDS:
            _text(name, getattr(self, name))
        for name in ("federal_riding_name_en", "federal_riding_name_fr"):
            if (self.federal_riding_name_en or self.federal_riding_name_fr) and not getattr(
                self, name
            ):
                raise InvalidValue(
                    rule("the federal riding is named in English and in French"),
                    field=f"disclosure.{name}",
                )
        for name in self.missing(start_on):
            raise missing_error(name)
        if self.recipient_type and self.recipient_type not in RECIPIENT_TYPES:
            raise InvalidValue(
                rule("{given} is not one of the publication's recipient types ({codes})"),
                field="disclosure.recipient_type",
                given=repr(self.recipient_type),
                codes=RECIPIENT_TYPES,
            )
        if "," in self.agreement_number:
            raise InvalidValue(
                rule("the publication allows no comma in an agreement number"),
                field="disclosure.agreement_number",
            )
        if start_on < _FORMATS_FROM:
            return
        formats = (
            (
                "recipient_postal_code",
                _POSTAL_CODE,
                rule("{given} is not a Canadian postal code such as K1A 0B1"),
            ),
            (
                "federal_riding_number",
                _RIDING_NUMBER,
                rule("{given} is not a five-digit riding number (its first digit is not 0)"),
            ),
            (
                "naics_identifier",
                _NAICS,
                rule("{given} is not a NAICS code of three to six digits"),
            ),
        )
        for name, pattern, template in formats:
            value = getattr(self, name)
            if value and not pattern.fullmatch(value):
                raise InvalidValue(template, field=f"disclosure.{name}", given=repr(value))
        if business_number and not _BUSINESS_NUMBER.fullmatch(business_number[:9]):
            raise InvalidValue(
                rule(
                    "the open-data table publishes business numbers of nine digits not "
                    "starting with 0 for agreements starting on or after {since_on}"
                ),
                field="recipient.business_number",
                since_on=_FORMATS_FROM,
            )

    def missing(self, start_on: date) -> list[str]:
        """The fields the publication requires of an agreement starting on ``start_on``
        and this disclosure leaves empty."""
        return [
            name
            for since, required in _REQUIRED_FROM
            for name in required
            if start_on >= since and not getattr(self, name)
        ]


def required_since(name: str) -> date | None:
    """From which agreement start date the publication requires the field, if it does."""
    return next((since for since, required in _REQUIRED_FROM if name in required), None)


def missing_error(name: str) -> InvalidValue:
    """The refusal of a field the publication requires, left empty."""
    since = next(since for since, required in _REQUIRED_FROM if name in required)
    return InvalidValue(
        rule("required for the open-data disclosure of agreements starting on or after {since_on}"),
        field=f"disclosure.{name}",
        since_on=since,
    )


DISCLOSURE_FIELDS = tuple(field.name for field in fields(Disclosure))


def _text(name: str, value: str) -> str:
    paragraphs = name in PARAGRAPHS
    return text(
        value,
        field=f"disclosure.{name}",
        max_length=TEXT_LENGTH if paragraphs else NAME_LENGTH,
        multiline=paragraphs,
    )
