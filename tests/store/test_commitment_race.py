"""Two approvals racing for the last dollars of an allocation: exactly one wins."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from grants.application import Context, Grants
from grants.bootstrap import Services
from grants.commands import (
    Approve,
    Assess,
    CashFlowLine,
    ReceiveApplication,
    RegisterProgram,
    SetAllocation,
)
from grants.domain.errors import AllocationExceeded
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.recipient import Recipient
from grants.domain.reference import Pillar, TransferType

FY = FiscalYear("2021-22")
ON = date(2021, 5, 1)


def assessed(grants: Grants, allocation: int, requested: list[int]) -> tuple[UUID, list[UUID]]:
    """A program with an allocation, and assessed applications to it."""
    ctx = Context(actor="olivia")
    program_id = grants.handle(
        ctx,
        RegisterProgram(
            department="JUS",
            name_en="Victims Fund",
            name_fr="Fonds d'aide aux victimes",
            transfer_type=TransferType.CONTRIBUTION,
            pillars=[Pillar.PROTECTION],
            effective_on=ON,
        ),
    ).id
    grants.handle(
        ctx, SetAllocation(amount_cents=allocation, effective_on=ON), program_id, fiscal_year=FY
    )
    projects = []
    for n, cents in enumerate(requested):
        project_id = grants.handle(
            ctx,
            ReceiveApplication(
                program_id=program_id,
                recipient=Recipient("Org", "ON"),
                title_en=f"Project {n}",
                pillar=Pillar.PROTECTION,
                requested_cents=cents,
                effective_on=ON,
            ),
        ).id
        grants.handle(ctx, Assess(score=80, recommendation="fund", effective_on=ON), project_id)
        projects.append(project_id)
    return program_id, projects


def approval(cents: int) -> Approve:
    return Approve(cash_flow=[CashFlowLine(FY, cents)], effective_on=ON)


def test_two_approvals_for_the_last_dollars_never_both_succeed(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    grants = services.grants
    ctx = Context(actor="olivia")
    program_id, projects = assessed(grants, allocation=100_000, requested=[100_000] * 2)

    # Both commands load the program before either saves: the race, every time.
    both_loaded = threading.Barrier(2, timeout=10)
    first_try = threading.local()
    check = Program.change_commitment

    def change_commitment(self: Program, *args: Any, **kwargs: Any) -> None:
        if not getattr(first_try, "done", False):
            first_try.done = True
            both_loaded.wait()
        check(self, *args, **kwargs)

    monkeypatch.setattr(Program, "change_commitment", change_commitment)
    outcomes: list[object] = []

    def approve(project_id: Any) -> None:
        try:
            outcomes.append(grants.handle(ctx, approval(100_000), project_id))
        except AllocationExceeded as refused:
            outcomes.append(refused)

    threads = [threading.Thread(target=approve, args=(p,)) for p in projects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(type(o).__name__ for o in outcomes) == ["AllocationExceeded", "Receipt"]
    program = grants.program(program_id)
    assert program.committed == {FY: 100_000}
    statuses = sorted(grants.project(p).status.value for p in projects)
    assert statuses == ["approved", "assessed"]


def test_racing_approvals_that_both_fit_both_succeed(services: Services) -> None:
    grants = services.grants
    ctx = Context(actor="olivia")
    program_id, ids = assessed(grants, allocation=1_000_000, requested=[1_000] * 8)
    answers = []

    def approve(project_id: Any) -> None:
        answers.append(grants.handle(ctx, approval(1_000), project_id))

    threads = [threading.Thread(target=approve, args=(p,)) for p in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8
    assert grants.program(program_id).committed == {FY: 8_000}
