"""The Strategy's tables as CSV (where no text runs as a formula), the demo's people
signing in with their known passwords, and passwords set from the command line."""

from __future__ import annotations

import csv
import io

import pytest

from grants import demo
from grants.bootstrap import Services
from grants.cli import main
from grants.users import Role
from grants.web.i18n import Translator
from grants.web.strategy import Funding, _funding_csv, csv_download
from grants.wording import Language
from tests.web import stories
from tests.web.conftest import Browser


def rows(text: str) -> list[list[str]]:
    """The rows of a CSV made for spreadsheets, which starts with a byte order mark."""
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_each_strategy_table_downloads_as_csv_in_the_pages_language(
    browser: Browser, services: Services
) -> None:
    stories.program(services)
    browser.sign_in("sasha")
    funding = browser.get("/dashboard/funding.csv?fiscal_year=2021-22")
    assert funding.headers["content-type"] == "text/csv; charset=utf-8"
    assert "funding-by-pillar.csv" in funding.headers["content-disposition"]
    assert rows(funding.text)[0] == [
        "Pillar",
        "Committed",
        "Disbursed",
        "Outstanding",
        "Lapsed",
        "Projects",
    ]
    assert rows(funding.text)[-1] == ["Total", "0.00", "0.00", "0.00", "0.00", "0"]
    assert rows(browser.get("/dashboard/trend.csv").text)[0][0] == "Fiscal year"
    browser.get("/language/fr?next=/outcomes")
    assert rows(browser.get("/outcomes.csv").text)[0][:2] == ["Pilier", "Indicateur"]


def test_the_dashboards_files_quote_formulas_and_keep_negative_amounts() -> None:
    labels = ['=HYPERLINK("http://evil","x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    table = [Funding(label, 1234_56, -1234_56, -50, 7_00, 3) for label in labels]
    header, *body = _funding_csv(Translator(Language.EN), "Pillar", table)
    download = csv_download("funding-by-pillar.csv", header, body)
    assert download.media_type == "text/csv"
    assert download.content.startswith("\ufeff"), "Excel reads UTF-8 with a BOM"
    assert list(csv.reader(io.StringIO(download.content[1:], newline=""))) == [
        header,
        *([f"'{label}", "1234.56", "-1234.56", "-0.50", "7.00", "3"] for label in labels),
    ]


@pytest.mark.slow
def test_the_demo_people_sign_in_with_their_passwords(browser: Browser, services: Services) -> None:
    demo.load(services.grants, services.database_url)
    for name, role in demo.USERS.items():
        browser.get("/sign-in")
        response = browser.submit("/sign-in", {"username": name, "password": demo.password(name)})
        assert response.status_code == 200, (name, response.text)
        assert f"Signed in as {name}" in response.text
        if role is Role.STRATEGY_ANALYST:
            assert "Funding by pillar" in response.text


def test_users_add_sets_a_password(
    services: Services, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", services.database_url)
    assert main(["users", "add", "pat", "--role", "finance_officer", "--password", "pw-1"]) == 0
    assert capsys.readouterr().out.strip()  # the bearer token, as before
    user = services.users.by_password("pat", "pw-1")
    assert user is not None and user.role is Role.FINANCE_OFFICER
    assert services.users.by_password("pat", "pw-2") is None
    # A new token without --password keeps the password.
    assert main(["users", "add", "pat", "--role", "finance_officer"]) == 0
    assert services.users.by_password("pat", "pw-1") is not None
