"""The Strategy's reference lists, with the English and French names people read."""

from __future__ import annotations

import re
from enum import StrEnum

from grants.domain.errors import InvalidValue, rule


class Pillar(StrEnum):
    EMPOWERMENT = "empowerment"
    PREVENTION = "prevention"
    PROTECTION = "protection"
    PROSECUTION = "prosecution"
    PARTNERSHIPS = "partnerships"

    @property
    def name_en(self) -> str:
        return self.value.capitalize()

    @property
    def name_fr(self) -> str:
        return _PILLAR_FR[self]


_PILLAR_FR = {
    Pillar.EMPOWERMENT: "Autonomisation",
    Pillar.PREVENTION: "Prévention",
    Pillar.PROTECTION: "Protection",
    Pillar.PROSECUTION: "Poursuites",
    Pillar.PARTNERSHIPS: "Partenariats",
}


class TransferType(StrEnum):
    GRANT = "grant"
    CONTRIBUTION = "contribution"


class PaymentBasis(StrEnum):
    ADVANCE = "advance"
    REIMBURSEMENT = "reimbursement"


class PaymentKind(StrEnum):
    """What a payment request pays: an advance, a claim for costs incurred, or the
    holdback once the final report is accepted."""

    ADVANCE = "advance"
    CLAIM = "claim"
    HOLDBACK = "holdback"


# The departments of the Strategy, by the codes the design uses; another federal
# department may be registered by its code, shown by that code until named here.
# Departments write their acronyms in French otherwise; the others are the same.
FRENCH_ACRONYMS = {
    "PS": "SP",
    "WAGE": "FEGC",
    "ESDC": "EDSC",
    "GAC": "AMC",
    "CBSA": "ASFC",
    "FINTRAC": "CANAFE",
    "PSPC": "SPAC",
}

DEPARTMENTS: dict[str, tuple[str, str]] = {
    "PS": ("Public Safety Canada", "Sécurité publique Canada"),
    "WAGE": ("Women and Gender Equality Canada", "Femmes et Égalité des genres Canada"),
    "JUS": ("Department of Justice Canada", "Ministère de la Justice Canada"),
    "ESDC": (
        "Employment and Social Development Canada",
        "Emploi et Développement social Canada",
    ),
    "GAC": ("Global Affairs Canada", "Affaires mondiales Canada"),
    "CBSA": ("Canada Border Services Agency", "Agence des services frontaliers du Canada"),
    "IRCC": (
        "Immigration, Refugees and Citizenship Canada",
        "Immigration, Réfugiés et Citoyenneté Canada",
    ),
    # Partners the Strategy funds or that report its results without grants.
    "FINTRAC": (
        "Financial Transactions and Reports Analysis Centre of Canada",
        "Centre d'analyse des opérations et déclarations financières du Canada",
    ),
    "PSPC": (
        "Public Services and Procurement Canada",
        "Services publics et Approvisionnement Canada",
    ),
    "STC": ("Statistics Canada", "Statistique Canada"),
}

_DEPARTMENT_CODE = re.compile(r"[A-Z]{2,6}")


def department_code(code: str) -> str:
    """Validates a department code: a known one, or two to six capital letters."""
    if code not in DEPARTMENTS and not _DEPARTMENT_CODE.fullmatch(code):
        raise InvalidValue(
            rule(
                "{given} is not a department code: use PS, WAGE, JUS, ESDC or another "
                "federal department's code in capitals"
            ),
            field="department",
            given=repr(code)[:40],
        )
    return code
