"""The service standards page shows the cases the nightly job flagged: the night it
worked them out, and each case's project, program, standard, clock and whether it is
overdue, in English and French; and the page passes axe in both languages."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from grants.bootstrap import Services
from grants.finance import standard_flags
from grants.projections.rebuild import catch_up
from tests.history import play
from tests.serving import serving
from tests.web.browser import Checked, chromium
from tests.web.conftest import Browser, password

NIGHT = date(2021, 6, 1)


@pytest.fixture
def flagged_project(services: Services) -> str:
    """An application received and never acknowledged, flagged overdue on ``NIGHT``."""
    played = play(services.grants, [("apply", 0, 10_000)])
    catch_up(services.grants, services.views.standards)
    standard_flags.flag(services.grants, services.views, services.pool, NIGHT)
    return str(played.projects[0])


def flagged_rows(page: str) -> list[list[str]]:
    table = page[page.index('id="flagged-table"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_the_page_says_when_the_nightly_job_has_not_flagged_anything_yet(
    browser: Browser,
) -> None:
    browser.sign_in("olivia")
    page = browser.get("/service-standards").text
    assert "The nightly job has not flagged any case yet." in page
    assert flagged_rows(page) == [["None yet."]]


def test_the_cases_the_nightly_job_flagged_are_listed_with_their_project_in_both_languages(
    browser: Browser, services: Services, flagged_project: str
) -> None:
    browser.sign_in("olivia")
    page = browser.get("/service-standards?fiscal_year=2021-22").text
    assert "Worked out the night of 2021-06-01" in page
    assert f'href="/projects/{flagged_project}"' in page.split('id="flagged-table"')[1]
    program = services.grants.programs()[0]
    acknowledgement = [row for row in flagged_rows(page) if row[2] == "Acknowledge an application"]
    assert len(acknowledgement) == 1
    _, program_name, _, started, due, status = acknowledgement[0]
    assert program_name == program.name_en and status == "Overdue"
    assert started < due < "2021-06-01"

    browser.get("/language/fr?next=/service-standards%3Ffiscal_year%3D2021-22")
    french = browser.page
    assert "Établis dans la nuit du 2021-06-01" in french
    rows = flagged_rows(french)
    assert ["Accuser réception d'une demande", "En retard"] in [[r[2], r[5]] for r in rows]
    assert program.name_fr in [row[1] for row in rows]


@pytest.mark.slow
def test_the_page_with_flagged_cases_passes_axe_in_both_languages(
    services: Services, people: dict[str, str], redis_url: str, flagged_project: str
) -> None:
    with serving(services, redis_url) as site, chromium() as chrome:
        context = chrome.new_context(base_url=site, locale="en-CA")
        page = context.new_page()
        page.set_default_timeout(15_000)
        checked = Checked(page)
        page.goto("/sign-in")
        page.get_by_label("Username").fill("olivia")
        page.get_by_label("Password").fill(password("olivia"))
        page.get_by_role("button", name="Sign in").click()
        for language in ("en", "fr"):
            page.goto(f"/language/{language}?next=/service-standards%3Ffiscal_year%3D2021-22")
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(
                page.locator(f'#flagged-table a[href="/projects/{flagged_project}"]').first
            ).to_be_visible()
            checked.check(f"service-standards-flagged-{language}")
        context.close()
    assert not checked.violations, checked.violations
