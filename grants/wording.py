"""The tracker's words in English and French: gettext catalogues
(``grants/locale/<language>/LC_MESSAGES/grants.po``, read with Babel), and refusals worded
from their template and figures, amounts, counts and names written as each language
writes them. The pages word everything through here, the API its problems' ``detail``."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from grants import money
from grants.domain.errors import DomainError, Figure
from grants.domain.reference import Pillar

LOCALES = Path(__file__).resolve().parent / "locale"


class Language(StrEnum):
    EN = "en"
    FR = "fr"

    @property
    def other(self) -> Language:
        return Language.FR if self is Language.EN else Language.EN


@cache
def catalogue(language: Language) -> dict[str, str]:
    """The language's messages, by their id, read once."""
    with open(LOCALES / language / "LC_MESSAGES" / "grants.po", "rb") as po:
        messages = read_po(po, locale=language, domain="grants")
    return {str(m.id): str(m.string) for m in messages if m.id and m.string}


def gettext(language: Language, message: str) -> str:
    """The message in the language; its id where the catalogue has none (the English
    sentence of a refusal is its own id)."""
    return catalogue(language).get(message, message)


def refusal(error: DomainError, language: Language) -> str:
    """Why a command was refused, in the language, its figures written as it writes them."""
    sentence = _worded(error.template, error.figures, language)
    where: tuple[str, dict[str, Figure]] | None = getattr(error, "where", None)
    if where is not None:
        template, figures = where
        sentence = _worded(template, {**figures, "reason": sentence}, language)
    return sentence


def figures(error: DomainError) -> dict[str, Any]:
    """A refusal's figures as JSON values, for clients that word it themselves."""
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in error.figures.items()
    }


# Figures that are codes, worded by the catalogue: a project's status, what was to be
# done, a reconciliation's state.
_NAMED = {"status": "status", "action": "doing", "reconciliation": "reconciliation"}


def _worded(template: str, given: dict[str, Figure], language: Language) -> str:
    written = {name: _figure(name, value, language) for name, value in given.items()}
    return gettext(language, template).format(**written)


def _figure(name: str, value: Figure, language: Language) -> str:
    if name.endswith("_cents") and isinstance(value, int):
        return money.shown(value, language)
    if isinstance(value, date):
        # ISO 8601: the Government of Canada's numeric date, in both languages.
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_decimal(value, locale=money.LOCALES[language])
    if isinstance(value, tuple):
        if name == "statuses":  # the ones a command may be given in: any of them
            words = [_figure("status", status, language) for status in value]
            return gettext(language, "list.or").join(words)
        return ", ".join(_figure(name, item, language) for item in value)
    if (kind := _NAMED.get(name)) is not None:
        return gettext(language, f"{kind}.{value}")
    if name in ("pillar", "call_pillar"):
        pillar = Pillar(value)
        return pillar.name_fr if language is Language.FR else pillar.name_en
    return str(value)
