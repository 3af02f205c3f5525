"""Two approvals racing for the last dollars of an allocation: exactly one wins."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest

from grants.application import Context
from grants.bootstrap import Services
from grants.domain.errors import AllocationExceeded
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.recipient import Recipient
from grants.domain.reference import Pillar, TransferType

FY = FiscalYear("2021-22")
ON = date(2021, 5, 1)


def test_two_approvals_for_the_last_dollars_never_both_succeed(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    grants = services.grants
    ctx = Context(actor="olivia")
    program_id = grants.register_program(
        ctx,
        department="JUS",
        name_en="Victims Fund",
        name_fr="Fonds d'aide aux victimes",
        transfer_type=TransferType.CONTRIBUTION,
        pillars=(Pillar.PROTECTION,),
        effective_on=ON,
    ).id
    grants.set_allocation(ctx, program_id, FY, 100_000, effective_on=ON)
    projects = []
    for name in ("Illuminate", "Outreach"):
        project_id = grants.receive_application(
            ctx,
            program_id,
            None,
            recipient=Recipient("Org", "ON"),
            title_en=name,
            title_fr=name,
            pillar=Pillar.PROTECTION,
            requested_cents=100_000,
            effective_on=ON,
        ).id
        grants.assess(ctx, project_id, 80, "fund", effective_on=ON)
        projects.append(project_id)

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
            outcomes.append(grants.approve(ctx, project_id, {FY: 100_000}, effective_on=ON))
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
    program_id = grants.register_program(
        ctx,
        department="PS",
        name_en="P",
        name_fr="P",
        transfer_type=TransferType.GRANT,
        pillars=(Pillar.PREVENTION,),
        effective_on=ON,
    ).id
    grants.set_allocation(ctx, program_id, FY, 1_000_000, effective_on=ON)
    ids = []
    for n in range(8):
        project_id = grants.receive_application(
            ctx,
            program_id,
            None,
            recipient=Recipient("Org", "QC"),
            title_en=f"P{n}",
            title_fr="",
            pillar=Pillar.PREVENTION,
            requested_cents=1_000,
            effective_on=ON,
        ).id
        grants.assess(ctx, project_id, 80, "fund", effective_on=ON)
        ids.append(project_id)
    answers = []

    def approve(project_id: Any) -> None:
        answers.append(grants.approve(ctx, project_id, {FY: 1_000}, effective_on=ON))

    threads = [threading.Thread(target=approve, args=(p,)) for p in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8
    assert grants.program(program_id).committed == {FY: 8_000}
