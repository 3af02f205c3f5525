"""The words of the web pages in the visitor's language (the gettext catalogues of
``grants.wording``), and money, numbers and dates written as people read them in each
language (``$1,234,567.89``, ``1 234 567,89 $``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from babel.dates import format_timedelta
from babel.numbers import format_decimal, format_percent

from grants import money, wording
from grants.domain.errors import DomainError
from grants.domain.reference import DEPARTMENTS, FRENCH_ACRONYMS, Pillar
from grants.wording import Language


class Named(Protocol):
    @property
    def name_en(self) -> str: ...
    @property
    def name_fr(self) -> str: ...


class Translator:
    """The words and formats of one language, for one request's pages."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def __call__(self, key: str, **values: Any) -> str:
        text = wording.gettext(self.language, key)
        return text.format(**values) if values else text

    def money(self, cents: int) -> str:
        return money.shown(cents, self.language)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=money.LOCALES[self.language])

    def percent(self, value: float) -> str:
        """A percentage given as a number from 0 to 100 (the report rounds to a tenth),
        as each language writes it: 66.7%, 66,7 %."""
        return format_percent(
            round(value / 100, 3), locale=money.LOCALES[self.language], decimal_quantization=False
        )

    def day(self, value: date | None) -> str:
        # ISO 8601 is the Government of Canada's numeric date in both languages.
        return value.isoformat() if value else ""

    def instant(self, value: datetime) -> str:
        return value.astimezone().strftime("%Y-%m-%d %H:%M")

    def wait(self, seconds: int) -> str:
        """A wait as people say it: ``30 seconds``, or in minutes rounded up from one
        minute on (a time of day would be the server's, not the reader's)."""
        span = timedelta(seconds=seconds) if seconds < 60 else timedelta(minutes=-(-seconds // 60))
        return format_timedelta(span, threshold=1, locale=money.LOCALES[self.language])

    def name(self, named: Named | Mapping[str, str] | Any) -> str:
        """The French or English name of anything that has both (an object or a row);
        the English one where the French is missing."""
        get = named.get if isinstance(named, Mapping) else lambda key: getattr(named, key, "")
        if self.language is Language.FR and (french := get("name_fr") or get("title_fr")):
            return str(french)
        return str(get("name_en") or get("title_en"))

    def pillar(self, code: str) -> str:
        return self.name(Pillar(code))

    def department(self, code: str) -> str:
        names = DEPARTMENTS.get(code)
        if names is None:
            return code
        return names[1] if self.language is Language.FR else names[0]

    def acronym(self, code: str) -> str:
        """A department's acronym as the page's language writes it: PS, SP."""
        return FRENCH_ACRONYMS.get(code, code) if self.language is Language.FR else code

    def refusal(self, error: DomainError) -> str:
        """Why a command was refused, in the page's language, its amounts written as
        the language writes them."""
        return wording.refusal(error, self.language)
