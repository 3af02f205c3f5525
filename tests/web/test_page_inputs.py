"""What a person (or a crafted link) may put in a page's address or form never answers
500: filters with control characters, page numbers past any end, versions written in
other digits, a redirect target that cannot be sent."""

from __future__ import annotations

import pytest

from tests.web.conftest import Browser


@pytest.mark.parametrize(
    "path",
    [
        "/projects?recipient=%00",
        "/projects?department=P%00S&status=%1b",
        "/projects?page_number=1000000000000000000000",
        "/projects?page_number=-3",
        "/dashboard?department=%00&fiscal_year=%00",
        "/outcomes?fiscal_year=%00&pillar=%7f",
        "/year-end?department=%00",
        "/year-end?fiscal_year=%D9%A2%D9%A0%D9%A2%D9%A6-27",
        "/payments?department=%00&released=%00",
        "/reconciliations/00000000-0000-4000-8000-000000000000?page_number=0",
    ],
)
def test_a_crafted_address_is_answered_without_a_server_error(browser: Browser, path: str) -> None:
    browser.sign_in("ada")
    answer = browser.get(path)
    assert answer.status_code < 500, answer.text
    assert answer.status_code in (200, 400, 404), answer.status_code


def test_a_form_sent_with_a_version_in_other_digits_is_not_a_server_error(
    browser: Browser,
) -> None:
    browser.sign_in("olivia")
    browser.get("/projects/new")
    answer = browser.submit("/projects/new", {"version": "\u00b2", "title_en": ""})
    assert answer.status_code == 422


def test_a_redirect_target_with_control_characters_goes_home(browser: Browser) -> None:
    answer = browser.get("/language/fr?next=/projects%0d%0aSet-Cookie:x=1", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


def test_a_mistyped_address_is_a_page_for_a_browser_and_problem_details_for_the_api(
    browser: Browser,
) -> None:
    browser.sign_in("olivia")
    for path in ("/dashbord", "/projects/not-a-project"):
        answer = browser.get(path, headers={"Accept": "text/html,application/xhtml+xml"})
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/html")
        assert "<h1>Page not found</h1>" in answer.text
        # In the frame of someone signed in: their menu, their name.
        assert 'href="/projects"' in answer.text and "olivia" in answer.text
    # A role refusal says so, not that something went wrong.
    refused = browser.get("/payments")
    assert refused.status_code == 403
    assert "<h1>Not allowed for your role</h1>" in refused.text
    api = browser.client.get("/api/projets", headers={"Accept": "text/html"})
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [
        ("en", "250,000", "= $250,000.00"),
        ("fr", "250 000,00 $", "= 250\u00a0000,00\u00a0$"),
        ("en", "250 000,00 $", None),  # the French way, on an English page: refused
        ("en", "200000000000", None),  # over the tracker's limit
    ],
)
def test_an_amount_is_shown_as_the_server_reads_it_before_the_form_is_sent(
    browser: Browser, language: str, typed: str, shown: str | None
) -> None:
    browser.sign_in("olivia")
    browser.get(f"/language/{language}?next=/projects")
    answer = browser.client.get("/money/understood", params={"value": typed}).json()
    if shown is None:
        assert answer["refused"] and "understood" not in answer
    else:
        assert answer["understood"] == shown
