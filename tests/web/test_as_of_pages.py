"""The "as of" date picker of the dashboard, the year-end and the project page: with a
day chosen, each page says so and shows the figures of the facts in effect then."""

from __future__ import annotations

import re

from grants.bootstrap import Services
from tests.api import Api
from tests.web.conftest import Browser
from tests.web.test_finance_pages import api, caught_up

__all__ = ["api"]  # the fixture, used by name


def totals(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-total="(\w+)">([^<]*)<', page))


def test_each_page_shows_its_figures_as_of_the_day_chosen(
    browser: Browser, api: Api, services: Services
) -> None:
    program_id = api.program({"2021-22": 100_000_00})
    project_id = api.under_agreement(program_id, {"2021-22": 60_000_00})
    api.pay(project_id, "2021-22", 25_000_00, "PAY-1")
    caught_up(services, api)
    browser.sign_in("sasha")

    today = browser.get("/dashboard").text
    assert 'name="as_of"' in today and 'id="as-of"' not in today
    assert totals(today)["disbursed"] == "$25,000.00"
    july = browser.get("/dashboard?fiscal_year=&department=&as_of=2021-07-31").text
    assert "As of 2021-07-31" in july
    assert (totals(july)["committed"], totals(july)["disbursed"]) == ("$60,000.00", "$0.00")

    year_end = browser.get("/year-end?fiscal_year=2021-22&as_of=2021-07-31").text
    assert "As of 2021-07-31" in year_end
    assert totals(year_end)["disbursed"] == "$0.00"

    project = browser.get(f"/projects/{project_id}?as_of=2021-05-15").text
    assert "As of 2021-05-15" in project
    assert "Approved" not in project.split('id="project-status"')[1][:80]

    browser.get("/language/fr?next=/dashboard%3Fas_of%3D2021-07-31")
    assert "En date du 2021-07-31" in browser.page
    assert browser.get("/dashboard?as_of=31/07/2021").status_code == 400
