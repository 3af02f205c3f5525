"""For any sequence of commands, on real PostgreSQL: no project is ever paid more than
its approved value, no fiscal year's commitments exceed the program's allocation, and
the program's commitments are exactly the sum of its projects' cash flows."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from grants.application import Context, Grants
from grants.bootstrap import Services
from grants.domain.errors import DomainError
from grants.domain.fiscal_year import FiscalYear
from grants.domain.recipient import Recipient
from grants.domain.reference import PaymentBasis, Pillar, TransferType
from tests.stories import DISCLOSURE

YEARS = (FiscalYear("2021-22"), FiscalYear("2022-23"))
OFFICER, FINANCE = Context(actor="olivia"), Context(actor="fiona")
ON = date(2021, 4, 2)
cents = st.integers(min_value=1, max_value=50_000)
year = st.sampled_from(YEARS)


class CommitmentControl(RuleBasedStateMachine):
    grants: Grants
    projects = Bundle("projects")

    @initialize(first=st.integers(0, 100_000), second=st.integers(0, 100_000))
    def program(self, first: int, second: int) -> None:
        self.program_id = self.grants.register_program(
            OFFICER,
            department="WAGE",
            name_en="Women's Program",
            name_fr="Programme de promotion de la femme",
            transfer_type=TransferType.CONTRIBUTION,
            pillars=(Pillar.EMPOWERMENT,),
            effective_on=ON,
        ).id
        for fiscal_year, amount in zip(YEARS, (first, second), strict=True):
            self.grants.set_allocation(
                OFFICER, self.program_id, fiscal_year, amount, effective_on=ON
            )
        self.ids: list[UUID] = []

    @rule(target=projects, requested=st.integers(1, 120_000))
    def application(self, requested: int) -> UUID:
        project_id = self.grants.receive_application(
            OFFICER,
            self.program_id,
            None,
            recipient=Recipient("Org", "MB"),
            title_en="P",
            title_fr="P",
            pillar=Pillar.EMPOWERMENT,
            requested_cents=requested,
            effective_on=ON,
        ).id
        self.grants.assess(OFFICER, project_id, 70, "fund", effective_on=ON)
        self.ids.append(project_id)
        return project_id

    @rule(project=projects, first=st.integers(0, 60_000), second=st.integers(0, 60_000))
    def approve(self, project: UUID, first: int, second: int) -> None:
        flow = {y: c for y, c in zip(YEARS, (first, second), strict=True) if c}
        self.attempt(self.grants.approve, OFFICER, project, flow, effective_on=ON)

    @rule(fiscal_year=year, amount=st.integers(0, 100_000))
    def allocate(self, fiscal_year: FiscalYear, amount: int) -> None:
        self.attempt(
            self.grants.set_allocation,
            OFFICER,
            self.program_id,
            fiscal_year,
            amount,
            effective_on=ON,
        )

    @rule(project=projects, holdback=st.sampled_from([0, 10, 25]))
    def sign(self, project: UUID, holdback: int) -> None:
        self.attempt(
            self.grants.sign_agreement,
            OFFICER,
            project,
            start_on=ON,
            end_on=date(2023, 3, 31),
            payment_basis=PaymentBasis.REIMBURSEMENT,
            holdback_percent=holdback,
            disclosure=DISCLOSURE,
            signed_on=ON,
        )

    @rule(project=projects, first=st.integers(0, 60_000), second=st.integers(0, 60_000))
    def amend(self, project: UUID, first: int, second: int) -> None:
        flow = {y: c for y, c in zip(YEARS, (first, second), strict=True) if c}
        self.attempt(
            self.grants.amend_agreement,
            OFFICER,
            project,
            cash_flow=flow,
            start_on=None,
            end_on=None,
            effective_on=ON,
        )

    @rule(project=projects, amount=cents)
    def reprofile(self, project: UUID, amount: int) -> None:
        self.attempt(self.grants.reprofile, OFFICER, project, *YEARS, amount, effective_on=ON)

    @rule(project=projects, fiscal_year=year, amount=cents)
    def pay(self, project: UUID, fiscal_year: FiscalYear, amount: int) -> None:
        on = date(fiscal_year.start_year, 9, 1)
        receipt = self.attempt(
            self.grants.request_payment,
            OFFICER,
            project,
            fiscal_year,
            amount,
            None,
            effective_on=on,
        )
        if receipt is not None:
            self.grants.release_payment(FINANCE, project, receipt.id, "PAY", paid_on=on)

    @rule(project=projects, fiscal_year=year, amount=cents)
    def recover(self, project: UUID, fiscal_year: FiscalYear, amount: int) -> None:
        self.attempt(
            self.grants.recover_overpayment,
            FINANCE,
            project,
            fiscal_year,
            amount,
            "REC",
            effective_on=ON,
        )

    @rule(project=projects)
    def withdraw(self, project: UUID) -> None:
        self.attempt(self.grants.withdraw, OFFICER, project, "withdrawn", effective_on=ON)

    @rule(project=projects)
    def close(self, project: UUID) -> None:
        self.attempt(
            self.grants.report_results,
            OFFICER,
            project,
            YEARS[0],
            {"referrals": 1},
            effective_on=ON,
        )
        self.attempt(self.grants.accept_final_report, OFFICER, project, effective_on=ON)
        self.attempt(self.grants.close_project, OFFICER, project, effective_on=ON)

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

    @staticmethod
    def attempt(command: Any, *args: Any, **kwargs: Any) -> Any:
        """Refusals are part of every history; the invariants must hold either way."""
        try:
            return command(*args, **kwargs)
        except DomainError:
            return None


def test_commitment_control_holds_for_every_history(services: Services) -> None:
    CommitmentControl.grants = services.grants
    run_state_machine_as_test(
        CommitmentControl,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
