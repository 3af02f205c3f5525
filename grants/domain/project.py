"""A funded project, from application to close-out.

Every command checks its rules at the top and raises the error that names the rule;
the events' ``apply`` methods only change state, so replaying history never re-judges it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import ClassVar
from uuid import UUID, uuid4

from grants.domain.aggregate import Aggregate
from grants.domain.call import Call
from grants.domain.cash_flow import CashFlow
from grants.domain.disclosure import Disclosure
from grants.domain.errors import (
    AgreementNotSigned,
    ApprovalExceedsRequest,
    CashFlowBelowSpending,
    CashFlowExceeded,
    CashFlowOutsideAgreement,
    HoldbackNotReleased,
    InvalidAmount,
    InvalidCashFlow,
    InvalidDates,
    InvalidPillar,
    InvalidValue,
    PaymentAlreadyReleased,
    PaymentOutsideFiscalYear,
    PaymentsPending,
    ProjectAlreadyClosed,
    RecoveryExceedsDisbursed,
    ResultsMissing,
    SegregationOfDuties,
    StatusForbids,
    UnknownPaymentRequest,
    rule,
)
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.recipient import Recipient
from grants.domain.reference import PaymentBasis, PaymentKind, Pillar, TransferType
from grants.domain.results import indicator_values
from grants.domain.values import TEXT_LENGTH, cents, day, text


class Status(StrEnum):
    RECEIVED = "received"
    ASSESSED = "assessed"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    UNDER_AGREEMENT = "under_agreement"
    FINAL_REPORT_ACCEPTED = "final_report_accepted"
    CLOSED = "closed"


class Action(StrEnum):
    """What may be done to a project."""

    ACKNOWLEDGE = "acknowledge"
    CORRECT = "correct"
    ASSESS = "assess"
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    SIGN_AGREEMENT = "sign_agreement"
    AMEND = "amend"
    REPROFILE = "reprofile"
    REQUEST_PAYMENT = "request_payment"
    RELEASE_PAYMENT = "release_payment"
    RECOVER = "recover"
    REPORT_RESULTS = "report_results"
    ACCEPT_FINAL_REPORT = "accept_final_report"
    CLOSE = "close"


# What each status allows: the one table that the commands' guards below, the pages'
# next steps and the project list read. Recoveries go on after close-out (and lapse).
ALLOWS: dict[Status, frozenset[Action]] = {
    # An application is corrected only before it is assessed: the assessment scored it
    # as it then read.
    Status.RECEIVED: frozenset(
        {Action.ACKNOWLEDGE, Action.CORRECT, Action.ASSESS, Action.REJECT, Action.WITHDRAW}
    ),
    Status.ASSESSED: frozenset(
        {Action.ACKNOWLEDGE, Action.ASSESS, Action.APPROVE, Action.REJECT, Action.WITHDRAW}
    ),
    Status.APPROVED: frozenset({Action.SIGN_AGREEMENT, Action.WITHDRAW}),
    Status.REJECTED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.UNDER_AGREEMENT: frozenset(
        {
            Action.AMEND,
            Action.REPROFILE,
            Action.REQUEST_PAYMENT,
            Action.RELEASE_PAYMENT,
            Action.RECOVER,
            Action.REPORT_RESULTS,
            Action.ACCEPT_FINAL_REPORT,
        }
    ),
    Status.FINAL_REPORT_ACCEPTED: frozenset(
        {
            Action.REQUEST_PAYMENT,
            Action.RELEASE_PAYMENT,
            Action.RECOVER,
            Action.REPORT_RESULTS,
            Action.CLOSE,
        }
    ),
    Status.CLOSED: frozenset({Action.RECOVER}),
}
# The statuses of a project whose agreement is signed.
SIGNED = frozenset({Status.UNDER_AGREEMENT, Status.FINAL_REPORT_ACCEPTED, Status.CLOSED})

# A year's payments may still be released in April as payables at year-end.
PAYABLES_AT_YEAR_END = timedelta(days=30)


@dataclass(frozen=True)
class Agreement:
    signed_on: date
    start_on: date
    end_on: date
    payment_basis: PaymentBasis
    holdback_percent: int
    disclosure: Disclosure
    amendment_number: int = 0
    # The start date the open-data table publishes for every amendment: the initial one.
    published_start_on: date | None = None


@dataclass(frozen=True)
class PaymentRequest:
    id: UUID
    fiscal_year: FiscalYear
    amount_cents: int
    kind: PaymentKind
    certified_by: str
    requested_on: date
    released_by: str | None = None
    payment_ref: str | None = None
    paid_on: date | None = None


class Project(Aggregate):
    program_id: UUID
    department: str
    transfer_type: TransferType
    call_id: UUID | None
    recipient: Recipient
    title_en: str
    title_fr: str
    pillar: Pillar
    requested_cents: int
    status: Status
    score: int | None
    # What the project holds of its program's allocations: the approved or amended
    # cash flow; nothing once withdrawn; what was paid once closed.
    cash_flow: CashFlow
    agreement: Agreement | None
    payment_requests: dict[UUID, PaymentRequest]
    disbursed: CashFlow
    results: dict[FiscalYear, dict[str, int]]
    acknowledged_on: date | None

    def __init__(self) -> None:
        """The state comes from the creation event's ``apply``, like every change."""

    class ApplicationReceived(Aggregate.Created):
        program_id: UUID
        department: str
        transfer_type: TransferType
        call_id: UUID | None
        recipient: Recipient
        title_en: str
        title_fr: str
        pillar: Pillar
        requested_cents: int

        def apply(self, project: Project) -> None:
            project.program_id = self.program_id
            project.department = self.department
            project.transfer_type = self.transfer_type
            project.call_id = self.call_id
            project.recipient = self.recipient
            project.title_en = self.title_en
            project.title_fr = self.title_fr
            project.pillar = self.pillar
            project.requested_cents = self.requested_cents
            project.status = Status.RECEIVED
            project.score = None
            project.cash_flow = {}
            project.agreement = None
            project.payment_requests = {}
            project.disbursed = {}
            project.results = {}
            project.acknowledged_on = None

    class ApplicationCorrected(Aggregate.Event):
        """What the application says, as it should read: recipient, titles, pillar and
        amount requested."""

        recipient: Recipient
        title_en: str
        title_fr: str
        pillar: Pillar
        requested_cents: int

        def apply(self, project: Project) -> None:
            project.recipient = self.recipient
            project.title_en = self.title_en
            project.title_fr = self.title_fr
            project.pillar = self.pillar
            project.requested_cents = self.requested_cents

    class ApplicationAcknowledged(Aggregate.Event):
        """The applicant was told the application arrived (a service standard's clock)."""

        def apply(self, project: Project) -> None:
            project.acknowledged_on = self.effective_on

    class ApplicationAssessed(Aggregate.Event):
        leaves: ClassVar[Status] = Status.ASSESSED
        score: int
        recommendation: str

        def apply(self, project: Project) -> None:
            project.status = self.leaves
            project.score = self.score

    class ApplicationApproved(Aggregate.Event):
        leaves: ClassVar[Status] = Status.APPROVED
        cash_flow: CashFlow

        def apply(self, project: Project) -> None:
            project.status = self.leaves
            project.cash_flow = dict(self.cash_flow)

    class ApplicationRejected(Aggregate.Event):
        leaves: ClassVar[Status] = Status.REJECTED
        reason: str

        def apply(self, project: Project) -> None:
            project.status = self.leaves

    class ApplicationWithdrawn(Aggregate.Event):
        leaves: ClassVar[Status] = Status.WITHDRAWN
        reason: str

        def apply(self, project: Project) -> None:
            project.status = self.leaves
            project.cash_flow = {}

    class AgreementSigned(Aggregate.Event):
        """Version 2 added what the open-data disclosure publishes."""

        leaves: ClassVar[Status] = Status.UNDER_AGREEMENT
        class_version = 2
        start_on: date
        end_on: date
        payment_basis: PaymentBasis
        holdback_percent: int
        value_cents: int
        disclosure: Disclosure

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["disclosure"] = {}

        def apply(self, project: Project) -> None:
            project.status = self.leaves
            project.agreement = Agreement(
                signed_on=self.effective_on,
                start_on=self.start_on,
                end_on=self.end_on,
                payment_basis=self.payment_basis,
                holdback_percent=self.holdback_percent,
                disclosure=self.disclosure,
                published_start_on=self.start_on,
            )

    class AgreementAmended(Aggregate.Event):
        amendment_number: int
        start_on: date
        end_on: date
        cash_flow: CashFlow
        value_cents: int

        def apply(self, project: Project) -> None:
            assert project.agreement is not None
            project.agreement = Agreement(
                signed_on=project.agreement.signed_on,
                start_on=self.start_on,
                end_on=self.end_on,
                payment_basis=project.agreement.payment_basis,
                holdback_percent=project.agreement.holdback_percent,
                disclosure=project.agreement.disclosure,
                amendment_number=self.amendment_number,
                published_start_on=project.agreement.published_start_on,
            )
            project.cash_flow = dict(self.cash_flow)

    class CashFlowReprofiled(Aggregate.Event):
        from_fiscal_year: FiscalYear
        to_fiscal_year: FiscalYear
        amount_cents: int

        def apply(self, project: Project) -> None:
            flow = project.cash_flow
            flow[self.from_fiscal_year] -= self.amount_cents
            flow[self.to_fiscal_year] = flow.get(self.to_fiscal_year, 0) + self.amount_cents
            project.cash_flow = {year: cents for year, cents in sorted(flow.items()) if cents}

    class PaymentRequested(Aggregate.Event):
        """A payment request certified by the program side (section 34 of the
        Financial Administration Act); ``actor`` is the certifier."""

        payment_request_id: UUID
        fiscal_year: FiscalYear
        amount_cents: int
        kind: PaymentKind
        # When the recipient's complete claim arrived, which starts the payment
        # standard's clock; the request's own day when not given.
        claim_received_on: date | None = None

        def apply(self, project: Project) -> None:
            project.payment_requests[self.payment_request_id] = PaymentRequest(
                id=self.payment_request_id,
                fiscal_year=self.fiscal_year,
                amount_cents=self.amount_cents,
                kind=self.kind,
                certified_by=self.actor,
                requested_on=self.effective_on,
            )

    class DisbursementReleased(Aggregate.Event):
        """Finance released the payment (section 33); ``actor`` released it, never the
        person in ``certified_by``. The project's program, department and pillar come
        along, so that the event alone says where the money went."""

        program_id: UUID
        department: str
        pillar: Pillar
        payment_request_id: UUID
        payment_ref: str
        fiscal_year: FiscalYear
        amount_cents: int
        kind: PaymentKind
        certified_by: str

        def apply(self, project: Project) -> None:
            project.payment_requests[self.payment_request_id] = replace(
                project.payment_requests[self.payment_request_id],
                released_by=self.actor,
                payment_ref=self.payment_ref,
                paid_on=self.effective_on,
            )
            year = self.fiscal_year
            project.disbursed[year] = project.disbursed.get(year, 0) + self.amount_cents

    class HoldbackReleased(DisbursementReleased):
        """The release of a payment of the holdback, after the final report."""

    class OverpaymentRecovered(Aggregate.Event):
        program_id: UUID
        department: str
        pillar: Pillar
        fiscal_year: FiscalYear
        amount_cents: int
        payment_ref: str
        # The fiscal year is closed: what is recovered lapses with it.
        lapses: bool = False

        def apply(self, project: Project) -> None:
            year = self.fiscal_year
            project.disbursed[year] -= self.amount_cents
            if project.status is Status.CLOSED:
                # After close-out the commitment is what was paid: a recovery lapses too.
                project.cash_flow = dict(project.disbursed)
            elif self.lapses:
                project.cash_flow[year] -= self.amount_cents

    class CommitmentLapsed(Aggregate.Event):
        """Finance closed the fiscal year: what it committed and did not pay lapses."""

        fiscal_year: FiscalYear
        amount_cents: int

        def apply(self, project: Project) -> None:
            project.cash_flow[self.fiscal_year] -= self.amount_cents

    class ResultsReported(Aggregate.Event):
        """The year's figures; a later report for the same year replaces them."""

        program_id: UUID
        department: str
        pillar: Pillar
        fiscal_year: FiscalYear
        indicators: dict[str, int]

        def apply(self, project: Project) -> None:
            project.results[self.fiscal_year] = dict(self.indicators)

    class FinalReportAccepted(Aggregate.Event):
        leaves: ClassVar[Status] = Status.FINAL_REPORT_ACCEPTED

        def apply(self, project: Project) -> None:
            project.status = self.leaves

    class ProjectClosed(Aggregate.Event):
        """Close-out: what was not paid of each year's cash flow lapses, the unpaid
        holdback with it."""

        leaves: ClassVar[Status] = Status.CLOSED
        lapsed: CashFlow
        holdback_cancelled_cents: int

        def apply(self, project: Project) -> None:
            project.status = self.leaves
            project.cash_flow = dict(project.disbursed)

    # Commands

    @classmethod
    def receive(
        cls,
        program: Program,
        call: Call | None,
        *,
        recipient: Recipient,
        title_en: str,
        title_fr: str,
        pillar: Pillar,
        requested_cents: int,
        actor: str,
        effective_on: date,
    ) -> Project:
        title_en, title_fr = _application(program, title_en, title_fr, pillar, requested_cents)
        if call is not None:
            if call.program_id != program.id:
                raise InvalidValue(rule("the call belongs to another program"), field="call_id")
            call.check_accepts(effective_on, pillar)
        return cls._create(
            cls.ApplicationReceived,
            id=uuid4(),
            program_id=program.id,
            department=program.department,
            transfer_type=program.transfer_type,
            call_id=call.id if call else None,
            recipient=recipient.checked(),
            title_en=title_en,
            title_fr=title_fr,
            pillar=pillar,
            requested_cents=requested_cents,
            actor=actor,
            effective_on=effective_on,
        )

    def correct(
        self,
        program: Program,
        *,
        recipient: Recipient,
        title_en: str,
        title_fr: str,
        pillar: Pillar,
        requested_cents: int,
        actor: str,
        effective_on: date,
    ) -> None:
        self._require(Action.CORRECT)
        title_en, title_fr = _application(program, title_en, title_fr, pillar, requested_cents)
        if self.call_id is not None and pillar is not self.pillar:
            raise InvalidPillar(
                rule("an application to a call stays in the call's pillar"), field="pillar"
            )
        self.trigger_event(
            self.ApplicationCorrected,
            recipient=recipient.checked(),
            title_en=title_en,
            title_fr=title_fr,
            pillar=pillar,
            requested_cents=requested_cents,
            actor=actor,
            effective_on=effective_on,
        )

    def acknowledge(self, *, actor: str, effective_on: date) -> None:
        self._require(Action.ACKNOWLEDGE)
        if self.acknowledged_on is not None:
            raise StatusForbids(
                rule("the application was acknowledged on {acknowledged_on}"),
                acknowledged_on=self.acknowledged_on,
            )
        self.trigger_event(self.ApplicationAcknowledged, actor=actor, effective_on=effective_on)

    def assess(self, score: int, recommendation: str, *, actor: str, effective_on: date) -> None:
        self._require(Action.ASSESS)
        if type(score) is not int or not 0 <= score <= 100:
            raise InvalidValue(rule("a score is a whole number from 0 to 100"), field="score")
        self.trigger_event(
            self.ApplicationAssessed,
            score=score,
            recommendation=_reason(recommendation, "recommendation"),
            actor=actor,
            effective_on=effective_on,
        )

    def approve(self, cash_flow: CashFlow, *, actor: str, effective_on: date) -> None:
        self._require(Action.APPROVE)
        if not cash_flow:
            raise InvalidCashFlow(
                rule("a cash flow needs at least one fiscal year"), field="cash_flow"
            )
        value = sum(cash_flow.values())
        if value > self.requested_cents:
            raise ApprovalExceedsRequest(
                rule(
                    "the cash flow adds up to {value_cents}, more than the {requested_cents} "
                    "requested"
                ),
                field="cash_flow",
                value_cents=value,
                requested_cents=self.requested_cents,
            )
        if min(cash_flow) < FiscalYear.of(effective_on):
            raise InvalidCashFlow(
                rule(
                    "an approval on {approved_on} cannot commit money in {fiscal_year}, a "
                    "fiscal year already over"
                ),
                field="cash_flow",
                approved_on=effective_on,
                fiscal_year=min(cash_flow),
            )
        self.trigger_event(
            self.ApplicationApproved, cash_flow=cash_flow, actor=actor, effective_on=effective_on
        )

    def reject(self, reason: str, *, actor: str, effective_on: date) -> None:
        self._require(Action.REJECT)
        self.trigger_event(
            self.ApplicationRejected,
            reason=_reason(reason, "reason"),
            actor=actor,
            effective_on=effective_on,
        )

    def withdraw(self, reason: str, *, actor: str, effective_on: date) -> None:
        self._require(Action.WITHDRAW)
        self.trigger_event(
            self.ApplicationWithdrawn,
            reason=_reason(reason, "reason"),
            actor=actor,
            effective_on=effective_on,
        )

    def sign_agreement(
        self,
        *,
        start_on: date,
        end_on: date,
        payment_basis: PaymentBasis,
        holdback_percent: int,
        disclosure: Disclosure,
        actor: str,
        effective_on: date,
    ) -> None:
        self._require(Action.SIGN_AGREEMENT)
        day(effective_on, field="signed_on")
        if type(holdback_percent) is not int or not 0 <= holdback_percent <= 100:
            raise InvalidValue(
                rule("a holdback is a whole number from 0 to 100 percent"), field="holdback_percent"
            )
        if holdback_percent and self.transfer_type is TransferType.GRANT:
            raise InvalidValue(
                rule("grants are paid on eligibility: they hold nothing back"),
                field="holdback_percent",
            )
        _check_period(self.cash_flow, start_on, end_on)
        disclosure = disclosure.as_published()
        disclosure.check(start_on, self.recipient.business_number)
        self.trigger_event(
            self.AgreementSigned,
            start_on=start_on,
            end_on=end_on,
            payment_basis=payment_basis,
            holdback_percent=holdback_percent,
            value_cents=self.value_cents,
            disclosure=disclosure,
            actor=actor,
            effective_on=effective_on,
        )

    def amend(
        self,
        *,
        cash_flow: CashFlow | None,
        start_on: date | None,
        end_on: date | None,
        actor: str,
        effective_on: date,
    ) -> None:
        agreement = self._under_agreement(Action.AMEND, effective_on)
        flow = cash_flow if cash_flow is not None else self.cash_flow
        start_on = start_on or agreement.start_on
        end_on = end_on or agreement.end_on
        for year in sorted(set(flow) | set(self.cash_flow)):
            spent = self.spent(year)
            if flow.get(year, 0) < spent:
                raise CashFlowBelowSpending(
                    rule(
                        "{spent_cents} of {fiscal_year} is already paid or certified; the amended "
                        "cash flow gives that year {given_cents}"
                    ),
                    field="cash_flow",
                    fiscal_year=year,
                    spent_cents=spent,
                    given_cents=flow.get(year, 0),
                )
        _check_period(flow, start_on, end_on)
        published_start_on = agreement.published_start_on or agreement.start_on
        if end_on < published_start_on:
            raise InvalidDates(
                rule(
                    "the agreement is published as starting on {start_on}: it cannot end "
                    "before, on {end_on}"
                ),
                field="end_on",
                start_on=published_start_on,
                end_on=end_on,
            )
        self.trigger_event(
            self.AgreementAmended,
            amendment_number=agreement.amendment_number + 1,
            start_on=start_on,
            end_on=end_on,
            cash_flow=flow,
            value_cents=sum(flow.values()),
            actor=actor,
            effective_on=effective_on,
        )

    def reprofile(
        self,
        from_fiscal_year: FiscalYear,
        to_fiscal_year: FiscalYear,
        amount_cents: int,
        *,
        actor: str,
        effective_on: date,
    ) -> None:
        agreement = self._under_agreement(Action.REPROFILE, effective_on)
        if to_fiscal_year <= from_fiscal_year:
            raise InvalidValue(
                rule("reprofiling moves money to a later fiscal year"), field="to_fiscal_year"
            )
        if cents(amount_cents, field="amount_cents") <= 0:
            raise InvalidAmount(
                rule("the amount moved must be more than zero"), field="amount_cents"
            )
        unspent = self.cash_flow.get(from_fiscal_year, 0) - self.spent(from_fiscal_year)
        if amount_cents > unspent:
            raise CashFlowExceeded(
                rule("{fiscal_year} has {unspent_cents} unspent: {asked_cents} cannot move"),
                field="amount_cents",
                fiscal_year=from_fiscal_year,
                unspent_cents=unspent,
                asked_cents=amount_cents,
            )
        _check_period({to_fiscal_year: amount_cents}, agreement.start_on, agreement.end_on)
        self.trigger_event(
            self.CashFlowReprofiled,
            from_fiscal_year=from_fiscal_year,
            to_fiscal_year=to_fiscal_year,
            amount_cents=amount_cents,
            actor=actor,
            effective_on=effective_on,
        )

    def request_payment(
        self,
        fiscal_year: FiscalYear,
        amount_cents: int,
        kind: PaymentKind | None,
        claim_received_on: date | None = None,
        *,
        actor: str,
        effective_on: date,
    ) -> UUID:
        agreement = self._under_agreement(Action.REQUEST_PAYMENT, effective_on)
        if fiscal_year.starts_on > effective_on:
            raise InvalidDates(
                rule("{fiscal_year} has not begun: its payments can be requested from {starts_on}"),
                field="fiscal_year",
                fiscal_year=fiscal_year,
                starts_on=fiscal_year.starts_on,
            )
        if claim_received_on is not None and not (
            agreement.signed_on <= day(claim_received_on, field="claim_received_on") <= effective_on
        ):
            raise InvalidDates(
                rule(
                    "a claim is received from the signing on {signed_on} to the request, on "
                    "{requested_on}"
                ),
                field="claim_received_on",
                signed_on=agreement.signed_on,
                requested_on=effective_on,
            )
        if cents(amount_cents, field="amount_cents") <= 0:
            raise InvalidAmount(rule("a payment must be more than zero"), field="amount_cents")
        kind = kind or (
            PaymentKind.ADVANCE
            if agreement.payment_basis is PaymentBasis.ADVANCE
            else PaymentKind.CLAIM
        )
        final_report_accepted = self.status is Status.FINAL_REPORT_ACCEPTED
        if kind is PaymentKind.HOLDBACK and not final_report_accepted:
            raise HoldbackNotReleased(
                rule("the holdback is paid only once the final report is accepted"), field="kind"
            )
        room = self.cash_flow.get(fiscal_year, 0) - self.spent(fiscal_year)
        if amount_cents > room:
            raise CashFlowExceeded(
                rule("the cash flow leaves {room_cents} to pay in {fiscal_year}"),
                field="amount_cents",
                fiscal_year=fiscal_year,
                room_cents=room,
            )
        payable = self.value_cents - (0 if final_report_accepted else self.holdback_cents)
        room = payable - sum(self.spent(year) for year in self.cash_flow)
        if amount_cents > room:
            raise HoldbackNotReleased(
                rule(
                    "until the final report is accepted, {holdback_cents} is held back: "
                    "{room_cents} is left to pay"
                ),
                field="amount_cents",
                holdback_cents=self.holdback_cents,
                room_cents=room,
            )
        request_id = uuid4()
        self.trigger_event(
            self.PaymentRequested,
            payment_request_id=request_id,
            fiscal_year=fiscal_year,
            amount_cents=amount_cents,
            kind=kind,
            claim_received_on=claim_received_on,
            actor=actor,
            effective_on=effective_on,
        )
        return request_id

    def release_payment(
        self, payment_request_id: UUID, payment_ref: str, *, actor: str, effective_on: date
    ) -> None:
        self._under_agreement(Action.RELEASE_PAYMENT, effective_on)
        request = self.payment_requests.get(payment_request_id)
        if request is None:
            raise UnknownPaymentRequest(
                rule("this project has no such payment request"), field="payment_request_id"
            )
        if request.paid_on is not None:
            raise PaymentAlreadyReleased(
                rule("the request was paid on {paid_on} as {payment_ref}"),
                field="payment_request_id",
                paid_on=request.paid_on,
                payment_ref=request.payment_ref or "",
            )
        year = request.fiscal_year
        if not year.starts_on <= effective_on <= year.ends_on + PAYABLES_AT_YEAR_END:
            raise PaymentOutsideFiscalYear(
                rule(
                    "a payment charged to {fiscal_year} is paid from {starts_on} to {ends_on}, "
                    "or as a payable at year-end by {payable_until_on}; not on {paid_on}"
                ),
                field="paid_on",
                fiscal_year=year,
                starts_on=year.starts_on,
                ends_on=year.ends_on,
                payable_until_on=year.ends_on + PAYABLES_AT_YEAR_END,
                paid_on=effective_on,
            )
        if actor == request.certified_by:
            raise SegregationOfDuties(
                rule("{actor} certified this request and so may not release it"), actor=actor
            )
        payment_ref = _payment_ref(payment_ref)
        released = (
            self.HoldbackReleased
            if request.kind is PaymentKind.HOLDBACK
            else self.DisbursementReleased
        )
        self.trigger_event(
            released,
            **self._where(),
            payment_request_id=request.id,
            payment_ref=payment_ref,
            fiscal_year=request.fiscal_year,
            amount_cents=request.amount_cents,
            kind=request.kind,
            certified_by=request.certified_by,
            actor=actor,
            effective_on=effective_on,
        )

    def recover_overpayment(
        self,
        fiscal_year: FiscalYear,
        amount_cents: int,
        payment_ref: str,
        *,
        lapses: bool = False,
        actor: str,
        effective_on: date,
    ) -> None:
        """``lapses``: the fiscal year is closed, so what is recovered is not paid again."""
        self._under_agreement(Action.RECOVER, effective_on)
        if cents(amount_cents, field="amount_cents") <= 0:
            raise InvalidAmount(rule("a recovery must be more than zero"), field="amount_cents")
        payment_ref = _payment_ref(payment_ref)
        paid = self.disbursed.get(fiscal_year, 0)
        if amount_cents > paid:
            raise RecoveryExceedsDisbursed(
                rule("{paid_cents} was paid in {fiscal_year}: {asked_cents} cannot be recovered"),
                field="amount_cents",
                fiscal_year=fiscal_year,
                paid_cents=paid,
                asked_cents=amount_cents,
            )
        self.trigger_event(
            self.OverpaymentRecovered,
            **self._where(),
            fiscal_year=fiscal_year,
            amount_cents=amount_cents,
            payment_ref=payment_ref,
            lapses=lapses,
            actor=actor,
            effective_on=effective_on,
        )

    def lapse(self, fiscal_year: FiscalYear, *, actor: str, effective_on: date) -> None:
        """The fiscal year is closed: what it committed and did not pay lapses."""
        unspent = self.cash_flow.get(fiscal_year, 0) - self.spent(fiscal_year)
        if unspent > 0:
            self.trigger_event(
                self.CommitmentLapsed,
                fiscal_year=fiscal_year,
                amount_cents=unspent,
                actor=actor,
                effective_on=effective_on,
            )

    def report_results(
        self,
        fiscal_year: FiscalYear,
        indicators: Mapping[str, int],
        *,
        in_use: Collection[str],
        actor: str,
        effective_on: date,
    ) -> None:
        """The year's figures against ``in_use``, the codes of the indicators the
        results framework has in use."""
        self._under_agreement(Action.REPORT_RESULTS, effective_on)
        self.trigger_event(
            self.ResultsReported,
            **self._where(),
            fiscal_year=fiscal_year,
            indicators=indicator_values(indicators, in_use),
            actor=actor,
            effective_on=effective_on,
        )

    def accept_final_report(self, *, actor: str, effective_on: date) -> None:
        self._under_agreement(Action.ACCEPT_FINAL_REPORT, effective_on)
        if not self.results:
            raise ResultsMissing(rule("a final report comes with results: report them first"))
        self.trigger_event(self.FinalReportAccepted, actor=actor, effective_on=effective_on)

    def close(self, *, actor: str, effective_on: date) -> None:
        self._under_agreement(Action.CLOSE, effective_on)
        pending = [r for r in self.payment_requests.values() if r.paid_on is None]
        if pending:
            raise PaymentsPending(
                rule("certified payment requests await release: {count}"), count=len(pending)
            )
        lapsed = {
            year: cents - self.disbursed.get(year, 0)
            for year, cents in self.cash_flow.items()
            if cents > self.disbursed.get(year, 0)
        }
        paid_of_holdback = max(0, self.disbursed_cents - (self.value_cents - self.holdback_cents))
        self.trigger_event(
            self.ProjectClosed,
            lapsed=lapsed,
            holdback_cancelled_cents=self.holdback_cents - paid_of_holdback,
            actor=actor,
            effective_on=effective_on,
        )

    # Figures

    @property
    def value_cents(self) -> int:
        return sum(self.cash_flow.values())

    @property
    def holdback_cents(self) -> int:
        return holdback(self.value_cents, self.agreement.holdback_percent if self.agreement else 0)

    @property
    def disbursed_cents(self) -> int:
        return sum(self.disbursed.values())

    def spent(self, year: FiscalYear) -> int:
        """Paid, net of recoveries, or certified and awaiting release."""
        pending = sum(
            r.amount_cents
            for r in self.payment_requests.values()
            if r.paid_on is None and r.fiscal_year == year
        )
        return self.disbursed.get(year, 0) + pending

    def _where(self) -> dict[str, object]:
        return {"program_id": self.program_id, "department": self.department, "pillar": self.pillar}

    # Rules shared by several commands

    def _require(self, action: Action) -> None:
        """The project's status allows the action (``ALLOWS``), or the rule it breaks."""
        if action in ALLOWS[self.status]:
            return
        if self.status is Status.CLOSED:
            raise ProjectAlreadyClosed(
                rule("the project is closed: it cannot take this ({action})"), action=action
            )
        able = [status for status, actions in ALLOWS.items() if action in actions]
        if self.agreement is None and set(able) <= SIGNED:
            raise AgreementNotSigned(
                rule("no agreement is signed: the project cannot take this ({action})"),
                action=action,
            )
        raise StatusForbids(
            rule("the project is {status}: it cannot take this ({action}) unless {statuses}"),
            action=action,
            status=self.status,
            statuses=tuple(able),
        )

    def _agreement(self) -> Agreement:
        """The agreement, once ``_require`` said the status has one."""
        assert self.agreement is not None
        return self.agreement

    def _under_agreement(self, action: Action, day: date) -> Agreement:
        """What the agreement allows takes effect from the day it is signed, never
        before: an amendment, a payment or a report dated earlier would be published
        and paid out of order."""
        self._require(action)
        agreement = self._agreement()
        if day < agreement.signed_on:
            raise AgreementNotSigned(
                rule(
                    "the agreement was signed on {signed_on}: nothing under it can take "
                    "effect on {effective_on}"
                ),
                signed_on=agreement.signed_on,
                effective_on=day,
            )
        return agreement


def holdback(value_cents: int, percent: int) -> int:
    """What an agreement holds back until the final report: a share of its value, in
    whole cents, rounded down."""
    return value_cents * percent // 100


def _reason(written: str, field: str) -> str:
    return text(written, field=field, max_length=TEXT_LENGTH, multiline=True)


def _payment_ref(written: str) -> str:
    """The financial system's reference for a payment: the key reconciliation matches on."""
    ref = text(written, field="payment_ref")
    if not ref:
        raise InvalidValue(
            rule("the financial system's reference is required"), field="payment_ref"
        )
    return ref


def _check_period(flow: CashFlow, start_on: date, end_on: date) -> None:
    """An agreement's cash flow falls in fiscal years its period touches."""
    day(start_on, field="start_on")
    day(end_on, field="end_on")
    if end_on < start_on:
        raise InvalidDates(rule("an agreement cannot end before it starts"), field="end_on")
    first, last = FiscalYear.of(start_on), FiscalYear.of(end_on)
    outside = [year for year in flow if not first <= year <= last]
    if outside:
        raise CashFlowOutsideAgreement(
            rule(
                "fiscal years outside the agreement's period from {start_on} to {end_on}: {years}"
            ),
            field="cash_flow",
            start_on=start_on,
            end_on=end_on,
            years=tuple(outside),
        )


# The project events whose change to the commitments is money lapsing: close-out, the
# close of a fiscal year, and a recovery after either.
LAPSES = frozenset(
    cls.__name__
    for cls in (Project.ProjectClosed, Project.CommitmentLapsed, Project.OverpaymentRecovered)
)


def _application(
    program: Program, title_en: str, title_fr: str, pillar: Pillar, requested_cents: int
) -> tuple[str, str]:
    """The rules an application's own fields keep, received or corrected: its titles."""
    title_en = text(title_en, field="title_en")
    title_fr = text(title_fr, field="title_fr")
    if not title_en:
        raise InvalidValue(rule("an application needs a title"), field="title_en")
    if cents(requested_cents, field="requested_cents") <= 0:
        raise InvalidAmount(
            rule("the amount requested must be more than zero"), field="requested_cents"
        )
    if not program.serves(pillar):
        raise InvalidPillar(
            rule("{program} does not fund the {pillar} pillar"),
            field="pillar",
            program=program.name_en,
            pillar=pillar,
        )
    return title_en, title_fr
