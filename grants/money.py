"""Money, always in cents, as people read and type it in English and French (Babel's
CLDR data for Canada: ``$1,234.56``, ``1 234,56 $``), as the financial system's ledgers
write it, and as the files the tracker writes it (``1234.56``). Never through a float.

Typed on a page, an amount is read strictly by the page's language: ``250 000,00 $``
typed on an English page is refused with how to write it, never taken for $25,000,000.00.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_currency, format_decimal

# The Government of Canada's two languages, as CLDR writes them for Canada.
LOCALES = {"en": "en_CA", "fr": "fr_CA"}

# Spaces people and exports put between thousands: ordinary, no-break, narrow no-break,
# thin; and the apostrophe some exports use.
_SPACES = " \u00a0\u202f\u2009"
_TYPED = {
    # 1,234.56 or 1234.56, the dollar sign before or after.
    "en": re.compile(
        r"\$?\s*(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<cents>[0-9]{1,2}))?\s*\$?"
    ),
    # 1 234,56 or 1234,56, the dollar sign after (or before).
    "fr": re.compile(
        rf"\$?\s*(?P<whole>[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+|[0-9]+)"
        rf"(?:,(?P<cents>[0-9]{{1,2}}))?[{_SPACES}]*\$?"
    ),
}
_EXAMPLES = {"en": ("1,234.56", "1234.56"), "fr": ("1 234,56", "1234,56")}


class AmountUnreadable(ValueError):
    """An amount that cannot be read without guessing; says how to write it."""

    def __init__(self, typed: str, language: str) -> None:
        grouped, plain_form = _EXAMPLES[language]
        super().__init__(f"{typed[:40]!r} is not an amount: write it as {grouped} or {plain_form}")
        self.examples = (grouped, plain_form)


def shown(cents: int, language: str) -> str:
    """An amount as people read it: ``$1,234.56``, ``1 234,56 $``."""
    return format_currency(Decimal(cents).scaleb(-2), "CAD", locale=LOCALES[language])


def editable(cents: int, language: str) -> str:
    """An amount as a form shows it to be typed over: ``1,234.56``, ``1 234,56``."""
    return format_decimal(Decimal(cents).scaleb(-2), format="#,##0.00", locale=LOCALES[language])


def plain(cents: int) -> str:
    """An amount as files write it, whatever the language: ``1234.56``, ``-5.00``."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def typed(text: str, language: str) -> int:
    """Cents from an amount typed in dollars on a page in ``language``: in English
    ``1,234.56`` or ``1234.56``, in French ``1 234,56`` or ``1234,56``, with or without
    the dollar sign. A comma in an English amount followed by other than three digits,
    a space inside it, more than two decimals, or the other language's separators are
    refused (``AmountUnreadable``), never guessed."""
    found = _TYPED[language].fullmatch(text.strip())
    if found is None:
        raise AmountUnreadable(text, language)
    whole = re.sub(rf"[,{_SPACES}]", "", found["whole"])
    return int(whole) * 100 + int((found["cents"] or "0").ljust(2, "0"))


# A ledger's amounts: either language's grouping, negative with a minus or in parentheses.
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:\.[0-9]{3})+")
_DIGITS = re.compile(r"[0-9]+")
_LEDGER_SPACES = str.maketrans("", "", _SPACES + "'")


def from_ledger(written: str) -> int:
    """Cents from an amount as a financial system's export writes it, in either
    language: ``1234.56``, ``1,234.56``, ``$1,234.56``, ``1 234,56 $`` or ``1.234,56``;
    negative with a minus sign (before or after) or in parentheses. A ledger has no page
    language, so its separators are told apart by position: the last comma or point is
    the decimal one when one or two digits follow it and it does not group thousands
    (``1,234``)."""
    figure = written.translate(_LEDGER_SPACES).replace("$", "")
    if figure.startswith("(") and figure.endswith(")"):
        negative, figure = True, figure[1:-1]
    else:
        # SAP's exports put the minus after the figure: 1.234,56-
        negative = figure.startswith("-") or figure.endswith("-")
        figure = figure[1:] if figure.startswith("-") else figure.removesuffix("-")
    whole, cents = figure, ""
    separator = max(figure.rfind(","), figure.rfind("."))
    if separator >= 0 and not _GROUPED.fullmatch(figure) and len(figure) - separator - 1 <= 2:
        whole, cents = figure[:separator], figure[separator + 1 :]
    if _GROUPED.fullmatch(whole):
        whole = whole.replace(",", "").replace(".", "")
    if not _DIGITS.fullmatch(whole) or (cents and not _DIGITS.fullmatch(cents)):
        raise ValueError(
            f"{written[:40]!r} is not an amount such as 1234.56, $1,234.56 or 1 234,56"
        )
    amount = int(whole) * 100 + int(cents.ljust(2, "0") or 0)
    return -amount if negative else amount
