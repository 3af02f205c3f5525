"""Programs and commitment control, in the domain alone."""

from datetime import date
from uuid import UUID, uuid4

import pytest

from grants.domain.errors import (
    AllocationBelowCommitments,
    AllocationExceeded,
    InvalidAmount,
    InvalidPillar,
    InvalidValue,
)
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.reference import Pillar, TransferType

FY = FiscalYear("2021-22")
ON = date(2021, 4, 15)


def victims_fund() -> Program:
    return Program.register(
        department="JUS",
        name_en="Victims Fund",
        name_fr="Fonds d'aide aux victimes",
        transfer_type=TransferType.CONTRIBUTION,
        pillars=(Pillar.PROTECTION,),
        actor="olivia",
        effective_on=ON,
    )


def commit(program: Program, project: UUID, changes: dict[FiscalYear, int], reason: str) -> None:
    program.change_commitment(
        project, changes, reason, pillar=Pillar.PROTECTION, actor="olivia", effective_on=ON
    )


def test_a_program_commits_up_to_its_allocation_and_no_further() -> None:
    program = victims_fund()
    program.set_allocation(FY, 1_000_000_00, actor="olivia", effective_on=ON)
    commit(program, uuid4(), {FY: 600_000_00}, "approval")
    commit(program, uuid4(), {FY: 400_000_00}, "approval")
    assert program.available(FY) == 0
    with pytest.raises(AllocationExceeded) as refused:
        commit(program, uuid4(), {FY: 1}, "approval")
    assert refused.value.figures["available_cents"] == 0
    assert refused.value.figures["asked_cents"] == 1
    assert refused.value.field == "cash_flow"


def test_a_year_without_allocation_has_nothing_to_commit() -> None:
    with pytest.raises(AllocationExceeded):
        commit(victims_fund(), uuid4(), {FY: 1}, "approval")


def test_lapsed_commitments_free_the_allocation_again() -> None:
    program = victims_fund()
    program.set_allocation(FY, 100, actor="olivia", effective_on=ON)
    project = uuid4()
    commit(program, project, {FY: 100}, "approval")
    commit(program, project, {FY: -30}, "close-out")
    assert program.available(FY) == 30


def test_an_allocation_cannot_drop_below_what_is_committed() -> None:
    program = victims_fund()
    program.set_allocation(FY, 100, actor="olivia", effective_on=ON)
    commit(program, uuid4(), {FY: 80}, "approval")
    with pytest.raises(AllocationBelowCommitments):
        program.set_allocation(FY, 79, actor="olivia", effective_on=ON)
    program.set_allocation(FY, 80, actor="olivia", effective_on=ON)
    with pytest.raises(InvalidAmount):
        program.set_allocation(FY, -1, actor="olivia", effective_on=ON)


def test_a_program_needs_names_in_both_languages_and_a_pillar() -> None:
    with pytest.raises(InvalidValue) as refused:
        Program.register(
            department="JUS",
            name_en="Victims Fund",
            name_fr=" ",
            transfer_type=TransferType.GRANT,
            pillars=(Pillar.PROTECTION,),
            actor="olivia",
            effective_on=ON,
        )
    assert refused.value.field == "name_fr"
    with pytest.raises(InvalidPillar):
        Program.register(
            department="JUS",
            name_en="A",
            name_fr="B",
            transfer_type=TransferType.GRANT,
            pillars=(),
            actor="olivia",
            effective_on=ON,
        )
    with pytest.raises(InvalidValue) as refused:
        Program.register(
            department="justice",
            name_en="A",
            name_fr="B",
            transfer_type=TransferType.GRANT,
            pillars=(Pillar.PROTECTION,),
            actor="olivia",
            effective_on=ON,
        )
    assert refused.value.field == "department"


def test_every_event_names_its_actor_and_effective_date() -> None:
    program = victims_fund()
    program.set_allocation(FY, 100, actor="sam", effective_on=date(2021, 5, 1))
    registered, allocated = program.collect_events()
    assert (registered.actor, registered.effective_on) == ("olivia", ON)  # type: ignore[attr-defined]
    assert (allocated.actor, allocated.effective_on) == ("sam", date(2021, 5, 1))  # type: ignore[attr-defined]
