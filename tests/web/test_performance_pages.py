"""The performance story in the pages: the Strategy team keeps its framework through the
forms, and each pillar's page tells planned against actual spending and results against
targets, in English and French, each table also as CSV."""

from __future__ import annotations

import csv
import io

from grants.bootstrap import Services
from tests.waiting import wait_for
from tests.web.conftest import Browser
from tests.web.test_project_forms import record

INDICATOR = {
    "code": "permits",
    "expected_result": "victims_protected",
    "name_en": "Temporary resident permits to victims",
    "name_fr": "Permis de séjour temporaire aux victimes",
    "definition_en": "Permits issued in the year.",
    "definition_fr": "Permis délivrés dans l'exercice.",
    "unit": "permits",
    "direction": "increase",
    "data_source": "IRCC",
    "owner": "IRCC",
    "frequency": "annual",
    "effective_on": "2022-05-01",
}


def test_the_strategy_team_builds_a_story_the_pillar_page_tells(
    browser: Browser, services: Services, projections: None
) -> None:
    browser.sign_in("sasha")
    expected = {
        "code": "victims_protected",
        "pillar": "protection",
        "name_en": "Victims are protected",
        "name_fr": "Les victimes sont protégées",
        "effective_on": "2022-05-01",
    }
    assert record(browser, "/performance-forms/expected_result", expected).endswith(
        "/performance/protection?saved=true"
    )
    record(browser, "/performance-forms/indicator", INDICATOR)
    on = {"effective_on": "2022-05-01"}
    target = {"indicator": "permits", "fiscal_year": "2021-22", "kind": "range", "low": "90", **on}
    record(browser, "/performance-forms/target", {**target, "high": "120"})
    result = {"indicator": "permits", "department": "IRCC", "value": "81", "source": "0", **on}
    record(browser, "/performance-forms/result", {**result, "fiscal_year": "2021-22"})
    planned = {"department": "IRCC", "pillar": "protection", "fiscal_year": "2021-22", **on}
    record(browser, "/performance-forms/planned", {**planned, "amount": "800,000.00"})

    def told() -> str:
        page = browser.get("/performance/protection").text
        return page if "Not met" in page and "$800,000.00" in page else ""

    page = wait_for(told, 10)
    assert "90 to 120" in page and "Missed targets to explain" in page
    table = browser.get("/performance/protection/indicators.csv").text
    rows = list(csv.reader(io.StringIO(table.lstrip("\ufeff"))))
    assert rows[1][:5] == [
        "Temporary resident permits to victims",
        "2021-22",
        "90 to 120",
        "81",
        "Not met",
    ]

    browser.get("/language/fr?next=/performance/protection")
    french = browser.get("/performance/protection").text
    assert "Récit du rendement : Protection" in french and "Non atteinte" in french

    # The day before the framework and the plan took effect, the story had neither.
    before = browser.get("/performance/protection?fiscal_year=&as_of=2022-04-30").text
    assert "En date du 2022-04-30" in before and "Non atteinte" not in before
    assert 'value="2022-04-30"' in before and "trend.csv?as_of=2022-04-30" in before
    spending = browser.get("/performance/protection/spending.csv?as_of=2022-04-30").text
    assert len(list(csv.reader(io.StringIO(spending.lstrip("\ufeff"))))) == 1
    assert browser.get("/performance/protection?as_of=30/04/2022").status_code == 400


def test_a_too_long_explanation_is_refused_beside_its_field_and_nothing_is_kept(
    browser: Browser, services: Services
) -> None:
    browser.sign_in("sasha")
    browser.get("/performance-forms/explanation")
    before = services.grants.recorder.max_notification_id()
    fields = {
        "indicator": "permits",
        "fiscal_year": "2021-22",
        "explanation_en": "x" * 1001,
        "explanation_fr": "x",
    }
    response = browser.submit("/performance-forms/explanation", fields)
    assert response.status_code == 422
    assert services.grants.recorder.max_notification_id() == before


def test_only_the_strategy_team_is_offered_the_forms(browser: Browser) -> None:
    browser.sign_in("olivia")
    assert "/performance-forms/" not in browser.get("/performance/prevention").text
    assert browser.get("/performance-forms/target").status_code == 403
