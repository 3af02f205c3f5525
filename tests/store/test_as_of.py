"""The books as of a day, as known at a moment: for any history of facts recorded late
and corrected, the answers equal a plain fold of the events the question keeps."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.application import NotFound
from grants.bootstrap import Services
from grants.commands import (
    Amend,
    Approve,
    Assess,
    CashFlowLine,
    ReceiveApplication,
    RecoverOverpayment,
    ReleasePayment,
    RequestPayment,
    SignAgreement,
    Withdraw,
)
from grants.domain.errors import DomainError
from grants.domain.project import Project
from grants.domain.recipient import Recipient
from grants.domain.reference import PaymentBasis
from grants.moments import Moment, project_at
from grants.projections.rebuild import catch_up, rebuild
from tests.conftest import empty
from tests.history import FINANCE, OFFICER, ON, PROGRAMS, YEARS, Played, play
from tests.store.test_views import (
    all_events,
    expected_commitments,
    expected_funding,
    expected_projects,
)
from tests.stories import DISCLOSURE

# The days facts take effect on, drawn in any order: a fact recorded after another may
# have taken effect before it.
DAYS = [date(2021, 4, 2), date(2021, 6, 1), date(2021, 11, 15), date(2022, 5, 1), date(2022, 9, 1)]
SIGNED = date(2021, 4, 2)


def flow(first: int, second: int) -> list[CashFlowLine]:
    return [CashFlowLine(y, c) for y, c in zip(YEARS, (first, second), strict=True) if c]


day = st.sampled_from(DAYS)
project = st.integers(0, 4)
operation = st.one_of(
    st.tuples(st.just("apply"), st.integers(0, 1)),
    st.tuples(st.just("approve"), project, day, st.integers(0, 60_000), st.integers(0, 60_000)),
    st.tuples(st.just("amend"), project, day, st.integers(0, 60_000), st.integers(0, 60_000)),
    st.tuples(st.just("pay"), project, day, st.integers(1, 40_000)),
    st.tuples(st.just("recover"), project, day, st.integers(1, 40_000)),
    st.tuples(st.just("withdraw"), project, day),
)


def live(services: Services, played: Played, op: tuple[Any, ...]) -> None:
    """One step of a project's life, on a day of its own."""
    grants = services.grants
    name, *args = op
    if name == "apply":
        which = args[0]
        project_id = grants.handle(
            OFFICER,
            ReceiveApplication(
                program_id=played.programs[which],
                recipient=Recipient("Org", "NS"),
                title_en="P",
                title_fr="P",
                pillar=PROGRAMS[which][1],
                requested_cents=120_000,
                effective_on=ON,
            ),
        ).id
        play_assessment(services, project_id)
        played.projects.append(project_id)
        return
    if not played.projects:
        return
    project_id, on = played.projects[args[0] % len(played.projects)], args[1]
    if name == "approve":
        grants.handle(OFFICER, Approve(cash_flow=flow(*args[2:]), effective_on=on), project_id)
        grants.handle(
            OFFICER,
            SignAgreement(
                signed_on=SIGNED,
                start_on=SIGNED,
                end_on=date(2023, 3, 31),
                payment_basis=PaymentBasis.ADVANCE,
                holdback_percent=0,
                disclosure=DISCLOSURE,
            ),
            project_id,
        )
    elif name == "amend":
        grants.handle(OFFICER, Amend(cash_flow=flow(*args[2:]), effective_on=on), project_id)
    elif name == "pay":
        fiscal_year = YEARS[0] if on < YEARS[1].starts_on else YEARS[1]
        request = grants.handle(
            OFFICER,
            RequestPayment(fiscal_year=fiscal_year, amount_cents=args[2], effective_on=on),
            project_id,
        )
        release = ReleasePayment(
            payment_request_id=request.id, payment_ref=f"P-{request.id.hex[:8]}", paid_on=on
        )
        grants.handle(FINANCE, release, project_id)
    elif name == "recover":
        fiscal_year = YEARS[0] if on < YEARS[1].starts_on else YEARS[1]
        recovery = RecoverOverpayment(
            fiscal_year=fiscal_year, amount_cents=args[2], payment_ref="R", effective_on=on
        )
        grants.handle(FINANCE, recovery, project_id)
    elif name == "withdraw":
        grants.handle(OFFICER, Withdraw(reason="withdrawn", effective_on=on), project_id)


def play_assessment(services: Services, project_id: UUID) -> None:
    services.grants.handle(
        OFFICER, Assess(score=70, recommendation="fund", effective_on=ON), project_id
    )


def funding_rows(services: Services, moment: Moment) -> dict[tuple[Any, ...], tuple[int, ...]]:
    rows, _ = services.views.as_of.funding(
        moment, fiscal_year=None, pillar=None, department=None, program_id=None
    )
    return {
        (r.fiscal_year, r.pillar, r.department, r.program_id): (
            r.committed_cents,
            r.disbursed_cents,
            r.projects,
            r.lapsed_cents,
        )
        for r in rows
    }


def answers_agree(services: Services, played: Played, moment: Moment, events: list[Any]) -> None:
    kept = [e for e in events if moment.keeps(e)]
    assert funding_rows(services, moment) == expected_funding(kept)
    for fiscal_year in (None, "2021-22", "2022-23"):
        _, projects = services.views.as_of.funding(
            moment, fiscal_year=fiscal_year, pillar=None, department=None, program_id=None
        )
        assert projects == expected_projects(kept, fiscal_year)
    years = {
        (p.program_id, p.year.fiscal_year): (
            p.year.allocation_cents,
            p.year.committed_cents,
            p.year.disbursed_cents,
        )
        for p in services.views.as_of.program_years(moment)
    }
    assert years == expected_commitments(kept)
    agreements = {a.project_id: a for a in services.views.agreements.agreements(moment)}
    for project_id in played.projects:
        project = project_as_of(services, project_id, moment)
        received = [e for e in kept if e.originator_id == project_id]
        assert (project is None) == (not received)
        if project is not None:
            assert project.version == received[-1].originator_version
        # The agreements view (the year-end's holdbacks and deadlines) holds a project
        # as its own events the moment keeps leave it.
        agreement = agreements.get(project_id)
        signed = project is not None and any(
            isinstance(e, Project.AgreementSigned) for e in received
        )
        assert (agreement is not None) == signed
        if agreement is not None and project is not None and project.agreement is not None:
            assert (agreement.status, agreement.start_on, agreement.end_on) == (
                project.status,
                project.agreement.start_on,
                project.agreement.end_on,
            )
            # The agreement's value as its latest signing or amendment kept states it:
            # the project's cash flow adds up to it, unless the approval that set the
            # flow takes effect after a signing dated before it (which the domain takes).
            stated = [
                e
                for e in received
                if isinstance(e, Project.AgreementSigned | Project.AgreementAmended)
            ]
            assert agreement.value_cents == stated[-1].value_cents
            assert agreement.holdback_percent == project.agreement.holdback_percent


def project_as_of(services: Services, project_id: UUID, moment: Moment) -> Any:
    with contextlib.suppress(NotFound):
        return project_at(services.grants, project_id, moment)
    return None


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, max_size=30), data=st.data())
def test_as_of_and_known_at_answer_as_a_fold_of_the_events_they_keep(
    services: Services, operations: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    empty(services.database_url)
    played = play(services.grants, [])
    for op in operations:
        with contextlib.suppress(DomainError, NotFound):  # refusals belong to histories
            live(services, played, op)
    size = data.draw(st.integers(1, 7))
    # Followed as events arrive, or rebuilt (which remembers its rows between batches).
    views = [services.views.as_of, services.views.awards, services.views.agreements]
    if data.draw(st.booleans(), label="rebuilt"):
        rebuild(services.grants, views, size=size)
    else:
        for view in views:
            catch_up(services.grants, view, size=size)
    events = all_events(services.grants)
    moments = [e.timestamp for e in events]
    for _ in range(4):
        as_of = data.draw(st.none() | st.sampled_from([*DAYS, date(2021, 4, 1)]), label="as_of")
        known_at = data.draw(st.none() | st.sampled_from(moments), label="known_at")
        answers_agree(services, played, Moment(as_of, known_at), events)
        if as_of is not None and known_at is None:
            # The same day through the changes summed, as a moment long after asks it.
            later = Moment(as_of, datetime(2100, 1, 1, tzinfo=UTC))
            answers_agree(services, played, later, events)


def test_a_back_dated_correction_changes_the_day_but_not_what_was_known_before_it(
    services: Services,
) -> None:
    grants = services.grants
    played = play(grants, [("apply", 0, 100_000)])
    project_id = played.projects[0]
    live(services, played, ("approve", 0, date(2021, 5, 1), 50_000, 0))
    live(services, played, ("pay", 0, date(2021, 9, 1), 10_000))
    catch_up(grants, services.views.as_of)
    before_the_correction = datetime.now(UTC)
    # Recorded now, effective in June: the commitment was 30,000 all along.
    grants.handle(
        OFFICER, Amend(cash_flow=flow(30_000, 0), effective_on=date(2021, 6, 1)), project_id
    )
    catch_up(grants, services.views.as_of)

    def committed(moment: Moment) -> int:
        rows, _ = services.views.as_of.funding(
            moment, fiscal_year="2021-22", pillar=None, department=None, program_id=None
        )
        return sum(r.committed_cents for r in rows)

    march_31 = date(2022, 3, 31)
    assert committed(Moment(as_of=march_31)) == 30_000
    assert committed(Moment(as_of=march_31, known_at=before_the_correction)) == 50_000
    assert committed(Moment(as_of=date(2021, 5, 31))) == 50_000
    assert committed(Moment(known_at=before_the_correction)) == 50_000
    assert committed(Moment()) == 30_000
