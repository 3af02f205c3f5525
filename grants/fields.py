"""The domain's limits (``grants.domain.values``) as the types of commands' fields: msgspec
checks them when a request's body is decoded into a command, and the OpenAPI schema
shows them."""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import Meta

from grants.domain.fiscal_year import FiscalYear
from grants.domain.values import (
    MAX_CENTS,
    MAX_COUNT,
    MULTI_LINE,
    NAME_LENGTH,
    ONE_LINE,
    REQUIRED_LINE,
    REQUIRED_LINES,
    TEXT_LENGTH,
)

Cents = Annotated[
    int,
    Meta(
        ge=0,
        le=MAX_CENTS,
        description="An amount in whole cents (CAD), a JSON integer: $100 billion at most",
    ),
]
Count = Annotated[int, Meta(ge=0, le=MAX_COUNT, description="A count, a JSON integer")]
Percent = Annotated[int, Meta(ge=0, le=100)]
DEPARTMENT = "^[A-Z]{2,6}$"
DepartmentCode = Annotated[
    str, Meta(pattern=DEPARTMENT, description="PS, WAGE, JUS, ESDC or another code")
]
# Text: a name, title, reference or code on one line; or a few paragraphs. Required
# text has something besides spaces.
Name = Annotated[str, Meta(max_length=NAME_LENGTH, pattern=ONE_LINE)]
RequiredName = Annotated[str, Meta(min_length=1, max_length=NAME_LENGTH, pattern=REQUIRED_LINE)]
Paragraphs = Annotated[str, Meta(max_length=TEXT_LENGTH, pattern=MULTI_LINE)]
RequiredParagraphs = Annotated[
    str, Meta(min_length=1, max_length=TEXT_LENGTH, pattern=REQUIRED_LINES)
]


def decode_fiscal_year(kind: type, value: Any) -> Any:
    """Fiscal years are made by the domain's constructor, whose error names the rule."""
    if kind is FiscalYear:
        return FiscalYear(value)
    raise NotImplementedError(kind)
