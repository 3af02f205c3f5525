"""A project's life through the program side's forms and finance's release; refused
forms show the rule next to the field and keep what was typed."""

from __future__ import annotations

import html
import re
from uuid import UUID

import pytest

from grants.bootstrap import Services
from tests.waiting import wait_for
from tests.web import stories
from tests.web.conftest import Browser
from tests.web.releasing import release_one

_PROJECT = re.compile(r"/projects/([0-9a-f-]{36})")
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def events(services: Services) -> int:
    return services.grants.recorder.max_notification_id() or 0


def record(browser: Browser, path: str, fields: dict[str, str]) -> str:
    """Opens the form at ``path``, sends it, and returns the page it leads to."""
    browser.get(path)
    form_key = re.search(r'name="form_key" value="([^"]+)"', browser.page)
    version = re.search(r'name="version" value="([^"]+)"', browser.page)
    hidden = {"form_key": form_key[1] if form_key else ""}
    if version:
        hidden["version"] = version[1]
    response = browser.submit(path, {**hidden, **fields})
    assert response.status_code == 200, response.text
    if 'name="confirmed"' in browser.page:  # a decision that commits money: confirmed
        response = browser.submit(path, confirmation(browser.page))
        assert response.status_code == 200, response.text
    return str(response.url)


def confirmation(page: str) -> dict[str, str]:
    """The fields the confirmation page sends back when its Confirm button is pressed."""
    return {
        html.unescape(name): html.unescape(value)
        for name, value in _HIDDEN.findall(page)
        if name != "csrf_token"
    }


def applied(browser: Browser, services: Services) -> UUID:
    browser.sign_in("olivia")
    url = record(browser, "/projects/new", stories.application(stories.program(services)))
    match = _PROJECT.search(url)
    assert match, url
    return UUID(match[1])


def test_an_application_to_a_released_payment_through_the_forms(
    browser: Browser, services: Services, projections: None
) -> None:
    project_id = applied(browser, services)
    assert "Saved." in browser.page and "Received" in browser.page
    record(browser, f"/projects/{project_id}/assessment", stories.ASSESSMENT)
    record(browser, f"/projects/{project_id}/approval", stories.approval("100,000.00"))
    record(browser, f"/projects/{project_id}/agreement", stories.AGREEMENT)
    record(browser, f"/projects/{project_id}/payment_request", stories.payment_request("40000"))
    assert "Awaiting release" in browser.page

    browser.sign_in("fiona")
    # The request reaches finance's list once the payment register has folded it.
    release = wait_for(
        lambda: re.search(
            rf'href="(/payments/{project_id}/[0-9a-f-]{{36}})"', browser.get("/payments").text
        ),
        seconds=10,
    )
    assert release
    summary = release_one(browser, release[1], "PAY-0001", stories.TODAY)
    assert "Released $40,000.00 to NOW Canada Society" in summary.text
    back = re.search(r'href="(/payments\?min_position=\d+)"', summary.text)
    assert back and str(project_id) not in browser.get(back[1]).text  # nothing left to release

    page = browser.get(f"/projects/{project_id}").text
    for what in ("Application received", "Payment certified", "Payment released", "fiona"):
        assert what in page
    assert "$40,000.00" in page


def test_a_refused_approval_names_the_rule_by_the_field_and_keeps_the_input(
    browser: Browser, services: Services
) -> None:
    project_id = applied(browser, services)
    record(browser, f"/projects/{project_id}/assessment", stories.ASSESSMENT)
    before = events(services)
    browser.get(f"/projects/{project_id}/approval")
    response = browser.submit(f"/projects/{project_id}/approval", stories.approval("150000"))
    assert response.status_code == 422
    fieldset = re.search(r'<fieldset class="invalid".*?</fieldset>', response.text, re.S)
    assert fieldset and "adds up to $150,000.00, more than the $120,000.00 requested" in fieldset[0]
    assert 'value="150000"' in response.text
    assert events(services) == before


def test_bad_input_is_named_field_by_field(browser: Browser, services: Services) -> None:
    browser.sign_in("olivia")
    browser.get("/projects/new")
    fields = {**stories.application(stories.program(services), requested="lots")}
    fields["recipient.legal_name"] = ""
    response = browser.submit("/projects/new", fields)
    assert response.status_code == 422
    assert re.search(r'id="requested-error">Write an amount in dollars', response.text)
    assert 'id="recipient.legal_name-error">This field is required.' in response.text
    assert 'value="lots"' in response.text


def test_a_refusal_in_french_says_why_in_french_with_its_figures(
    browser: Browser, services: Services
) -> None:
    project_id = applied(browser, services)
    browser.get(f"/language/fr?next=/projects/{project_id}/approval")
    response = browser.submit(f"/projects/{project_id}/approval", stories.approval("1000"))
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert (
        "le projet est à l'état « Reçue » : il ne peut recevoir ceci (une approbation) qu'à "
        "l'état « Évaluée »"
    ) in text
    assert "the project is" not in text  # no English left in the refusal


def test_finance_cannot_release_what_it_certified(browser: Browser, services: Services) -> None:
    """The admin may do all, but never both sides of one payment."""
    project_id = applied(browser, services)
    browser.sign_in("ada")
    record(browser, f"/projects/{project_id}/assessment", stories.ASSESSMENT)
    record(browser, f"/projects/{project_id}/approval", stories.approval("1000"))
    record(browser, f"/projects/{project_id}/agreement", stories.AGREEMENT)
    record(browser, f"/projects/{project_id}/payment_request", stories.payment_request("500"))
    request_id = next(iter(services.grants.project(project_id).payment_requests))
    response = release_one(browser, f"/payments/{project_id}/{request_id}", "PAY-2", stories.TODAY)
    assert response.status_code == 422
    assert "ada certified this request and so may not release it" in response.text


@pytest.mark.parametrize(
    ("language", "typed", "recorded"),
    [
        ("en", "250 000,00 $", None),  # once recorded as $25,000,000.00
        ("en", "250,000.00", 25_000_000),
        ("fr", "250 000,00 $", 25_000_000),
        ("fr", "250,000.00", None),
    ],
)
def test_an_amount_is_recorded_as_typed_in_the_page_s_language_or_refused(
    browser: Browser, services: Services, language: str, typed: str, recorded: int | None
) -> None:
    program_id = stories.program(services)
    browser.sign_in("olivia")
    browser.get(f"/language/{language}?next=/projects/new")
    before = events(services)
    fields = stories.application(program_id, requested=typed)
    if recorded is None:
        response = browser.submit("/projects/new", fields)
        assert response.status_code == 422
        assert events(services) == before
        assert ("1,234.56" if language == "en" else "1 234,56") in html.unescape(response.text)
    else:
        match = _PROJECT.search(record(browser, "/projects/new", fields))
        assert match
        assert services.grants.project(UUID(match[1])).requested_cents == recorded


def test_an_approval_is_confirmed_in_words_before_it_is_recorded_and_can_be_changed(
    browser: Browser, services: Services
) -> None:
    project_id = applied(browser, services)
    record(browser, f"/projects/{project_id}/assessment", stories.ASSESSMENT)
    path = f"/projects/{project_id}/approval"
    form = html.unescape(browser.get(path).text)
    # The figures to decide with, above the form.
    assert "Requested: $120,000.00" in form
    year = stories.THIS_YEAR.replace("-", "\u2011")  # written not to break at its hyphen
    assert f"Left to commit in the allocation of Victims Fund: {year} $500,000.00" in form
    before = events(services)
    asked = browser.submit(path, stories.approval("100,000.00"))
    assert asked.status_code == 200 and events(services) == before
    sentence = re.search(r'<p id="to-confirm" class="confirm">(.*?)</p>', asked.text)
    assert sentence
    assert html.unescape(sentence[1]) == (
        "Approve $100,000.00 for NOW Canada Society, “The Essentials” ($120,000.00 requested): "
        f"{year} $100,000.00?"
    )
    # Back to the form with what was typed, to change a figure.
    back = browser.submit(path, {**confirmation(asked.text), "change": "yes"})
    assert back.status_code == 200 and 'value="100,000.00"' in back.text
    assert events(services) == before
    # Confirmed twice (a double click): recorded once.
    confirmed = confirmation(asked.text)
    browser.get(path)
    browser.page = asked.text
    browser.submit(path, confirmed)
    browser.page = asked.text
    browser.submit(path, confirmed)
    assert services.grants.project(project_id).value_cents == 100_000_00
    assert events(services) == before + 2  # the approval, and its commitment


def test_the_agreement_form_names_every_field_the_open_data_table_requires_at_once(
    browser: Browser, services: Services
) -> None:
    project_id = applied(browser, services)
    record(browser, f"/projects/{project_id}/assessment", stories.ASSESSMENT)
    record(browser, f"/projects/{project_id}/approval", stories.approval("1,000.00"))
    path = f"/projects/{project_id}/agreement"
    form = browser.get(path).text
    assert "(optional)" not in form.split("For the open-data disclosure")[1]
    assert re.search(r'<textarea id="disclosure.description_en"', form)
    assert "Required for agreements starting on or after 2025-12-01." in form
    for name in ("recipient_operating_name", "federal_riding_number", "naics_identifier"):
        assert f'name="disclosure.{name}"' in form
    before = events(services)
    empty = {k: v for k, v in stories.AGREEMENT.items() if not k.startswith("disclosure.")}
    response = browser.submit(path, empty)
    assert response.status_code == 422
    refused = re.findall(r'id="disclosure\.([a-z_]+)-error"', response.text)
    assert set(refused) == {
        "recipient_type",
        "recipient_city",
        "description_en",
        "description_fr",
        "expected_results_en",
        "expected_results_fr",
    }
    assert events(services) == before
