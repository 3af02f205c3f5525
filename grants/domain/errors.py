"""Domain errors: each class names the rule that refused a command, and says why."""

from __future__ import annotations


class DomainError(Exception):
    """A command the domain refuses. ``code`` is stable for clients; the message is for
    people."""

    code = "domain_rule"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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
