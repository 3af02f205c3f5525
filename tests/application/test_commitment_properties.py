"""For any sequence of commands, on the application kept in memory: no project is ever
paid more than its approved value, no fiscal year's commitments exceed the program's
allocation, and the program's commitments are exactly the sum of its projects' cash
flows. (That both aggregates are saved in one PostgreSQL transaction, and that racing
commands cannot overcommit there: tests/store/test_commitment_race.py.)"""

from __future__ import annotations

import contextlib
from datetime import date
from uuid import UUID

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from grants.application import Context, in_memory
from grants.commands import (
    AcceptFinalReport,
    Amend,
    Approve,
    Assess,
    CashFlowLine,
    CloseProject,
    Command,
    ReceiveApplication,
    RecoverOverpayment,
    RegisterProgram,
    ReleasePayment,
    ReportResults,
    Reprofile,
    RequestPayment,
    SetAllocation,
    SignAgreement,
    Withdraw,
)
from grants.domain.errors import DomainError
from grants.domain.fiscal_year import FiscalYear
from grants.domain.recipient import Recipient
from grants.domain.reference import PaymentBasis, Pillar, TransferType
from grants.idempotency import Receipt
from tests.results_framework import in_use
from tests.stories import DISCLOSURE

YEARS = (FiscalYear("2021-22"), FiscalYear("2022-23"))
OFFICER, FINANCE = Context(actor="olivia"), Context(actor="fiona")
ON = date(2021, 4, 2)
cents = st.integers(min_value=1, max_value=50_000)
year = st.sampled_from(YEARS)


class CommitmentControl(RuleBasedStateMachine):
    projects = Bundle("projects")

    @initialize(first=st.integers(0, 100_000), second=st.integers(0, 100_000))
    def program(self, first: int, second: int) -> None:
        self.grants = in_memory()
        self.program_id = self.grants.handle(
            OFFICER,
            RegisterProgram(
                department="WAGE",
                name_en="Women's Program",
                name_fr="Programme de promotion de la femme",
                transfer_type=TransferType.CONTRIBUTION,
                pillars=[Pillar.EMPOWERMENT],
                effective_on=ON,
            ),
        ).id
        for fiscal_year, amount in zip(YEARS, (first, second), strict=True):
            self.allocate(fiscal_year, amount)
        in_use(self.grants, "referrals")
        self.ids: list[UUID] = []

    @rule(target=projects, requested=st.integers(1, 120_000))
    def application(self, requested: int) -> UUID:
        project_id = self.grants.handle(
            OFFICER,
            ReceiveApplication(
                program_id=self.program_id,
                recipient=Recipient("Org", "MB"),
                title_en="P",
                title_fr="P",
                pillar=Pillar.EMPOWERMENT,
                requested_cents=requested,
                effective_on=ON,
            ),
        ).id
        self.grants.handle(
            OFFICER, Assess(score=70, recommendation="fund", effective_on=ON), project_id
        )
        self.ids.append(project_id)
        return project_id

    @rule(project=projects, first=st.integers(0, 60_000), second=st.integers(0, 60_000))
    def approve(self, project: UUID, first: int, second: int) -> None:
        self.attempt(project, Approve(cash_flow=flow(first, second), effective_on=ON))

    @rule(fiscal_year=year, amount=st.integers(0, 100_000))
    def allocate(self, fiscal_year: FiscalYear, amount: int) -> None:
        with contextlib.suppress(DomainError):
            self.grants.handle(
                OFFICER,
                SetAllocation(amount_cents=amount, effective_on=ON),
                self.program_id,
                fiscal_year=fiscal_year,
            )

    @rule(project=projects, holdback=st.sampled_from([0, 10, 25]))
    def sign(self, project: UUID, holdback: int) -> None:
        self.attempt(
            project,
            SignAgreement(
                signed_on=ON,
                start_on=ON,
                end_on=date(2023, 3, 31),
                payment_basis=PaymentBasis.REIMBURSEMENT,
                holdback_percent=holdback,
                disclosure=DISCLOSURE,
            ),
        )

    @rule(project=projects, first=st.integers(0, 60_000), second=st.integers(0, 60_000))
    def amend(self, project: UUID, first: int, second: int) -> None:
        self.attempt(project, Amend(cash_flow=flow(first, second), effective_on=ON))

    @rule(project=projects, amount=cents)
    def reprofile(self, project: UUID, amount: int) -> None:
        self.attempt(
            project,
            Reprofile(
                from_fiscal_year=YEARS[0],
                to_fiscal_year=YEARS[1],
                amount_cents=amount,
                effective_on=ON,
            ),
        )

    @rule(project=projects, fiscal_year=year, amount=cents)
    def pay(self, project: UUID, fiscal_year: FiscalYear, amount: int) -> None:
        on = date(fiscal_year.start_year, 9, 1)
        receipt = self.attempt(
            project, RequestPayment(fiscal_year=fiscal_year, amount_cents=amount, effective_on=on)
        )
        if receipt is not None:
            self.grants.handle(
                FINANCE,
                ReleasePayment(payment_request_id=receipt.id, payment_ref="PAY", paid_on=on),
                project,
            )

    @rule(project=projects, fiscal_year=year, amount=cents)
    def recover(self, project: UUID, fiscal_year: FiscalYear, amount: int) -> None:
        recovery = RecoverOverpayment(
            fiscal_year=fiscal_year, amount_cents=amount, payment_ref="REC", effective_on=ON
        )
        self.attempt(project, recovery, FINANCE)

    @rule(project=projects)
    def withdraw(self, project: UUID) -> None:
        self.attempt(project, Withdraw(reason="withdrawn", effective_on=ON))

    @rule(project=projects)
    def close(self, project: UUID) -> None:
        self.attempt(
            project,
            ReportResults(fiscal_year=YEARS[0], indicators={"referrals": 1}, effective_on=ON),
        )
        self.attempt(project, AcceptFinalReport(effective_on=ON))
        self.attempt(project, CloseProject(effective_on=ON))

    @invariant()
    def nobody_is_paid_more_than_approved(self) -> None:
        for project_id in getattr(self, "ids", []):
            project = self.grants.project(project_id)
            assert project.disbursed_cents <= project.value_cents
            for fiscal_year, paid in project.disbursed.items():
                assert 0 <= paid <= project.cash_flow.get(fiscal_year, 0)

    @invariant()
    def commitments_stay_within_allocations_and_match_the_projects(self) -> None:
        if not hasattr(self, "program_id"):
            return
        program = self.grants.program(self.program_id)
        projects = [self.grants.project(p) for p in self.ids]
        for fiscal_year in YEARS:
            committed = program.committed.get(fiscal_year, 0)
            assert committed <= program.allocations.get(fiscal_year, 0)
            assert committed == sum(p.cash_flow.get(fiscal_year, 0) for p in projects)

    def attempt(self, project: UUID, command: Command, ctx: Context = OFFICER) -> Receipt | None:
        """Refusals are part of every history; the invariants must hold either way."""
        try:
            return self.grants.handle(ctx, command, project)
        except DomainError:
            return None


def flow(first: int, second: int) -> list[CashFlowLine]:
    return [CashFlowLine(y, c) for y, c in zip(YEARS, (first, second), strict=True) if c]


def test_commitment_control_holds_for_every_history() -> None:
    run_state_machine_as_test(
        CommitmentControl,
        settings=settings(max_examples=200, stateful_step_count=30, deadline=None),
    )
