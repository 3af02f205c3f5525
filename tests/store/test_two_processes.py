"""Two server processes on one store, each with its own aggregate cache: a command
decides on its cached state without reading the store, so what the other process
recorded meanwhile must never be lost, overwritten or refused against."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from grants.application import Grants
from grants.bootstrap import Services
from grants.commands import Approve, CashFlowLine, ReleasePayment, RequestPayment, SetAllocation
from grants.database import eventsourcing_env
from grants.domain.errors import AllocationExceeded, HoldbackNotReleased
from tests.history import FINANCE, OFFICER, ON, YEARS, play

FIRST = YEARS[0]


@pytest.fixture
def other(services: Services) -> Iterator[Grants]:
    """The same application in another process: its own cache, the same store."""
    grants = Grants(env=eventsourcing_env(services.database_url, 2))
    yield grants
    grants.close()


def test_a_request_the_other_process_recorded_is_released_here(
    services: Services, other: Grants
) -> None:
    here = services.grants
    played = play(here, [("apply", 0, 100_000), ("approve", 0, 50_000, 0), ("sign", 0)])
    project_id = played.projects[0]
    here.project(project_id)  # cached here, as it was

    request = other.handle(
        OFFICER, RequestPayment(fiscal_year=FIRST, amount_cents=10_000, effective_on=ON), project_id
    ).id
    # Here the cached project knows no such request: the refusal is checked against the
    # store before it is given, and the release goes through.
    here.handle(
        FINANCE,
        ReleasePayment(payment_request_id=request, payment_ref="PAY-1", paid_on=ON),
        project_id,
    )

    assert here.project(project_id).disbursed == {FIRST: 10_000}
    assert other.project(project_id).disbursed == {FIRST: 10_000}


def test_a_decision_on_a_stale_cache_is_taken_again_on_the_stores_state(
    services: Services, other: Grants
) -> None:
    here = services.grants
    played = play(here, [("apply", 0, 100_000), ("approve", 0, 50_000, 0), ("sign", 0)])
    project_id = played.projects[0]
    other.project(project_id)  # cached there

    for _ in range(3):
        here.handle(
            OFFICER,
            RequestPayment(fiscal_year=FIRST, amount_cents=10_000, effective_on=ON),
            project_id,
        )
    # There, the cached project has no requests; its save conflicts, and the command
    # runs again on the store's state: the three requests here are kept with the
    # fourth, and a fifth is refused for the money the others certified.
    other.handle(
        OFFICER, RequestPayment(fiscal_year=FIRST, amount_cents=10_000, effective_on=ON), project_id
    )
    assert len(here.project(project_id).payment_requests) == 4
    with pytest.raises(HoldbackNotReleased) as refused:
        other.handle(
            OFFICER,
            RequestPayment(fiscal_year=FIRST, amount_cents=5_001, effective_on=ON),
            project_id,
        )
    assert refused.value.figures["room_cents"] == 5_000


def test_commitment_control_holds_across_processes(services: Services, other: Grants) -> None:
    here = services.grants
    played = play(here, [("apply", 0, 100_000), ("apply", 0, 100_000)])
    first, second = played.projects
    program_id = played.programs[0]
    other.program(program_id)  # the allocation of 800.00 a year, cached there

    here.handle(
        OFFICER, SetAllocation(amount_cents=50_000, effective_on=ON), program_id, fiscal_year=FIRST
    )
    here.handle(OFFICER, Approve(cash_flow=[CashFlowLine(FIRST, 40_000)], effective_on=ON), first)
    # There, the cached program still has 800.00 and nothing committed: the approval of
    # 200.00 conflicts on saving, and on the store's state it is refused.
    with pytest.raises(AllocationExceeded):
        other.handle(
            OFFICER, Approve(cash_flow=[CashFlowLine(FIRST, 20_000)], effective_on=ON), second
        )
    assert other.program(program_id).committed == {FIRST: 40_000}
