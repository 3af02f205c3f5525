"""Programs and their yearly allocations."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from grants.access import PROGRAM_SIDE
from grants.api.commands import Answer
from grants.application import Context, Grants
from grants.commands import (
    EditProgram,
    RegisterProgram,
    SetAllocation,
    SetPublicationDetails,
    SetServiceStandard,
)
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program, Publication
from grants.domain.reference import DEPARTMENTS, Pillar, TransferType
from grants.domain.service_standards import Standard


class ProgramYear(msgspec.Struct):
    fiscal_year: str
    allocation_cents: int
    committed_cents: int
    available_cents: int


class ProgramOut(msgspec.Struct):
    id: UUID
    version: int
    department: str
    department_name_en: str
    department_name_fr: str
    name_en: str
    name_fr: str
    transfer_type: TransferType
    pillars: list[Pillar]
    years: list[ProgramYear]
    publication: Publication | None

    @classmethod
    def of(cls, program: Program) -> ProgramOut:
        names = DEPARTMENTS.get(program.department, (program.department, program.department))
        years = sorted(set(program.allocations) | set(program.committed))
        return cls(
            id=program.id,
            version=program.version,
            department=program.department,
            department_name_en=names[0],
            department_name_fr=names[1],
            name_en=program.name_en,
            name_fr=program.name_fr,
            transfer_type=program.transfer_type,
            pillars=list(program.pillars),
            publication=program.publication,
            years=[
                ProgramYear(
                    fiscal_year=year,
                    allocation_cents=program.allocations.get(year, 0),
                    committed_cents=program.committed.get(year, 0),
                    available_cents=program.available(year),
                )
                for year in years
            ],
        )


class Programs(Controller):
    path = "/api/programs"
    tags = ["programs"]

    @post(guards=[PROGRAM_SIDE], sync_to_thread=True)
    def register(
        self,
        data: JSONBody[RegisterProgram],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data))

    @get(sync_to_thread=True)
    def list_programs(self, grants: NamedDependency[Grants]) -> list[ProgramOut]:
        return [ProgramOut.of(program) for program in grants.programs()]

    @get("/{program_id:uuid}", sync_to_thread=True)
    def show(
        self, program_id: FromPath[UUID], grants: NamedDependency[Grants]
    ) -> Response[ProgramOut]:
        program = grants.program(program_id)
        return Response(ProgramOut.of(program), headers={"ETag": f'"{program.version}"'})

    @put("/{program_id:uuid}", guards=[PROGRAM_SIDE], sync_to_thread=True)
    def edit(
        self,
        program_id: FromPath[UUID],
        data: JSONBody[EditProgram],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        """Its names corrected, pillars added (none removed)."""
        return Answer.of(grants.handle(context, data, program_id))

    @put(
        "/{program_id:uuid}/allocations/{fiscal_year:str}",
        guards=[PROGRAM_SIDE],
        sync_to_thread=True,
    )
    def allocate(
        self,
        program_id: FromPath[UUID],
        fiscal_year: FromPath[FiscalYear],
        data: JSONBody[SetAllocation],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, program_id, fiscal_year=fiscal_year))

    @put(
        "/{program_id:uuid}/service-standards/{standard:str}",
        guards=[PROGRAM_SIDE],
        sync_to_thread=True,
    )
    def set_service_standard(
        self,
        program_id: FromPath[UUID],
        standard: FromPath[Standard],
        data: JSONBody[SetServiceStandard],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        """The program's own standard (``acknowledgement``, ``decision`` or ``payment``),
        in place of Public Safety's published one it keeps until then."""
        return Answer.of(grants.handle(context, data, program_id, standard=standard))

    @put("/{program_id:uuid}/publication", guards=[PROGRAM_SIDE], sync_to_thread=True)
    def publish(
        self,
        program_id: FromPath[UUID],
        data: JSONBody[SetPublicationDetails],
        context: NamedDependency[Context],
        grants: NamedDependency[Grants],
    ) -> Answer:
        return Answer.of(grants.handle(context, data, program_id))
