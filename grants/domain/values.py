"""The limits of every value a command carries, whoever sends it (the API, the pages, the
ledger reader, the command line): amounts and counts in a range every table, view and
export can hold, text that PostgreSQL can store and people can read, days within the
span of fiscal years the tracker knows. Written once here; the API's schema shows them.

Nothing outside these limits is ever recorded: an event is folded by every view and
published by the exports, so one unstorable value would stop them all."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from grants.domain.errors import InvalidAmount, InvalidDates, InvalidValue, rule

# $100 billion: above any program's budget, far below PostgreSQL's bigint even when a
# view adds up every year of a program.
MAX_CENTS = 10**13
# An indicator's value in one report: people, tips, impressions.
MAX_COUNT = 10**12

# Names, titles, references, codes: one line.
NAME_LENGTH = 300
# Descriptions, reasons, recommendations, notes: a few paragraphs.
TEXT_LENGTH = 4000

# The fiscal years the tracker knows: the Strategy's programs start in 2019-20 and the
# oldest records anyone keeps are well after 1990; 2100-01 leaves room for any plan.
FIRST_YEAR = 1990
LAST_YEAR = 2100
FIRST_DAY = date(FIRST_YEAR, 4, 1)
LAST_DAY = date(LAST_YEAR + 1, 3, 31)

# Control characters (C0, DEL, C1) cannot be typed, printed or stored as text (PostgreSQL
# refuses NUL); multi-line text keeps tabs and line breaks.
ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
# The same, with one character at least that is not a space.
REQUIRED_LINE = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
REQUIRED_LINES = (
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f]"
    r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def cents(value: int, *, field: str) -> int:
    """An amount: whole cents from 0 to ``MAX_CENTS``."""
    if type(value) is not int:
        raise InvalidAmount(rule("an amount is a whole number of cents"), field=field)
    if not 0 <= value <= MAX_CENTS:
        raise InvalidAmount(
            rule("an amount is from {least_cents} to {most_cents}, not {given_cents}"),
            field=field,
            least_cents=0,
            most_cents=MAX_CENTS,
            given_cents=value,
        )
    return value


def count(value: int, *, field: str) -> int:
    """A counted result: a whole number from 0 to ``MAX_COUNT``."""
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise InvalidValue(
            rule("a count is a whole number from 0 to {most}"), field=field, most=MAX_COUNT
        )
    return value


def text(
    value: str,
    *,
    field: str,
    max_length: int = NAME_LENGTH,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """Text as it is kept: Unicode NFC (so that one word has one spelling), without
    surrounding spaces, line breaks as ``\\n`` where allowed, and no control character."""
    if not isinstance(value, str):
        raise InvalidValue(rule("text is expected"), field=field)
    written = unicodedata.normalize("NFC", value)
    if multiline:
        written = written.replace("\r\n", "\n").replace("\r", "\n")
    written = written.strip()
    control = (_CONTROL_BUT_LINES if multiline else _CONTROL).search(written)
    if control:
        character = f"U+{ord(control[0]):04X}"
        raise InvalidValue(
            rule("the control character {character} cannot be kept in text"),
            field=field,
            character=character,
        )
    if len(written) > max_length:
        raise InvalidValue(
            rule("at most {most} characters, not {given}"),
            field=field,
            most=max_length,
            given=len(written),
        )
    if required and not written:
        raise InvalidValue(rule("required: it cannot be empty"), field=field)
    return written


def day(value: date, *, field: str) -> date:
    """A day within the fiscal years the tracker knows."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InvalidDates(
            rule("a day from {first_on} to {last_on}, not {given_on}"),
            field=field,
            first_on=FIRST_DAY,
            last_on=LAST_DAY,
            given_on=value,
        )
    return value


def not_after(value: date, today: date, *, field: str) -> date:
    """A day a fact took effect on: today or before. A payment made, a decision taken
    or an agreement signed tomorrow is not a fact yet."""
    if value > today:
        raise InvalidDates(
            rule(
                "{given_on} is in the future: record it on the day it happens "
                "({today_on} or before)"
            ),
            field=field,
            given_on=value,
            today_on=today,
        )
    return value
