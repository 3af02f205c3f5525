"""The commands people give the tracker, each declared once, as a value: the API decodes
a request's body straight into one, a page's form fills one, and ``Grants.handle`` has
the aggregate carry it out. A command's fields are the keyword arguments of the domain
method named by ``method`` (less its date, ``effective_on`` unless it has a date of its
own), so a new field touches the domain method and the command, nothing else; the
OpenAPI schema is generated from the same classes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar
from uuid import UUID

from msgspec import Meta, Struct, field, structs

from grants.domain.cash_flow import CashFlow, cash_flow
from grants.domain.disclosure import Disclosure
from grants.domain.fiscal_year import FiscalYear
from grants.domain.framework import CODE, EXPLANATION_LENGTH, Direction, Frequency
from grants.domain.recipient import Recipient
from grants.domain.reference import PaymentBasis, PaymentKind, Pillar, TransferType
from grants.domain.service_standards import Unit
from grants.domain.targets import TargetKind
from grants.domain.values import REQUIRED_LINES
from grants.fields import (
    Cents,
    Count,
    DepartmentCode,
    Name,
    Paragraphs,
    Percent,
    RequiredName,
    RequiredParagraphs,
)


class Command(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    # The domain method that carries the command out, and the field that says when it
    # takes effect (today when it is left out).
    method: ClassVar[str]
    dated_by: ClassVar[str] = "effective_on"

    def arguments(self) -> dict[str, Any]:
        """The domain method's keyword arguments."""
        return {
            name: getattr(self, name) for name in self.__struct_fields__ if name != self.dated_by
        }

    def day(self) -> date:
        """The day the command takes effect."""
        given: date | None = getattr(self, self.dated_by)
        return given or date.today()

    def dated(self, day: date) -> Command:
        """The same command, taking effect on ``day``."""
        return structs.replace(self, **{self.dated_by: day})


class Dated(Command, frozen=True, kw_only=True):
    effective_on: date | None = None


class CashFlowLine(Struct, frozen=True, forbid_unknown_fields=True):
    fiscal_year: FiscalYear
    amount_cents: Cents


# A line per fiscal year: no agreement spans the tracker's whole span of years.
CashFlowLines = Annotated[list[CashFlowLine], Meta(min_length=1, max_length=120)]


def _cash_flow(lines: list[CashFlowLine]) -> CashFlow:
    return cash_flow((line.fiscal_year, line.amount_cents) for line in lines)


# Programs and calls


class RegisterProgram(Dated, frozen=True, kw_only=True):
    method = "register"
    department: DepartmentCode
    name_en: RequiredName
    name_fr: RequiredName
    transfer_type: TransferType
    pillars: Annotated[list[Pillar], Meta(min_length=1, max_length=len(Pillar))]

    def arguments(self) -> dict[str, Any]:
        return {**super().arguments(), "pillars": tuple(self.pillars)}


class EditProgram(Dated, frozen=True, kw_only=True):
    """The names as they should read, and the pillars: those it serves and any added."""

    method = "edit"
    name_en: RequiredName
    name_fr: RequiredName
    pillars: Annotated[list[Pillar], Meta(min_length=1, max_length=len(Pillar))]

    def arguments(self) -> dict[str, Any]:
        return {**super().arguments(), "pillars": tuple(self.pillars)}


class SetAllocation(Dated, frozen=True, kw_only=True):
    """For the fiscal year the request's path names."""

    method = "set_allocation"
    amount_cents: Cents


class SetServiceStandard(Dated, frozen=True, kw_only=True):
    """For the standard the request's path names (acknowledgement, decision, payment)."""

    method = "set_service_standard"
    within: Annotated[int, Meta(ge=1, le=520)]
    unit: Unit
    target_percent: Annotated[int, Meta(ge=1, le=100)]


class SetPublicationDetails(Dated, frozen=True, kw_only=True):
    """How the program's agreements are published as open data."""

    method = "set_publication_details"
    department_number: Annotated[str, Meta(pattern="^[0-9]{3}$")]
    purpose_en: RequiredParagraphs
    purpose_fr: RequiredParagraphs


class OpenCall(Dated, frozen=True, kw_only=True):
    method = "open"
    program_id: UUID
    title_en: RequiredName
    title_fr: RequiredName
    pillar: Pillar
    opens_on: date
    closes_on: date
    budget_cents: Cents

    def arguments(self) -> dict[str, Any]:
        return {k: v for k, v in super().arguments().items() if k != "program_id"}


class CloseCall(Dated, frozen=True, kw_only=True):
    method = "close"


# Projects


class ReceiveApplication(Dated, frozen=True, kw_only=True):
    method = "receive"
    program_id: UUID
    recipient: Recipient
    title_en: RequiredName
    pillar: Pillar
    requested_cents: Cents
    call_id: UUID | None = None
    title_fr: Name = ""

    def arguments(self) -> dict[str, Any]:
        return {k: v for k, v in super().arguments().items() if k not in ("program_id", "call_id")}


class CorrectApplication(Dated, frozen=True, kw_only=True):
    """The application as it should read, whole: before its assessment only."""

    method = "correct"
    recipient: Recipient
    title_en: RequiredName
    pillar: Pillar
    requested_cents: Cents
    title_fr: Name = ""


class Acknowledge(Dated, frozen=True, kw_only=True):
    """The applicant was told the application arrived."""

    method = "acknowledge"


class Assess(Dated, frozen=True, kw_only=True):
    method = "assess"
    score: Percent
    recommendation: Paragraphs


class Approve(Dated, frozen=True, kw_only=True):
    """The approved value is the cash flow's sum."""

    method = "approve"
    cash_flow: CashFlowLines

    def arguments(self) -> dict[str, Any]:
        return {"cash_flow": _cash_flow(self.cash_flow)}


class Reject(Dated, frozen=True, kw_only=True):
    method = "reject"
    reason: Paragraphs = ""


class Withdraw(Dated, frozen=True, kw_only=True):
    method = "withdraw"
    reason: Paragraphs = ""


class SignAgreement(Command, frozen=True, kw_only=True):
    """What the open-data disclosure publishes of the agreement is its ``disclosure``:
    a description in both languages and the recipient's city from agreements starting
    April 2018; its type and the expected results too from December 2025."""

    method = "sign_agreement"
    dated_by = "signed_on"
    signed_on: date
    start_on: date
    end_on: date
    payment_basis: PaymentBasis
    holdback_percent: Percent
    disclosure: Disclosure = field(default_factory=Disclosure)


class Amend(Dated, frozen=True, kw_only=True):
    """Only what changes: a new cash flow (which sets the new value), new dates."""

    method = "amend"
    cash_flow: CashFlowLines | None = None
    start_on: date | None = None
    end_on: date | None = None

    def arguments(self) -> dict[str, Any]:
        flow = _cash_flow(self.cash_flow) if self.cash_flow is not None else None
        return {**super().arguments(), "cash_flow": flow}


class Reprofile(Dated, frozen=True, kw_only=True):
    method = "reprofile"
    from_fiscal_year: FiscalYear
    to_fiscal_year: FiscalYear
    amount_cents: Cents


class RequestPayment(Dated, frozen=True, kw_only=True):
    """Certifies a payment request; the answer's ``id`` is the request's."""

    method = "request_payment"
    fiscal_year: FiscalYear
    amount_cents: Cents
    kind: PaymentKind | None = None
    # When the recipient's complete claim arrived: the payment standard's clock starts.
    claim_received_on: date | None = None


class ReleasePayment(Command, frozen=True, kw_only=True):
    method = "release_payment"
    dated_by = "paid_on"
    payment_request_id: UUID
    payment_ref: RequiredName
    paid_on: date


class RecoverOverpayment(Dated, frozen=True, kw_only=True):
    method = "recover_overpayment"
    fiscal_year: FiscalYear
    amount_cents: Cents
    payment_ref: RequiredName


class ReportResults(Dated, frozen=True, kw_only=True):
    """The year's counts by indicator: the codes of indicators the results framework
    has in use (``GET /api/performance/framework``)."""

    method = "report_results"
    fiscal_year: FiscalYear
    indicators: Annotated[
        dict[Annotated[str, Meta(max_length=64)], Count], Meta(min_length=1, max_length=64)
    ]


class AcceptFinalReport(Dated, frozen=True, kw_only=True):
    method = "accept_final_report"


class CloseProject(Dated, frozen=True, kw_only=True):
    method = "close"


class CloseFiscalYear(Dated, frozen=True, kw_only=True):
    """For the fiscal year the request's path names."""

    method = "close"


class ReopenFiscalYear(Dated, frozen=True, kw_only=True):
    """For the fiscal year the request's path names, by an admin, saying why."""

    method = "reopen"
    reason: RequiredParagraphs


PROGRAM_COMMANDS = (EditProgram, SetAllocation, SetPublicationDetails, SetServiceStandard)
CALL_COMMANDS = (CloseCall,)
PROJECT_COMMANDS = (
    CorrectApplication,
    Acknowledge,
    Assess,
    Approve,
    Reject,
    Withdraw,
    SignAgreement,
    Amend,
    Reprofile,
    RequestPayment,
    ReleasePayment,
    RecoverOverpayment,
    ReportResults,
    AcceptFinalReport,
    CloseProject,
)


# The Strategy's performance story: its results framework and its spending plan

Code = Annotated[str, Meta(pattern=CODE, description="small letters, digits and underscores")]
Explanation = Annotated[
    str, Meta(min_length=1, max_length=EXPLANATION_LENGTH, pattern=REQUIRED_LINES)
]


class DefineExpectedResult(Dated, frozen=True, kw_only=True):
    method = "define_expected_result"
    code: Code
    pillar: Pillar
    name_en: RequiredName
    name_fr: RequiredName


class DefineIndicator(Dated, frozen=True, kw_only=True):
    """For the indicator the request's path names: a new one, or its definition
    corrected. It takes the pillar of its expected result."""

    method = "define_indicator"
    expected_result: Code
    name_en: RequiredName
    name_fr: RequiredName
    definition_en: RequiredParagraphs
    definition_fr: RequiredParagraphs
    unit: RequiredName
    direction: Direction
    data_source: RequiredName
    owner: DepartmentCode
    frequency: Frequency
    baseline: Count | None = None
    baseline_on: date | None = None


class RetireIndicator(Dated, frozen=True, kw_only=True):
    method = "retire_indicator"
    reason: RequiredParagraphs


class SetTarget(Dated, frozen=True, kw_only=True):
    """For the indicator and fiscal year the request's path names; ``low`` for an exact,
    minimum or range target, ``high`` for a maximum or range; due at the year's end
    unless ``achieve_by`` says otherwise."""

    method = "set_target"
    kind: TargetKind
    low: Count | None = None
    high: Count | None = None
    achieve_by: date | None = None


class ReportDepartmentalResult(Dated, frozen=True, kw_only=True):
    """For the indicator the request's path names: a partner department's result for a
    fiscal year, or from ``starts_on`` to ``ends_on``."""

    method = "report_result"
    department: DepartmentCode
    value: Count
    source: RequiredName
    note: Paragraphs = ""
    fiscal_year: FiscalYear | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class ExplainResult(Dated, frozen=True, kw_only=True):
    """For the indicator and fiscal year the request's path names."""

    method = "explain_result"
    explanation_en: Explanation
    explanation_fr: Explanation


class SetPlannedSpending(Dated, frozen=True, kw_only=True):
    """A line of the Strategy's plan; amending one already set takes a ``reason``."""

    method = "plan"
    department: DepartmentCode
    pillar: Pillar
    fiscal_year: FiscalYear
    amount_cents: Cents
    reason: Paragraphs = ""


class ReportSpending(Dated, frozen=True, kw_only=True):
    """A department's actual spending on the Strategy, as it reports it."""

    method = "report"
    department: DepartmentCode
    pillar: Pillar
    fiscal_year: FiscalYear
    amount_cents: Cents
    source: RequiredName
    note: Paragraphs = ""


FRAMEWORK_COMMANDS = (
    DefineExpectedResult,
    DefineIndicator,
    RetireIndicator,
    SetTarget,
    ReportDepartmentalResult,
    ExplainResult,
)
SPENDING_COMMANDS = (SetPlannedSpending, ReportSpending)
