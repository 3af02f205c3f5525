"""Random histories of commands for property tests: a few programs, projects moving
through their lives, refusals included."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from hypothesis import strategies as st

from grants.application import Context, Grants, NotFound
from grants.commands import (
    AcceptFinalReport,
    Amend,
    Approve,
    Assess,
    CashFlowLine,
    CloseProject,
    CorrectApplication,
    ReceiveApplication,
    RecoverOverpayment,
    RegisterProgram,
    ReleasePayment,
    ReportResults,
    Reprofile,
    RequestPayment,
    RetireIndicator,
    SetAllocation,
    SignAgreement,
    Withdraw,
)
from grants.domain.errors import DomainError
from grants.domain.fiscal_year import FiscalYear
from grants.domain.framework import FRAMEWORK_ID
from grants.domain.recipient import Recipient
from grants.domain.reference import PaymentBasis, Pillar, TransferType
from tests.results_framework import STRATEGY, in_use
from tests.stories import DISCLOSURE

YEARS = (FiscalYear("2021-22"), FiscalYear("2022-23"))
OFFICER, FINANCE = Context(actor="olivia"), Context(actor="fiona")
ON = date(2021, 4, 2)
# In use in the results framework; "retired_output" was, and is refused since.
INDICATORS = ("referrals", "survivors_served", "partnerships", "retired_output")
PROGRAMS = (("JUS", Pillar.PROTECTION), ("WAGE", Pillar.EMPOWERMENT))

cents = st.integers(1, 60_000)
year = st.sampled_from(YEARS)
project = st.integers(0, 7)
operation = st.one_of(
    # An application, corrected (its amount) before its assessment or not.
    st.tuples(
        st.just("apply"),
        st.integers(0, 1),
        st.integers(1, 120_000),
        st.none() | st.integers(1, 120_000),
    ),
    st.tuples(st.just("approve"), project, st.integers(0, 60_000), st.integers(0, 60_000)),
    st.tuples(st.just("allocate"), st.integers(0, 1), year, st.integers(0, 100_000)),
    st.tuples(st.just("sign"), project),
    st.tuples(st.just("amend"), project, st.integers(0, 60_000), st.integers(0, 60_000)),
    st.tuples(st.just("reprofile"), project, cents),
    st.tuples(st.just("pay"), project, year, cents),
    st.tuples(st.just("recover"), project, year, cents),
    st.tuples(
        st.just("results"),
        project,
        year,
        st.dictionaries(
            st.sampled_from(INDICATORS),
            st.integers(0, 500),
            min_size=1,
        ),
    ),
    st.tuples(st.just("withdraw"), project),
    st.tuples(st.just("close"), project),
)
histories = st.lists(operation, max_size=40)


@dataclass
class Played:
    programs: list[UUID] = field(default_factory=list)
    projects: list[UUID] = field(default_factory=list)


def play(grants: Grants, operations: list[tuple[Any, ...]]) -> Played:
    played = Played()
    for department, pillar in PROGRAMS:
        program_id = grants.handle(
            OFFICER,
            RegisterProgram(
                department=department,
                name_en=department,
                name_fr=department,
                transfer_type=TransferType.CONTRIBUTION,
                pillars=[pillar],
                effective_on=ON,
            ),
        ).id
        for fiscal_year in YEARS:
            grants.handle(
                OFFICER,
                SetAllocation(amount_cents=80_000, effective_on=ON),
                program_id,
                fiscal_year=fiscal_year,
            )
        played.programs.append(program_id)
    # The framework is at an id every history shares: forget an earlier history's.
    with contextlib.suppress(KeyError):
        grants.repository.cache.get(FRAMEWORK_ID, evict=True)  # type: ignore[union-attr]
    in_use(grants, *INDICATORS)
    grants.handle(STRATEGY, RetireIndicator(reason="fewer indicators"), code="retired_output")
    for op in operations:
        with contextlib.suppress(DomainError, NotFound):  # refusals belong to histories
            _do(grants, played, op)
    return played


def _do(grants: Grants, played: Played, op: tuple[Any, ...]) -> None:
    name, *args = op

    def p(n: int) -> UUID:
        return played.projects[n % len(played.projects)]

    def flow(first: int, second: int) -> list[CashFlowLine]:
        return [CashFlowLine(y, c) for y, c in zip(YEARS, (first, second), strict=True) if c]

    if name == "apply":
        which, requested, corrected = (*args, None)[:3]  # stories may leave out the correction
        project_id = grants.handle(
            OFFICER,
            ReceiveApplication(
                program_id=played.programs[which],
                recipient=Recipient("Org", "NS"),
                title_en="P",
                title_fr="P",
                pillar=PROGRAMS[which][1],
                requested_cents=requested,
                effective_on=ON,
            ),
        ).id
        if corrected is not None:
            correction = CorrectApplication(
                recipient=Recipient("Org Inc.", "NB"),
                title_en="P, corrected",
                pillar=PROGRAMS[which][1],
                requested_cents=corrected,
                effective_on=ON,
            )
            grants.handle(OFFICER, correction, project_id)
        grants.handle(OFFICER, Assess(score=70, recommendation="fund", effective_on=ON), project_id)
        played.projects.append(project_id)
    elif name == "allocate":
        which, fiscal_year, amount = args
        grants.handle(
            OFFICER,
            SetAllocation(amount_cents=amount, effective_on=ON),
            played.programs[which],
            fiscal_year=fiscal_year,
        )
    elif not played.projects:
        return
    elif name == "approve":
        grants.handle(
            OFFICER, Approve(cash_flow=flow(args[1], args[2]), effective_on=ON), p(args[0])
        )
    elif name == "sign":
        grants.handle(
            OFFICER,
            SignAgreement(
                signed_on=ON,
                start_on=ON,
                end_on=date(2023, 3, 31),
                payment_basis=PaymentBasis.ADVANCE,
                holdback_percent=10,
                disclosure=DISCLOSURE,
            ),
            p(args[0]),
        )
    elif name == "amend":
        grants.handle(OFFICER, Amend(cash_flow=flow(args[1], args[2]), effective_on=ON), p(args[0]))
    elif name == "reprofile":
        grants.handle(
            OFFICER,
            Reprofile(
                from_fiscal_year=YEARS[0],
                to_fiscal_year=YEARS[1],
                amount_cents=args[1],
                effective_on=ON,
            ),
            p(args[0]),
        )
    elif name == "pay":
        fiscal_year = args[1]
        on = date(fiscal_year.start_year, 9, 1)
        request = grants.handle(
            OFFICER,
            RequestPayment(fiscal_year=fiscal_year, amount_cents=args[2], effective_on=on),
            p(args[0]),
        )
        grants.handle(
            FINANCE,
            ReleasePayment(
                payment_request_id=request.id, payment_ref=f"PAY-{request.id.hex[:8]}", paid_on=on
            ),
            p(args[0]),
        )
    elif name == "recover":
        grants.handle(
            FINANCE,
            RecoverOverpayment(
                fiscal_year=args[1], amount_cents=args[2], payment_ref="REC", effective_on=ON
            ),
            p(args[0]),
        )
    elif name == "results":
        grants.handle(
            OFFICER,
            ReportResults(fiscal_year=args[1], indicators=args[2], effective_on=ON),
            p(args[0]),
        )
    elif name == "withdraw":
        grants.handle(OFFICER, Withdraw(reason="withdrawn", effective_on=ON), p(args[0]))
    elif name == "close":
        grants.handle(OFFICER, AcceptFinalReport(effective_on=ON), p(args[0]))
        grants.handle(OFFICER, CloseProject(effective_on=ON), p(args[0]))
