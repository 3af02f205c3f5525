"""Domain errors: each class names the rule that refused a command, and says why."""

from __future__ import annotations

from datetime import date


def rule(template: str) -> str:
    """Marks the sentence of a refusal for the catalogues (``grants/locale``), which
    word it in English and French; it stays as written here."""
    return template


Figure = str | int | date | tuple[str, ...]


class DomainError(Exception):
    """A command the domain refuses. ``code`` is stable for clients; ``template`` is the
    sentence that says why, in English, with its ``figures`` as data (amounts in cents
    in figures named ``*_cents``, fiscal years, days), so that each language can word it
    and write its amounts as it does (``grants.wording``)."""

    code = "domain_rule"

    def __init__(self, template: str, *, field: str | None = None, **figures: Figure) -> None:
        self.template = template
        self.figures = figures
        self.field = field
        # For logs and developers; people read it worded by grants.wording.
        self.message = template.format(
            **{k: f"{v} cents" if k.endswith("_cents") else v for k, v in figures.items()}
        )
        super().__init__(self.message)


class InvalidValue(DomainError, ValueError):
    """A value that can never be right, whatever the state: a malformed fiscal year, a
    negative amount. A ``ValueError`` too, so that decoders that call the domain's
    constructors (msgspec's) report it against the field they were decoding."""

    code = "invalid_value"


class RuleViolation(DomainError):
    """A value that is wrong given what has happened so far."""


class SegregationOfDuties(DomainError):
    """The same person may not certify and release one payment."""

    code = "segregation_of_duties"


class InvalidAmount(InvalidValue):
    code = "invalid_amount"


class InvalidCashFlow(InvalidValue):
    code = "invalid_cash_flow"


class InvalidDates(InvalidValue):
    code = "invalid_dates"


class InvalidPillar(InvalidValue):
    code = "invalid_pillar"


class UnknownIndicator(InvalidValue):
    code = "unknown_indicator"


class UnknownPaymentRequest(InvalidValue):
    code = "unknown_payment_request"


class StatusForbids(RuleViolation):
    """The project's (or call's) status does not allow the command."""

    code = "status_forbids"


class AllocationExceeded(RuleViolation):
    code = "allocation_exceeded"


class AllocationBelowCommitments(RuleViolation):
    code = "allocation_below_commitments"


class ApprovalExceedsRequest(RuleViolation):
    code = "approval_exceeds_request"


class CashFlowExceeded(RuleViolation):
    code = "cash_flow_exceeded"


class CashFlowBelowSpending(RuleViolation):
    code = "cash_flow_below_spending"


class CashFlowOutsideAgreement(RuleViolation):
    code = "cash_flow_outside_agreement"


class HoldbackNotReleased(RuleViolation):
    code = "holdback_not_released"


class AgreementNotSigned(RuleViolation):
    code = "agreement_not_signed"


class ProjectAlreadyClosed(RuleViolation):
    code = "project_closed"


class PaymentAlreadyReleased(RuleViolation):
    code = "payment_already_released"


class PaymentOutsideFiscalYear(RuleViolation):
    code = "payment_outside_fiscal_year"


class PaymentsPending(RuleViolation):
    code = "payments_pending"


class RecoveryExceedsDisbursed(RuleViolation):
    code = "recovery_exceeds_disbursed"


class ResultsMissing(RuleViolation):
    code = "results_missing"


class CallNotOpen(RuleViolation):
    code = "call_not_open"


class DepartmentNumberTaken(RuleViolation):
    code = "department_number_taken"


class PeriodClosed(RuleViolation):
    code = "period_closed"


class PeriodOpen(RuleViolation):
    code = "period_open"
