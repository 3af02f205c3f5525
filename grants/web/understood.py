"""What the server reads a typed amount as, for the pages to show beside the field
before a form is sent ("= $250,000.00"): the same reading the form will make, in the
page's language, so a person sees "250 000,00 $" refused on an English page rather than
recorded as something else."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get

from grants import money
from grants.domain.errors import DomainError
from grants.domain.values import cents
from grants.http_values import TextQuery
from grants.web.layout import translator


class Understood(msgspec.Struct, omit_defaults=True):
    understood: str | None = None
    refused: str | None = None
    # For a running total of several amounts.
    cents: int | None = None


@get("/money/understood")
async def understood(request: Request[Any, Any, Any], value: TextQuery = None) -> Understood:
    t = translator(request)
    if not value or not value.strip():
        return Understood()
    try:
        amount = cents(money.typed(value, t.language), field="amount")
    except money.AmountUnreadable:
        return Understood(refused=t("error.money"))
    except DomainError as error:
        return Understood(refused=t.refusal(error))
    return Understood(understood=f"= {t.money(amount)}", cents=amount)


UNDERSTOOD_PAGES = [understood]
