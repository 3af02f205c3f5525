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
from grants.domain.errors import DomainError
from grants.domain.fiscal_year import FiscalYear
from grants.domain.recipient import Recipient
from grants.domain.reference import PaymentBasis, Pillar, TransferType
from tests.stories import DISCLOSURE

YEARS = (FiscalYear("2021-22"), FiscalYear("2022-23"))
OFFICER, FINANCE = Context(actor="olivia"), Context(actor="fiona")
ON = date(2021, 4, 2)
PROGRAMS = (("JUS", Pillar.PROTECTION), ("WAGE", Pillar.EMPOWERMENT))

cents = st.integers(1, 60_000)
year = st.sampled_from(YEARS)
project = st.integers(0, 7)
operation = st.one_of(
    st.tuples(st.just("apply"), st.integers(0, 1), st.integers(1, 120_000)),
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
            st.sampled_from(["referrals", "survivors_served", "partnerships"]),
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
        program_id = grants.register_program(
            OFFICER,
            department=department,
            name_en=department,
            name_fr=department,
            transfer_type=TransferType.CONTRIBUTION,
            pillars=(pillar,),
            effective_on=ON,
        ).id
        for fiscal_year in YEARS:
            grants.set_allocation(OFFICER, program_id, fiscal_year, 80_000, effective_on=ON)
        played.programs.append(program_id)
    for op in operations:
        with contextlib.suppress(DomainError, NotFound):  # refusals belong to histories
            _do(grants, played, op)
    return played


def _do(grants: Grants, played: Played, op: tuple[Any, ...]) -> None:
    name, *args = op

    def p(n: int) -> UUID:
        return played.projects[n % len(played.projects)]

    def flow(first: int, second: int) -> dict[FiscalYear, int]:
        return {y: c for y, c in zip(YEARS, (first, second), strict=True) if c}

    if name == "apply":
        which, requested = args
        pillar = PROGRAMS[which][1]
        project_id = grants.receive_application(
            OFFICER,
            played.programs[which],
            None,
            recipient=Recipient("Org", "NS"),
            title_en="P",
            title_fr="P",
            pillar=pillar,
            requested_cents=requested,
            effective_on=ON,
        ).id
        grants.assess(OFFICER, project_id, 70, "fund", effective_on=ON)
        played.projects.append(project_id)
    elif name == "allocate":
        which, fiscal_year, amount = args
        grants.set_allocation(OFFICER, played.programs[which], fiscal_year, amount, effective_on=ON)
    elif not played.projects:
        return
    elif name == "approve":
        grants.approve(OFFICER, p(args[0]), flow(args[1], args[2]), effective_on=ON)
    elif name == "sign":
        grants.sign_agreement(
            OFFICER,
            p(args[0]),
            start_on=ON,
            end_on=date(2023, 3, 31),
            payment_basis=PaymentBasis.ADVANCE,
            holdback_percent=10,
            disclosure=DISCLOSURE,
            signed_on=ON,
        )
    elif name == "amend":
        grants.amend_agreement(
            OFFICER,
            p(args[0]),
            cash_flow=flow(args[1], args[2]),
            start_on=None,
            end_on=None,
            effective_on=ON,
        )
    elif name == "reprofile":
        grants.reprofile(OFFICER, p(args[0]), *YEARS, args[1], effective_on=ON)
    elif name == "pay":
        fiscal_year = args[1]
        on = date(fiscal_year.start_year, 9, 1)
        request = grants.request_payment(
            OFFICER, p(args[0]), fiscal_year, args[2], None, effective_on=on
        )
        grants.release_payment(
            FINANCE, p(args[0]), request.id, f"PAY-{request.id.hex[:8]}", paid_on=on
        )
    elif name == "recover":
        grants.recover_overpayment(FINANCE, p(args[0]), args[1], args[2], "REC", effective_on=ON)
    elif name == "results":
        grants.report_results(OFFICER, p(args[0]), args[1], args[2], effective_on=ON)
    elif name == "withdraw":
        grants.withdraw(OFFICER, p(args[0]), "withdrawn", effective_on=ON)
    elif name == "close":
        grants.accept_final_report(OFFICER, p(args[0]), effective_on=ON)
        grants.close_project(OFFICER, p(args[0]), effective_on=ON)
