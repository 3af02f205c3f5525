"""The standard results indicators. The evaluations ask for few indicators and more
outcome data, so the catalogue stays short; each has a home pillar but any project may
report any of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from grants.domain.errors import InvalidValue, UnknownIndicator, rule
from grants.domain.reference import Pillar
from grants.domain.values import count


@dataclass(frozen=True)
class Indicator:
    code: str
    name_en: str
    name_fr: str
    pillar: Pillar


CATALOGUE: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in (
        Indicator(
            "survivors_served",
            "Victims and survivors served",
            "Victimes et survivants servis",
            Pillar.EMPOWERMENT,
        ),
        Indicator(
            "people_trained",
            "People trained",
            "Personnes formées",
            Pillar.EMPOWERMENT,
        ),
        Indicator(
            "awareness_reach",
            "People reached by awareness activities",
            "Personnes jointes par les activités de sensibilisation",
            Pillar.PREVENTION,
        ),
        Indicator(
            "victims_identified",
            "Victims and survivors identified",
            "Victimes et survivants identifiés",
            Pillar.PROTECTION,
        ),
        Indicator(
            "referrals",
            "Referrals to services",
            "Aiguillages vers des services",
            Pillar.PROTECTION,
        ),
        Indicator(
            "tips_to_law_enforcement",
            "Tips and reports to law enforcement",
            "Signalements aux forces de l'ordre",
            Pillar.PROSECUTION,
        ),
        Indicator(
            "partnerships",
            "Partnerships with service providers",
            "Partenariats avec des fournisseurs de services",
            Pillar.PARTNERSHIPS,
        ),
    )
}


def indicator_values(values: Mapping[str, int]) -> dict[str, int]:
    """Validates reported values: known codes, whole numbers from zero to a trillion."""
    if not values:
        raise InvalidValue(
            rule("a results report needs at least one indicator"), field="indicators"
        )
    for code, value in values.items():
        if code not in CATALOGUE:
            raise UnknownIndicator(
                rule("{given} is not a standard indicator ({codes})"),
                field=f"indicators.{code[:40]}",
                given=repr(code[:40]),
                codes=tuple(CATALOGUE),
            )
        count(value, field=f"indicators.{code}")
    return dict(sorted(values.items()))
