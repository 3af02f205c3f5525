"""The life of a project and each rule that guards it, in the domain alone."""

from datetime import date

import pytest

from grants.domain.errors import (
    AgreementNotSigned,
    ApprovalExceedsRequest,
    CashFlowBelowSpending,
    CashFlowExceeded,
    CashFlowOutsideAgreement,
    HoldbackNotReleased,
    InvalidCashFlow,
    InvalidValue,
    PaymentAlreadyReleased,
    PaymentOutsideFiscalYear,
    PaymentsPending,
    ProjectAlreadyClosed,
    RecoveryExceedsDisbursed,
    ResultsMissing,
    SegregationOfDuties,
    StatusForbids,
    UnknownIndicator,
)
from grants.domain.project import ALLOWS, Action, Project, Status
from grants.domain.reference import PaymentKind, TransferType
from tests.stories import (
    DISCLOSURE,
    ON,
    SIGNED_ON,
    Y1,
    Y2,
    application,
    approved,
    paid,
    program,
    under_agreement,
)

LATER = date(2022, 6, 1)
# The codes of the indicators the results framework has in use.
IN_USE = ("referrals", "survivors_served")


def test_a_whole_life_from_application_to_close_out() -> None:
    project = under_agreement(holdback_percent=10)
    paid(project, Y1, 60_000)
    paid(project, Y2, 30_000)  # up to the value less the 10% holdback
    project.report_results(
        Y2, {"survivors_served": 120}, in_use=IN_USE, actor="olivia", effective_on=LATER
    )
    project.accept_final_report(actor="olivia", effective_on=LATER)
    holdback = project.request_payment(
        Y2, 10_000, PaymentKind.HOLDBACK, actor="olivia", effective_on=LATER
    )
    project.release_payment(holdback, "PAY-HB", actor="fiona", effective_on=LATER)
    assert project.payment_requests[holdback].paid_on == LATER
    project.close(actor="olivia", effective_on=LATER)

    assert project.status is Status.CLOSED
    assert project.disbursed_cents == 100_000
    events = [type(e).__name__ for e in project.collect_events()]
    assert events[-3:] == ["PaymentRequested", "HoldbackReleased", "ProjectClosed"]


def test_approval_needs_an_assessment_and_cannot_exceed_the_request() -> None:
    project = application(requested_cents=100_000)
    with pytest.raises(StatusForbids):
        project.approve({Y1: 1}, actor="olivia", effective_on=ON)
    project.assess(70, "fund", actor="olivia", effective_on=ON)
    with pytest.raises(ApprovalExceedsRequest):
        project.approve({Y1: 60_000, Y2: 40_001}, actor="olivia", effective_on=ON)


def test_an_approval_cannot_commit_money_in_a_year_already_over() -> None:
    project = application()
    project.assess(70, "fund", actor="olivia", effective_on=ON)
    with pytest.raises(InvalidCashFlow):
        project.approve({Y1: 1}, actor="olivia", effective_on=date(2022, 4, 2))


def test_no_payment_before_a_signed_agreement() -> None:
    project = approved()
    with pytest.raises(AgreementNotSigned):
        project.request_payment(Y1, 1, None, actor="olivia", effective_on=ON)


def test_no_payment_dated_before_the_agreement_was_signed() -> None:
    project = under_agreement()
    with pytest.raises(AgreementNotSigned):
        project.request_payment(Y1, 1, None, actor="olivia", effective_on=date(2021, 5, 31))


def test_no_payment_above_the_fiscal_years_cash_flow() -> None:
    project = under_agreement(holdback_percent=0)
    paid(project, Y1, 50_000)
    project.request_payment(Y1, 10_000, None, actor="olivia", effective_on=SIGNED_ON)
    with pytest.raises(CashFlowExceeded) as refused:
        project.request_payment(Y1, 1, None, actor="olivia", effective_on=SIGNED_ON)
    assert refused.value.field == "amount_cents"


def test_the_holdback_stays_until_the_final_report() -> None:
    project = under_agreement(holdback_percent=10)
    paid(project, Y1, 60_000)
    paid(project, Y2, 30_000)
    with pytest.raises(HoldbackNotReleased):
        project.request_payment(Y2, 1, None, actor="olivia", effective_on=LATER)
    with pytest.raises(HoldbackNotReleased):
        project.request_payment(Y2, 1, PaymentKind.HOLDBACK, actor="olivia", effective_on=LATER)


def test_whoever_certified_a_request_never_releases_it() -> None:
    project = under_agreement()
    request = project.request_payment(Y1, 1_000, None, actor="olivia", effective_on=SIGNED_ON)
    with pytest.raises(SegregationOfDuties):
        project.release_payment(request, "PAY-1", actor="olivia", effective_on=SIGNED_ON)
    project.release_payment(request, "PAY-1", actor="fiona", effective_on=SIGNED_ON)
    with pytest.raises(PaymentAlreadyReleased):
        project.release_payment(request, "PAY-1", actor="frank", effective_on=SIGNED_ON)


def test_a_payment_is_released_in_the_fiscal_year_it_is_charged_to() -> None:
    project = under_agreement()
    request = project.request_payment(Y1, 1_000, None, actor="olivia", effective_on=SIGNED_ON)
    with pytest.raises(PaymentOutsideFiscalYear):
        project.release_payment(request, "PAY-1", actor="fiona", effective_on=date(2022, 5, 1))
    project.release_payment(request, "PAY-1", actor="fiona", effective_on=date(2022, 4, 30))


def test_nothing_is_paid_after_close_out_but_overpayments_are_still_recovered() -> None:
    project = under_agreement(holdback_percent=0)
    paid(project, Y1, 50_000)
    project.report_results(Y1, {"referrals": 3}, in_use=IN_USE, actor="olivia", effective_on=LATER)
    project.accept_final_report(actor="olivia", effective_on=LATER)
    project.close(actor="olivia", effective_on=LATER)
    assert project.cash_flow == {Y1: 50_000}  # the rest lapsed
    with pytest.raises(ProjectAlreadyClosed):
        project.request_payment(Y1, 1, None, actor="olivia", effective_on=LATER)
    project.recover_overpayment(Y1, 5_000, "REC-1", actor="fiona", effective_on=LATER)
    assert project.disbursed == {Y1: 45_000}
    assert project.cash_flow == {Y1: 45_000}


def test_a_recovery_cannot_exceed_what_was_paid_that_year() -> None:
    project = under_agreement()
    paid(project, Y1, 10_000)
    with pytest.raises(RecoveryExceedsDisbursed):
        project.recover_overpayment(Y1, 10_001, "REC-1", actor="fiona", effective_on=LATER)
    with pytest.raises(RecoveryExceedsDisbursed):
        project.recover_overpayment(Y2, 1, "REC-1", actor="fiona", effective_on=LATER)


def test_a_recovery_makes_room_in_the_cash_flow_again() -> None:
    project = under_agreement(holdback_percent=0)
    paid(project, Y1, 60_000)
    project.recover_overpayment(Y1, 5_000, "REC-1", actor="fiona", effective_on=LATER)
    project.request_payment(Y1, 5_000, None, actor="olivia", effective_on=LATER)


def test_an_amendment_cannot_take_back_what_is_paid_or_certified() -> None:
    project = under_agreement()
    paid(project, Y1, 30_000)
    project.request_payment(Y1, 10_000, None, actor="olivia", effective_on=SIGNED_ON)
    with pytest.raises(CashFlowBelowSpending):
        project.amend(
            cash_flow={Y1: 39_999, Y2: 40_000},
            start_on=None,
            end_on=None,
            actor="olivia",
            effective_on=LATER,
        )
    project.amend(
        cash_flow={Y1: 40_000, Y2: 80_000},
        start_on=None,
        end_on=None,
        actor="olivia",
        effective_on=LATER,
    )
    assert project.value_cents == 120_000
    assert project.agreement is not None and project.agreement.amendment_number == 1


def test_the_cash_flow_stays_within_the_agreement_period() -> None:
    project = approved()
    with pytest.raises(CashFlowOutsideAgreement):
        project.sign_agreement(
            start_on=SIGNED_ON,
            end_on=date(2022, 3, 31),
            payment_basis="advance",  # type: ignore[arg-type]
            holdback_percent=0,
            disclosure=DISCLOSURE,
            actor="olivia",
            effective_on=SIGNED_ON,
        )


def test_reprofiling_moves_only_unspent_money_to_a_later_year() -> None:
    project = under_agreement()
    paid(project, Y1, 50_000)
    with pytest.raises(CashFlowExceeded):
        project.reprofile(Y1, Y2, 10_001, actor="olivia", effective_on=LATER)
    with pytest.raises(InvalidValue):
        project.reprofile(Y2, Y1, 1, actor="olivia", effective_on=LATER)
    project.reprofile(Y1, Y2, 10_000, actor="olivia", effective_on=LATER)
    assert project.cash_flow == {Y1: 50_000, Y2: 50_000}


def test_grants_hold_nothing_back() -> None:
    from tests.stories import application as receive

    project = receive(of=program(TransferType.GRANT))
    project.assess(70, "fund", actor="olivia", effective_on=ON)
    project.approve({Y1: 100}, actor="olivia", effective_on=ON)
    with pytest.raises(InvalidValue) as refused:
        project.sign_agreement(
            start_on=SIGNED_ON,
            end_on=date(2022, 3, 31),
            payment_basis="advance",  # type: ignore[arg-type]
            holdback_percent=10,
            disclosure=DISCLOSURE,
            actor="olivia",
            effective_on=SIGNED_ON,
        )
    assert refused.value.field == "holdback_percent"


def test_the_final_report_needs_results_and_close_out_needs_no_pending_payment() -> None:
    project = under_agreement(holdback_percent=0)
    with pytest.raises(ResultsMissing):
        project.accept_final_report(actor="olivia", effective_on=LATER)
    project.report_results(Y1, {"referrals": 3}, in_use=IN_USE, actor="olivia", effective_on=LATER)
    project.accept_final_report(actor="olivia", effective_on=LATER)
    project.request_payment(Y1, 1, None, actor="olivia", effective_on=LATER)
    with pytest.raises(PaymentsPending):
        project.close(actor="olivia", effective_on=LATER)


def test_results_are_reported_against_the_indicators_in_use_and_no_other() -> None:
    project = under_agreement()
    with pytest.raises(UnknownIndicator) as refused:
        project.report_results(
            Y1, {"referrals": 1, "smiles": 3}, in_use=IN_USE, actor="olivia", effective_on=LATER
        )
    assert refused.value.field == "indicators.smiles"
    assert refused.value.figures == {"given": "'smiles'", "codes": IN_USE}
    with pytest.raises(UnknownIndicator) as refused:
        project.report_results(Y1, {"referrals": 1}, in_use=(), actor="olivia", effective_on=LATER)
    assert refused.value.field == "indicators"
    assert project.results == {}


def test_a_later_results_report_for_a_year_replaces_the_earlier_one() -> None:
    project = under_agreement()
    project.report_results(Y1, {"referrals": 3}, in_use=IN_USE, actor="olivia", effective_on=LATER)
    project.report_results(Y1, {"referrals": 5}, in_use=IN_USE, actor="olivia", effective_on=LATER)
    assert project.results == {Y1: {"referrals": 5}}


def test_decisions_follow_the_order_of_the_process() -> None:
    project = application()
    project.reject("out of scope", actor="olivia", effective_on=ON)
    with pytest.raises(StatusForbids):
        project.assess(50, "fund", actor="olivia", effective_on=ON)
    withdrawn = approved()
    withdrawn.withdraw("the organization closed", actor="olivia", effective_on=ON)
    assert withdrawn.cash_flow == {}  # the commitment is released


def test_replaying_the_events_rebuilds_the_same_project() -> None:
    project = under_agreement()
    paid(project, Y1, 10_000)
    events = project.collect_events()
    replayed = None
    for event in events:
        replayed = event.mutate(replayed)
    assert isinstance(replayed, Project)
    assert vars(replayed) == vars(project)


def test_a_copy_of_a_project_changes_independently_of_the_original() -> None:
    import copy

    original = under_agreement(holdback_percent=0)
    request = original.request_payment(Y1, 1_000, None, actor="olivia", effective_on=SIGNED_ON)
    before = dict(vars(original))
    copied = copy.deepcopy(original)
    copied.release_payment(request, "PAY-1", actor="fiona", effective_on=SIGNED_ON)
    copied.report_results(
        Y1, {"referrals": 1}, in_use=IN_USE, actor="olivia", effective_on=SIGNED_ON
    )
    assert vars(original) == before
    assert original.payment_requests[request].paid_on is None
    assert original.disbursed == {} and original.results == {}


def test_each_status_allows_what_the_one_table_says_and_refuses_the_rest() -> None:
    """The guards of every command read ``ALLOWS``; whatever a status does not allow is
    refused by the rule that says why."""
    project = application()
    assert project.status is Status.RECEIVED
    assert ALLOWS[Status.RECEIVED] == {
        Action.ACKNOWLEDGE,
        Action.CORRECT,
        Action.ASSESS,
        Action.REJECT,
        Action.WITHDRAW,
    }
    with pytest.raises(StatusForbids) as refused:
        project.approve({Y1: 1}, actor="olivia", effective_on=ON)
    assert refused.value.figures == {
        "action": Action.APPROVE,
        "status": Status.RECEIVED,
        "statuses": (Status.ASSESSED,),
    }
    with pytest.raises(AgreementNotSigned):
        project.report_results(Y1, {"referrals": 1}, in_use=IN_USE, actor="olivia", effective_on=ON)
    assert all(not ALLOWS[s] for s in (Status.REJECTED, Status.WITHDRAWN))
    assert ALLOWS[Status.CLOSED] == {Action.RECOVER}
