"""The rest of a project's life in the pages: rejection and withdrawal, reprofiling,
the final report, the holdback, close-out and, by finance, a recovery. Each form is
offered by the project's status to the roles that may send it, and to no one else."""

from __future__ import annotations

import html
import re
from datetime import date
from uuid import UUID

from grants.application import Context
from grants.bootstrap import Services
from grants.commands import ReleasePayment, RetireIndicator, SetAllocation
from grants.domain.project import Status
from tests.results_framework import STRATEGY, in_use
from tests.waiting import wait_for
from tests.web import stories
from tests.web.conftest import Browser
from tests.web.test_project_forms import applied, record


def signed(browser: Browser, services: Services, holdback: str = "0") -> UUID:
    """A project under an agreement of $100,000 for this year, ending next year."""
    project_id = applied(browser, services)
    record(browser, f"/projects/{project_id}/assessment", stories.ASSESSMENT)
    record(browser, f"/projects/{project_id}/approval", stories.approval("100,000.00"))
    record(
        browser,
        f"/projects/{project_id}/agreement",
        {
            **stories.AGREEMENT,
            "end_on": stories.THIS_YEAR.next().ends_on.isoformat(),
            "holdback_percent": holdback,
        },
    )
    return project_id


def released(services: Services, project_id: UUID) -> None:
    """Finance releases every request awaiting release (its pages are tested elsewhere)."""
    project = services.grants.project(project_id)
    for n, request in enumerate(project.payment_requests.values()):
        if request.paid_on is None:
            release = ReleasePayment(
                payment_request_id=request.id, payment_ref=f"PAY-{n}", paid_on=date.today()
            )
            services.grants.handle(Context(actor="fiona"), release, project_id)


def offered(browser: Browser, project_id: UUID) -> str:
    return browser.get(f"/projects/{project_id}").text


def test_an_officer_rejects_an_application_with_its_reason(
    browser: Browser, services: Services
) -> None:
    project_id = applied(browser, services)
    assert f'href="/projects/{project_id}/rejection"' in offered(browser, project_id)
    record(
        browser,
        f"/projects/{project_id}/rejection",
        {"reason": "Outside the program's terms", "effective_on": stories.TODAY},
    )
    project = services.grants.project(project_id)
    assert project.status is Status.REJECTED
    page = offered(browser, project_id)
    assert "Rejected" in page and "/rejection" not in page and "/withdrawal" not in page


def test_a_withdrawn_approval_offers_nothing_more(browser: Browser, services: Services) -> None:
    project_id = applied(browser, services)
    record(browser, f"/projects/{project_id}/assessment", stories.ASSESSMENT)
    record(browser, f"/projects/{project_id}/approval", stories.approval("1,000.00"))
    record(
        browser, f"/projects/{project_id}/withdrawal", {"reason": "", "effective_on": stories.TODAY}
    )
    assert services.grants.project(project_id).status is Status.WITHDRAWN


def test_reprofiling_moves_money_to_next_year_without_changing_the_value(
    browser: Browser, services: Services
) -> None:
    project_id = signed(browser, services)
    next_year = stories.THIS_YEAR.next()
    program_id = services.grants.project(project_id).program_id
    allocation = SetAllocation(amount_cents=50_000_00)
    services.grants.handle(Context(actor="olivia"), allocation, program_id, fiscal_year=next_year)
    record(
        browser,
        f"/projects/{project_id}/reprofiling",
        {
            "from_fiscal_year": stories.THIS_YEAR,
            "to_fiscal_year": next_year,
            "amount": "25,000",
            "effective_on": stories.TODAY,
        },
    )
    project = services.grants.project(project_id)
    assert project.cash_flow == {stories.THIS_YEAR: 75_000_00, next_year: 25_000_00}
    assert project.agreement and project.agreement.amendment_number == 0


def test_a_reprofiling_beyond_what_the_year_holds_is_refused_by_its_field(
    browser: Browser, services: Services
) -> None:
    project_id = signed(browser, services)
    browser.get(f"/projects/{project_id}/reprofiling")
    response = browser.submit(
        f"/projects/{project_id}/reprofiling",
        {
            "from_fiscal_year": stories.THIS_YEAR,
            "to_fiscal_year": stories.THIS_YEAR.next(),
            "amount": "100,000.01",
            "effective_on": stories.TODAY,
        },
    )
    assert response.status_code == 422
    assert 'value="100,000.01"' in response.text
    assert services.grants.project(project_id).cash_flow == {stories.THIS_YEAR: 100_000_00}


def test_final_report_then_holdback_then_close_out(browser: Browser, services: Services) -> None:
    project_id = signed(browser, services, holdback="10")
    record(browser, f"/projects/{project_id}/payment_request", stories.payment_request("90,000"))
    assert f"/projects/{project_id}/close_out" not in offered(browser, project_id)
    in_use(services.grants, "survivors_served")
    results = {"fiscal_year": stories.THIS_YEAR, "effective_on": stories.TODAY}
    record(
        browser, f"/projects/{project_id}/results", {**results, "indicators.survivors_served": "12"}
    )
    record(browser, f"/projects/{project_id}/final_report", {"effective_on": stories.TODAY})
    page = offered(browser, project_id)
    assert "Final report accepted" in page and f"/projects/{project_id}/close_out" in page
    holdback = {**stories.payment_request("10,000"), "kind": "holdback"}
    record(browser, f"/projects/{project_id}/payment_request", holdback)
    released(services, project_id)
    record(browser, f"/projects/{project_id}/close_out", {"effective_on": stories.TODAY})
    project = services.grants.project(project_id)
    assert project.status is Status.CLOSED
    assert sum(r.amount_cents for r in project.payment_requests.values()) == 100_000_00


def test_finance_records_a_recovery_and_an_officer_is_not_offered_it(
    browser: Browser, services: Services
) -> None:
    project_id = signed(browser, services)
    record(browser, f"/projects/{project_id}/payment_request", stories.payment_request("40,000"))
    assert "/recovery" not in offered(browser, project_id)
    assert browser.get(f"/projects/{project_id}/recovery").status_code == 403

    released(services, project_id)

    browser.sign_in("fiona")
    page = offered(browser, project_id)
    assert f'href="/projects/{project_id}/recovery"' in page
    assert "/assessment" not in page and "/payment_request" not in page
    record(
        browser,
        f"/projects/{project_id}/recovery",
        {
            "fiscal_year": stories.THIS_YEAR,
            "amount": "1,500",
            "payment_ref": "AR-77",
            "effective_on": stories.TODAY,
        },
    )
    assert services.grants.project(project_id).disbursed == {stories.THIS_YEAR: 38_500_00}


def test_an_analyst_is_offered_no_form_and_refused_one(
    browser: Browser, services: Services
) -> None:
    project_id = applied(browser, services)
    browser.sign_in("sasha")
    assert f"/projects/{project_id}/" not in offered(browser, project_id).replace(
        f'/projects/{project_id}"', ""
    )
    assert browser.get(f"/projects/{project_id}/rejection").status_code == 403
    assert browser.get(f"/projects/{project_id}/no-such-step").status_code == 404


def test_an_application_is_corrected_before_its_assessment_and_not_after(
    browser: Browser, services: Services, projections: None
) -> None:
    project_id = applied(browser, services)
    form = browser.get(f"/projects/{project_id}/correction").text
    assert 'value="NOW Canada Society"' in form and 'value="120,000.00"' in form
    corrected = {
        "recipient.legal_name": "NOW Canada Society of Surrey",
        "recipient.province": "BC",
        "recipient.business_number": "",
        "title_en": "The Essentials, year one",
        "title_fr": "L'essentiel, première année",
        "pillar": "protection",
        "requested": "95,000",
        "effective_on": stories.TODAY,
    }
    record(browser, f"/projects/{project_id}/correction", corrected)
    project = services.grants.project(project_id)
    assert project.recipient.legal_name == "NOW Canada Society of Surrey"
    assert project.requested_cents == 95_000_00
    page = browser.get(f"/projects/{project_id}").text
    assert "Application corrected" in page
    # The list reads the corrected application.
    assert wait_for(lambda: "The Essentials, year one" in browser.get("/projects").text)

    record(browser, f"/projects/{project_id}/assessment", stories.ASSESSMENT)
    assert f"/projects/{project_id}/correction" not in offered(browser, project_id)
    browser.get(f"/projects/{project_id}")
    response = browser.submit(f"/projects/{project_id}/correction", corrected)
    assert response.status_code == 422
    assert services.grants.project(project_id).title_en == "The Essentials, year one"


def test_the_application_form_presets_nothing_a_person_should_choose(
    browser: Browser, services: Services
) -> None:
    stories.program(services)
    browser.sign_in("olivia")
    page = browser.get("/projects/new").text
    for name in ("program_id", "recipient.province", "pillar"):
        select = re.search(rf'<select id="{re.escape(name)}".*?</select>', page, re.S)
        assert select and re.search(r'<option value="" selected>Choose…</option>', select[0])
    fields = {**stories.application(stories.program(services)), "pillar": ""}
    response = browser.submit("/projects/new", fields)
    assert response.status_code == 422
    assert 'id="pillar-error">This field is required.' in response.text


def test_results_are_reported_against_the_framework_s_indicators_in_use(
    browser: Browser, services: Services
) -> None:
    project_id = signed(browser, services)
    path = f"/projects/{project_id}/results"
    browser.get(path)
    assert "no indicator in use yet" in browser.page
    in_use(services.grants, "referrals", "old_output")
    browser.get(f"/language/fr?next={path}")
    assert "Referrals (FR)" in browser.page and "Old output (FR)" in browser.page
    assert "<legend>Résultats : Autonomisation" in html.unescape(browser.page)  # by pillar
    # Retired while the form was open: refused by its field, the others named.
    services.grants.handle(STRATEGY, RetireIndicator(reason="Fewer."), code="old_output")
    fields = {"fiscal_year": stories.THIS_YEAR, "effective_on": stories.TODAY}
    refused = browser.submit(path, {**fields, "indicators.old_output": "3"})
    assert refused.status_code == 422
    said = "'old_output' n'est pas un indicateur en usage dans le cadre de résultats (referrals)"
    assert said in html.unescape(refused.text)
    browser.get("/language/en?next=/")
    record(browser, path, {**fields, "indicators.referrals": "7"})
    assert "old_output" not in browser.get(path).text
    assert services.grants.project(project_id).results == {stories.THIS_YEAR: {"referrals": 7}}
    assert "Referrals (EN)" in browser.get(f"/projects/{project_id}").text
