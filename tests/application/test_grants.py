"""The application's own rules, on its store kept in memory: a change of commitment is
saved with the project that caused it or not at all, a retried command is answered
with its first answer, a stale version and an unknown record are refused, and a
refused command stores nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from msgspec import structs

from grants.application import Context, Grants, NotFound, StaleVersion, YearState, in_memory
from grants.commands import (
    Approve,
    CashFlowLine,
    CloseFiscalYear,
    ReleasePayment,
    RequestPayment,
)
from grants.domain.errors import DomainError, PaymentsPending
from grants.idempotency import Claim, IdempotencyKeyReused
from tests.history import FINANCE, OFFICER, ON, YEARS, Played, play

FIRST, SECOND = YEARS


@pytest.fixture
def grants() -> Grants:
    return in_memory()


def signed(grants: Grants) -> tuple[Played, UUID]:
    """Two programs of 800.00 a year; one project assessed, approved for 500.00 in the
    first year and signed (a tenth held back)."""
    played = play(grants, [("apply", 0, 100_000), ("approve", 0, 50_000, 0), ("sign", 0)])
    return played, played.projects[0]


def stored(grants: Grants) -> int:
    return grants.recorder.max_notification_id() or 0


def test_a_commitment_is_saved_with_the_project_that_made_it(grants: Grants) -> None:
    played, project_id = signed(grants)
    program = grants.program(played.programs[0])
    assert program.committed == {FIRST: 50_000}
    assert grants.project(project_id).cash_flow == {FIRST: 50_000}


def test_a_commitment_beyond_the_allocation_stores_nothing_in_either_record(
    grants: Grants,
) -> None:
    played = play(grants, [("apply", 0, 100_000)])
    project_id, before = played.projects[0], stored(grants)

    with pytest.raises(DomainError) as refused:
        grants.handle(
            OFFICER, Approve(cash_flow=[CashFlowLine(FIRST, 80_001)], effective_on=ON), project_id
        )

    assert refused.value.figures["available_cents"] == 80_000
    assert refused.value.figures["asked_cents"] == 80_001
    assert stored(grants) == before
    assert grants.program(played.programs[0]).committed == {}
    assert str(grants.project(project_id).status) == "assessed"


def test_a_retried_payment_is_answered_with_its_first_answer_and_paid_once(
    grants: Grants,
) -> None:
    _, project_id = signed(grants)
    request = grants.handle(
        OFFICER, RequestPayment(fiscal_year=FIRST, amount_cents=20_000, effective_on=ON), project_id
    ).id
    claim = Claim(user="fiona", key="release-1", fingerprint="PAY-1")
    release = ReleasePayment(payment_request_id=request, payment_ref="PAY-1", paid_on=ON)
    context = replace(FINANCE, claim=claim)

    first = grants.handle(context, release, project_id)
    again = grants.handle(context, release, project_id)

    assert again == first
    assert grants.project(project_id).disbursed == {FIRST: 20_000}
    with pytest.raises(IdempotencyKeyReused):
        grants.handle(
            replace(context, claim=replace(claim, fingerprint="PAY-2")), release, project_id
        )


def test_a_refused_command_leaves_its_key_free(grants: Grants) -> None:
    _, project_id = signed(grants)
    context = replace(OFFICER, claim=Claim(user="olivia", key="k", fingerprint="f"))
    too_much = RequestPayment(fiscal_year=FIRST, amount_cents=45_001, effective_on=ON)
    with pytest.raises(DomainError):
        grants.handle(context, too_much, project_id)

    answer = grants.handle(context, structs.replace(too_much, amount_cents=45_000), project_id)

    assert answer.id in grants.project(project_id).payment_requests


def test_a_command_on_a_version_since_changed_is_refused(grants: Grants) -> None:
    _, project_id = signed(grants)
    seen = grants.project(project_id).version
    grants.handle(
        OFFICER, RequestPayment(fiscal_year=FIRST, amount_cents=1_000, effective_on=ON), project_id
    )
    before = stored(grants)

    with pytest.raises(StaleVersion):
        grants.handle(
            replace(OFFICER, expected_version=seen),
            RequestPayment(fiscal_year=FIRST, amount_cents=1_000, effective_on=ON),
            project_id,
        )
    assert stored(grants) == before


def test_an_unknown_record_is_named_by_its_field(grants: Grants) -> None:
    with pytest.raises(NotFound):
        grants.handle(
            OFFICER, RequestPayment(fiscal_year=SECOND, amount_cents=1, effective_on=ON), uuid4()
        )
    played = play(grants, [])
    with pytest.raises(NotFound) as unknown:
        grants.handle(
            OFFICER,
            Approve(cash_flow=[CashFlowLine(FIRST, 1)], effective_on=ON),
            played.programs[0],  # a program, not a project
        )
    assert "project" in str(unknown.value)


def test_a_request_certified_while_the_year_froze_abandons_the_close(grants: Grants) -> None:
    played, project_id = signed(grants)
    on = FIRST.ends_on + timedelta(days=45)
    # The views saw no request at the freeze; one was certified just before it.
    seen = iter([YearState(committed=[project_id], awaiting_release=n) for n in (0, 1)])
    with pytest.raises(PaymentsPending):
        grants.close_fiscal_year(
            Context(actor="fiona"), CloseFiscalYear(effective_on=on), FIRST, lambda: next(seen)
        )
    books = grants.books()
    assert books.closing == books.closed == frozenset()
    assert grants.project(project_id).cash_flow == {FIRST: 50_000}, "nothing lapsed"
    # Unfrozen: the year takes changes again, and closes once nothing awaits release.
    grants.close_fiscal_year(
        Context(actor="fiona"),
        CloseFiscalYear(effective_on=on),
        FIRST,
        lambda: YearState(committed=[project_id], awaiting_release=0),
    )
    assert grants.books().closed == {FIRST}
    assert grants.project(project_id).cash_flow == {FIRST: 0}
    assert grants.program(played.programs[0]).committed == {FIRST: 0}
