"""A program's life in the pages: registered, corrected, given an allocation and its
publication details and standards; a call opened, its applications listed, closed. Only
the program side is offered the forms."""

from __future__ import annotations

import html
import re
from uuid import UUID, uuid4

from grants.bootstrap import Services
from grants.domain.reference import Pillar
from grants.domain.service_standards import Standard, Target, Unit
from tests.waiting import wait_for
from tests.web import stories
from tests.web.conftest import Browser
from tests.web.test_project_forms import events, record

_PROGRAM = re.compile(r"/programs/([0-9a-f-]{36})")

REGISTRATION = {
    "department": "WAGE",
    "name_en": "Women's Program",
    "name_fr": "Programme de promotion de la femme",
    "transfer_type": "grant",
    "pillars.prevention": "on",
    "pillars.empowerment": "on",
    "effective_on": stories.TODAY,
}


def registered(browser: Browser) -> UUID:
    browser.sign_in("olivia")
    match = _PROGRAM.search(record(browser, "/programs/new", REGISTRATION))
    assert match
    return UUID(match[1])


def test_an_officer_registers_a_program_and_sets_its_allocation(
    browser: Browser, services: Services, projections: None
) -> None:
    program_id = registered(browser)
    program = services.grants.program(program_id)
    assert (program.department, program.pillars) == (
        "WAGE",
        (Pillar.EMPOWERMENT, Pillar.PREVENTION),
    )
    assert "Saved." in browser.page

    record(
        browser,
        f"/programs/{program_id}/allocation",
        {"fiscal_year": stories.THIS_YEAR, "amount": "2,500,000", "effective_on": stories.TODAY},
    )
    assert services.grants.program(program_id).allocations == {stories.THIS_YEAR: 2_500_000_00}
    # The year's row comes from the commitments view, once it has read the allocation.
    assert wait_for(lambda: "$2,500,000.00" in browser.get(f"/programs/{program_id}").text)
    # Its row offers the allocation again, opened on that year and amount.
    form = browser.get(f"/programs/{program_id}/allocation?chosen={stories.THIS_YEAR}").text
    assert 'value="2,500,000.00"' in form


def test_a_registration_without_a_pillar_is_refused_by_its_field(
    browser: Browser, services: Services
) -> None:
    browser.sign_in("olivia")
    browser.get("/programs/new")
    before = events(services)
    fields = {k: v for k, v in REGISTRATION.items() if not k.startswith("pillars.")}
    response = browser.submit("/programs/new", fields)
    assert response.status_code == 422
    assert 'id="pillars-error">Choose at least one.' in response.text
    assert events(services) == before


def test_a_program_gains_a_pillar_and_never_loses_one(browser: Browser, services: Services) -> None:
    program_id = registered(browser)
    edit = {
        "name_en": "Women's Program (Gender-Based Violence)",
        "name_fr": "Programme de promotion de la femme (violence fondée sur le sexe)",
        "pillars.prevention": "on",
        "pillars.protection": "on",
        "effective_on": stories.TODAY,
    }
    browser.get(f"/programs/{program_id}/edit")
    response = browser.submit(f"/programs/{program_id}/edit", edit)
    assert response.status_code == 422
    assert "cannot be removed" in html.unescape(response.text)

    record(browser, f"/programs/{program_id}/edit", {**edit, "pillars.empowerment": "on"})
    program = services.grants.program(program_id)
    assert program.name_en == edit["name_en"]
    assert set(program.pillars) == {Pillar.EMPOWERMENT, Pillar.PREVENTION, Pillar.PROTECTION}


def test_publication_details_and_a_program_s_own_standard(
    browser: Browser, services: Services
) -> None:
    program_id = registered(browser)
    record(
        browser,
        f"/programs/{program_id}/publication",
        {
            "department_number": "251",
            "purpose_en": "To advance equality for women.\nBy funding projects.",
            "purpose_fr": "Faire progresser l'égalité des femmes.",
            "effective_on": stories.TODAY,
        },
    )
    record(
        browser,
        f"/programs/{program_id}/service_standard",
        {
            "standard": "payment",
            "within": "15",
            "unit": "business_days",
            "target_percent": "90",
            "effective_on": stories.TODAY,
        },
    )
    program = services.grants.program(program_id)
    assert program.publication and program.publication.purpose_en.endswith("By funding projects.")
    assert program.target(Standard.PAYMENT) == Target(15, Unit.BUSINESS_DAYS, 90)
    page = browser.get(f"/programs/{program_id}").text
    assert "251" in page and "Within 15 business days, for 90% of cases" in page


def test_a_call_is_opened_lists_its_applications_and_is_closed(
    browser: Browser, services: Services, projections: None
) -> None:
    program_id = stories.program(services)
    browser.sign_in("olivia")
    record(
        browser,
        "/calls/new",
        {
            "program_id": str(program_id),
            "title_en": "Supports for survivors 2026",
            "title_fr": "Soutiens aux survivantes 2026",
            "pillar": "protection",
            "opens_on": stories.TODAY,
            "closes_on": stories.THIS_YEAR.ends_on.isoformat(),
            "budget": "1,000,000",
        },
    )
    (call,) = services.grants.calls()
    # The application form offers the open call, and the call lists what it received.
    assert f'value="{call.id}"' in browser.get("/projects/new").text
    fields = {**stories.application(program_id), "call_id": str(call.id)}
    record(browser, "/projects/new", fields)
    assert wait_for(lambda: "The Essentials" in browser.get(f"/projects?call_id={call.id}").text)
    assert "The Essentials" not in browser.get(f"/projects?call_id={uuid4()}").text

    assert f'href="/calls/{call.id}/close"' in browser.get("/calls").text
    record(browser, f"/calls/{call.id}/close", {"effective_on": stories.TODAY})
    assert services.grants.call(call.id).closed_on is not None
    assert f'href="/calls/{call.id}/close"' not in browser.get("/calls").text


def test_an_analyst_is_offered_no_program_form_and_refused_one(
    browser: Browser, services: Services
) -> None:
    program_id = stories.program(services)
    browser.sign_in("sasha")
    assert f"/programs/{program_id}/allocation" not in browser.get(f"/programs/{program_id}").text
    assert "/programs/new" not in browser.get("/programs").text
    assert browser.get(f"/programs/{program_id}/allocation").status_code == 403
    assert browser.get("/calls/new").status_code == 403
