"""A grant or contribution program, its yearly allocations and the commitments made
against them (commitment control)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from grants.domain.aggregate import Aggregate
from grants.domain.errors import (
    AllocationBelowCommitments,
    AllocationExceeded,
    DepartmentNumberTaken,
    InvalidPillar,
    InvalidValue,
    rule,
)
from grants.domain.fiscal_year import FiscalYear
from grants.domain.reference import Pillar, TransferType, department_code
from grants.domain.service_standards import DEFAULTS, Standard, Target, Unit
from grants.domain.values import TEXT_LENGTH, cents, text

_DEPARTMENT_NUMBER = re.compile(r"[0-9]{3}")


@dataclass(frozen=True)
class Publication:
    """How the program's agreements are published: the department's number in
    reference numbers, and the program's purpose."""

    department_number: str
    purpose_en: str
    purpose_fr: str


class Program(Aggregate):
    department: str
    name_en: str
    name_fr: str
    transfer_type: TransferType
    pillars: tuple[Pillar, ...]
    allocations: dict[FiscalYear, int]
    committed: dict[FiscalYear, int]
    publication: Publication | None
    standards: dict[Standard, Target]

    def __init__(self) -> None:
        """The state comes from the creation event's ``apply``, like every change."""

    class Registered(Aggregate.Created):
        department: str
        name_en: str
        name_fr: str
        transfer_type: TransferType
        pillars: tuple[Pillar, ...]

        def apply(self, program: Program) -> None:
            program.department = self.department
            program.name_en = self.name_en
            program.name_fr = self.name_fr
            program.transfer_type = self.transfer_type
            program.pillars = self.pillars
            program.allocations = {}
            program.committed = {}
            program.publication = None
            program.standards = {}

    class Edited(Aggregate.Event):
        """The program's names corrected, or a pillar added."""

        name_en: str
        name_fr: str
        pillars: tuple[Pillar, ...]

        def apply(self, program: Program) -> None:
            program.name_en = self.name_en
            program.name_fr = self.name_fr
            program.pillars = self.pillars

    class PublicationDetailsSet(Aggregate.Event):
        """What the open-data disclosure of the program's agreements says of it."""

        department_number: str
        purpose_en: str
        purpose_fr: str

        def apply(self, program: Program) -> None:
            program.publication = Publication(
                self.department_number, self.purpose_en, self.purpose_fr
            )

    class ServiceStandardSet(Aggregate.Event):
        standard: Standard
        within: int
        unit: Unit
        target_percent: int

        def apply(self, program: Program) -> None:
            program.standards[self.standard] = Target(self.within, self.unit, self.target_percent)

    class AllocationSet(Aggregate.Event):
        fiscal_year: FiscalYear
        amount_cents: int

        def apply(self, program: Program) -> None:
            program.allocations[self.fiscal_year] = self.amount_cents

    class CommitmentChanged(Aggregate.Event):
        """Commitments of one project changed: approved, amended, reprofiled, withdrawn
        or lapsed. ``changes`` holds the change in cents per fiscal year; the project's
        pillar and the program's department come along for the views."""

        project_id: UUID
        pillar: Pillar
        department: str
        changes: dict[FiscalYear, int]
        reason: str

        def apply(self, program: Program) -> None:
            for year, delta in self.changes.items():
                program.committed[year] = program.committed.get(year, 0) + delta

    @classmethod
    def register(
        cls,
        *,
        department: str,
        name_en: str,
        name_fr: str,
        transfer_type: TransferType,
        pillars: tuple[Pillar, ...],
        actor: str,
        effective_on: date,
    ) -> Program:
        name_en, name_fr = _names(name_en, name_fr)
        if not pillars:
            raise InvalidPillar(rule("a program serves at least one pillar"), field="pillars")
        return cls._create(
            cls.Registered,
            id=uuid4(),
            department=department_code(department),
            name_en=name_en,
            name_fr=name_fr,
            transfer_type=TransferType(transfer_type),
            pillars=tuple(dict.fromkeys(pillars)),
            actor=actor,
            effective_on=effective_on,
        )

    def edit(
        self,
        *,
        name_en: str,
        name_fr: str,
        pillars: tuple[Pillar, ...],
        actor: str,
        effective_on: date,
    ) -> None:
        """Names corrected and pillars added. A pillar is never removed: the program's
        applications, agreements and published results stay filed under it."""
        name_en, name_fr = _names(name_en, name_fr)
        dropped = [pillar for pillar in self.pillars if pillar not in pillars]
        if dropped:
            raise InvalidPillar(
                rule("a program keeps the pillars it serves: {pillars} cannot be removed"),
                field="pillars",
                pillars=", ".join(dropped),
            )
        self.trigger_event(
            self.Edited,
            name_en=name_en,
            name_fr=name_fr,
            pillars=(*self.pillars, *(p for p in dict.fromkeys(pillars) if p not in self.pillars)),
            actor=actor,
            effective_on=effective_on,
        )

    def set_publication_details(
        self,
        *,
        department_number: str,
        purpose_en: str,
        purpose_fr: str,
        programs: Iterable[Program] = (),
        actor: str,
        effective_on: date,
    ) -> None:
        """``programs``: the others, since the Receiver General gives each department one
        number, and the open data numbers a department's agreements under it."""
        if not _DEPARTMENT_NUMBER.fullmatch(department_number):
            raise InvalidValue(
                rule(
                    "the department number is the three digits the Receiver General's "
                    "chart of accounts gives the department"
                ),
                field="department_number",
            )
        purposes = {
            field: " ".join(
                text(written, field=field, max_length=TEXT_LENGTH, multiline=True).split()
            )
            for field, written in (("purpose_en", purpose_en), ("purpose_fr", purpose_fr))
        }
        for other in programs:
            held = other.publication.department_number if other.publication else None
            if held is None or (held == department_number) == (other.department == self.department):
                continue
            raise DepartmentNumberTaken(
                rule("{number} is the department number of {department}, under {program}")
                if held == department_number
                else rule("{department} publishes under department number {number} ({program})"),
                field="department_number",
                number=held,
                department=other.department,
                program=other.name_en,
            )
        for field, purpose in purposes.items():
            if not purpose:
                raise InvalidValue(
                    rule(
                        "the program's purpose, from its terms and conditions, in English "
                        "and French"
                    ),
                    field=field,
                )
        self.trigger_event(
            self.PublicationDetailsSet,
            department_number=department_number,
            purpose_en=purposes["purpose_en"],
            purpose_fr=purposes["purpose_fr"],
            actor=actor,
            effective_on=effective_on,
        )

    def set_service_standard(
        self,
        standard: Standard,
        within: int,
        unit: Unit,
        target_percent: int,
        *,
        actor: str,
        effective_on: date,
    ) -> None:
        target = Target.checked(within, unit, target_percent)
        self.trigger_event(
            self.ServiceStandardSet,
            standard=standard,
            within=target.within,
            unit=target.unit,
            target_percent=target.percent,
            actor=actor,
            effective_on=effective_on,
        )

    def target(self, standard: Standard) -> Target:
        """The program's standard, or the published default it keeps until set."""
        return self.standards.get(standard, DEFAULTS[standard])

    def set_allocation(
        self, fiscal_year: FiscalYear, amount_cents: int, *, actor: str, effective_on: date
    ) -> None:
        cents(amount_cents, field="amount_cents")
        committed = self.committed.get(fiscal_year, 0)
        if amount_cents < committed:
            raise AllocationBelowCommitments(
                rule(
                    "{committed_cents} is already committed in {fiscal_year}: the allocation "
                    "cannot go below that, to {asked_cents}"
                ),
                field="amount_cents",
                fiscal_year=fiscal_year,
                committed_cents=committed,
                asked_cents=amount_cents,
            )
        self.trigger_event(
            self.AllocationSet,
            fiscal_year=fiscal_year,
            amount_cents=amount_cents,
            actor=actor,
            effective_on=effective_on,
        )

    def change_commitment(
        self,
        project_id: UUID,
        changes: Mapping[FiscalYear, int],
        reason: str,
        *,
        pillar: Pillar,
        actor: str,
        effective_on: date,
    ) -> None:
        """Commitment control: no fiscal year's commitments may exceed its allocation."""
        for year, delta in changes.items():
            available = self.available(year)
            if delta > available:
                raise AllocationExceeded(
                    rule(
                        "{available_cents} is left to commit in {fiscal_year} of an allocation "
                        "of {allocation_cents} ({program}): {asked_cents} more cannot be "
                        "committed"
                    ),
                    field="cash_flow",
                    program=self.name_en,
                    fiscal_year=year,
                    available_cents=available,
                    allocation_cents=self.allocations.get(year, 0),
                    asked_cents=delta,
                )
        if changes:
            self.trigger_event(
                self.CommitmentChanged,
                project_id=project_id,
                pillar=pillar,
                department=self.department,
                changes=dict(changes),
                reason=reason,
                actor=actor,
                effective_on=effective_on,
            )

    def available(self, year: FiscalYear) -> int:
        return self.allocations.get(year, 0) - self.committed.get(year, 0)

    def serves(self, pillar: Pillar) -> bool:
        return pillar in self.pillars


def _names(name_en: str, name_fr: str) -> tuple[str, str]:
    name_en, name_fr = text(name_en, field="name_en"), text(name_fr, field="name_fr")
    if not name_en or not name_fr:
        field = "name_en" if not name_en else "name_fr"
        raise InvalidValue(rule("a program needs its name in English and French"), field=field)
    return name_en, name_fr
