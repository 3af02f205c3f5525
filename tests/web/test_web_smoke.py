from __future__ import annotations

from tests.web.conftest import Browser


def test_an_analyst_signs_in_and_reads_the_dashboard(browser: Browser) -> None:
    browser.sign_in("sasha")
    response = browser.get("/dashboard")
    assert response.status_code == 200, response.text
    assert "Funding by pillar" in response.text
    assert browser.get("/outcomes").status_code == 200
