"""The results framework a test's projects report against: indicators in use, defined
as the Strategy team defines them, through the application or through HTTP."""

from __future__ import annotations

from datetime import date

import msgspec

from grants.application import Context, Grants
from grants.commands import DefineExpectedResult, DefineIndicator
from grants.domain.framework import Direction, Frequency
from grants.domain.reference import Pillar

STRATEGY = Context(actor="sasha")
DEFINED_ON = date(2019, 4, 1)

EXPECTED_RESULT = DefineExpectedResult(
    code="survivors_supported",
    pillar=Pillar.EMPOWERMENT,
    name_en="Survivors have the support they need",
    name_fr="Les personnes survivantes ont le soutien dont elles ont besoin",
    effective_on=DEFINED_ON,
)


def definition(code: str) -> DefineIndicator:
    words = code.replace("_", " ")
    return DefineIndicator(
        expected_result=EXPECTED_RESULT.code,
        name_en=f"{words.capitalize()} (EN)",
        name_fr=f"{words.capitalize()} (FR)",
        definition_en=f"The number of {words} in the fiscal year.",
        definition_fr=f"Le nombre de {words} dans l'exercice.",
        unit="people",
        direction=Direction.INCREASE,
        data_source="Funded projects' results reports",
        owner="PS",
        frequency=Frequency.ANNUAL,
        effective_on=DEFINED_ON,
    )


def in_use(grants: Grants, *codes: str) -> None:
    grants.handle(STRATEGY, EXPECTED_RESULT)
    for code in codes:
        grants.handle(STRATEGY, definition(code), code=code)


def body(command: DefineExpectedResult | DefineIndicator) -> dict[str, object]:
    """A command as the API takes it."""
    sent: dict[str, object] = msgspec.to_builtins(command)
    return sent
