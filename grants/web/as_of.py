"""The "as of" date picker of the dashboard, the year-end and the project page: a GET
form field ``as_of``, left empty for today."""

from __future__ import annotations

from datetime import date

from litestar.exceptions import ValidationException

from grants.moments import Moment


def asked(as_of: str | None) -> Moment:
    """The day a page was asked as of (its field sent empty: today, as it stands)."""
    if not as_of:
        return Moment()
    try:
        return Moment(as_of=date.fromisoformat(as_of))
    except ValueError:
        raise ValidationException(f"as_of: not a day written YYYY-MM-DD: {as_of!r}") from None
