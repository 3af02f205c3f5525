"""Finance's pages over the reconciliation, year-end and open-data services: a ledger
uploaded on the page and reconciled by the real worker, a refused file, the year-end
figures of a small story, the exports; and who sees which page."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from datetime import date

import httpx
import psycopg
import pytest

from grants.application import Grants
from grants.bootstrap import Services
from grants.finance import deadlines
from grants.projections.rebuild import catch_up
from tests.api import Api
from tests.http.test_exports import published_columns
from tests.ledgers import work
from tests.web.conftest import Browser
from workers import jobs

YEAR = "2021-22"
# PAY-1 matches, PAY-2's amount differs, LEDGER-9 is unknown to the tracker, PAY-3 is
# missing from the ledger.
LEDGER = (
    "payment_ref,amount,paid_on,recipient\n"
    "PAY-1,1000.00,2021-09-15,NOW Canada Society\n"
    'PAY-2,"$2,100.00",2021-09-15,NOW Canada Society\n'
    "LEDGER-9,99.99,2021-10-01,Someone Else\n"
)
UNREADABLE = "payment_ref,amount,paid_on\nPAY-1,1000.00,2021-09-15\nPAY-2,lots,2021-09-15\n"

NBSP = "\u00a0"


@pytest.fixture
def api(browser: Browser, people: dict[str, str], projections: None) -> Api:
    """The API beside the pages, to set up each story as other people would."""
    return Api(browser.client, {n: {"Authorization": f"Bearer {t}"} for n, t in people.items()})


def caught_up(services: Services, api: Api) -> None:
    """Waits for the views to include everything recorded so far."""
    position = api.position()
    for view in services.views.by_name().values():
        view.wait(Grants.name, position, timeout=30)


def upload(browser: Browser, ledger: str, fiscal_year: str = YEAR) -> httpx.Response:
    """Sends a ledger with the upload form of the reconciliations page."""
    browser.get("/reconciliations")
    response = browser.client.post(
        "/reconciliations",
        data={"csrf_token": browser.csrf(), "fiscal_year": fiscal_year},
        files={"file": ("ledger.csv", ledger.encode(), "text/csv")},
        follow_redirects=False,
    )
    browser.page = response.text
    return response


def cells(page: str, row: str) -> list[str]:
    """The cells of the table row marked ``data-class="row"``."""
    match = re.search(rf'<tr data-class="{row}">(.*?)</tr>', page, re.S)
    assert match, row
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match[1], re.S)
    ]


@pytest.mark.slow
def test_a_ledger_uploaded_on_the_page_is_reconciled_by_the_worker_and_reported(
    browser: Browser, api: Api, services: Services, redis_url: str
) -> None:
    program_id = api.program({YEAR: 1_000_000_00})
    project = api.under_agreement(program_id, {YEAR: 500_000_00})
    for n in (1, 2, 3):
        api.pay(project, YEAR, n * 1_000_00, f"PAY-{n}")
    caught_up(services, api)
    browser.sign_in("fiona")
    assert 'enctype="multipart/form-data"' in browser.get("/reconciliations").text

    response = upload(browser, LEDGER)
    assert response.status_code == 303, response.text
    report = response.headers["location"]
    queued = browser.get(report).text
    assert '<strong id="reconciliation-status">Queued</strong>' in queued
    assert f'data-progress="{report}/progress"' in queued  # followed while it runs
    assert "Queued" in browser.get(f"{report}/progress").text

    work(services, redis_url)

    done = browser.get(report).text
    assert '<strong id="reconciliation-status">Done</strong>' in done
    assert "data-progress" not in done and "progress.js" not in done
    assert cells(done, "matched") == ["Matched", "1", "$1,000.00"]
    assert cells(done, "amount_mismatch") == ["Amount differs", "1", "$2,100.00"]
    assert cells(done, "ledger_only") == ["In the ledger only", "1", "$99.99"]
    assert cells(done, "tracker_only") == ["In the tracker only", "1", "$3,000.00"]
    assert cells(done, "duplicate") == ["Duplicate in the ledger", "0", "$0.00"]
    differences = done[done.index('id="differences-table"') :]
    assert [ref for ref in ("PAY-1", "PAY-2", "LEDGER-9", "PAY-3") if ref in differences] == [
        "PAY-2", "LEDGER-9", "PAY-3"
    ]  # fmt: skip

    # The CSV is the API's, for a person signed in rather than a token.
    download = browser.get(f"{report}/differences.csv")
    assert "attachment" in download.headers["content-disposition"]
    from_api = browser.client.get(f"/api{report}/differences.csv", headers=api.as_["fiona"])
    assert download.text == from_api.text
    assert [row[:2] for row in csv.reader(io.StringIO(download.text))][1:] == [
        ["amount_mismatch", "PAY-2"], ["ledger_only", "LEDGER-9"], ["tracker_only", "PAY-3"]
    ]  # fmt: skip

    listed = browser.get("/reconciliations").text
    for shown in ("ledger.csv", "fiona", hashlib.sha256(LEDGER.encode()).hexdigest(), "Done"):
        assert shown in listed

    browser.get(f"/language/fr?next={report}")
    assert cells(browser.page, "amount_mismatch") == [
        "Montant différent", "1", f"2{NBSP}100,00{NBSP}$"
    ]  # fmt: skip
    assert "Terminé" in browser.page


def test_a_file_that_cannot_be_read_is_refused_by_its_field_and_nothing_is_stored(
    browser: Browser, services: Services
) -> None:
    browser.sign_in("fiona")
    response = upload(browser, UNREADABLE, fiscal_year="2021-22")
    assert response.status_code == 422
    page = response.text
    assert 'id="file-error"' in page and "line 3, column amount" in page
    assert 'aria-invalid="true"' in page
    assert 'name="fiscal_year" value="2021-22"' in page  # what was typed is kept

    response = browser.client.post(
        "/reconciliations",
        data={"csrf_token": browser.csrf(), "fiscal_year": "2021"},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 422
    assert "This field is required." in response.text  # no file chosen
    assert 'id="fiscal_year-error"' in response.text

    browser.get("/language/fr?next=/reconciliations")
    response = upload(browser, UNREADABLE)
    text = html.unescape(response.text)
    assert (
        "ligne 3, colonne amount : 'lots' n'est pas un montant"  # the reason, in French
    ) in text
    with psycopg.connect(services.database_url) as conn:
        assert conn.execute("SELECT count(*) FROM reconciliations").fetchone() == (0,)


def test_each_role_sees_the_finance_pages_the_api_allows_it(browser: Browser) -> None:
    menu = re.compile(r'<nav aria-label="Menu">.*?</nav>', re.S)
    browser.sign_in("olivia")
    assert browser.get("/reconciliations").status_code == 403
    officer = menu.search(browser.get("/year-end").text)
    assert officer and "/year-end" in officer[0] and "/exports" in officer[0]
    assert "/reconciliations" not in officer[0] and "/payments" not in officer[0]

    browser.sign_in("sasha")
    assert browser.get("/reconciliations").status_code == 403
    assert browser.get("/year-end").status_code == 200
    analyst = menu.search(browser.get("/exports").text)
    assert analyst and "/year-end" in analyst[0] and "/exports" in analyst[0]
    assert "/reconciliations" not in analyst[0]

    browser.sign_in("fiona")
    finance = menu.search(browser.get("/reconciliations").text)
    assert finance and all(p in finance[0] for p in ("/reconciliations", "/year-end", "/exports"))


def test_the_year_end_shows_what_is_left_per_program_and_what_falls_due(
    browser: Browser, api: Api, services: Services
) -> None:
    program_id = api.program({"2021-22": 100_000_00, "2022-23": 100_000_00})
    held = api.under_agreement(program_id, {"2021-22": 20_000_00, "2022-23": 30_000_00})
    api.pay(held, "2021-22", 15_000_00, "PAY-1")
    api.post(
        f"/api/projects/{held}/payment-requests",
        {"fiscal_year": "2021-22", "amount_cents": 2_000_00, "effective_on": "2022-03-01"},
    )
    caught_up(services, api)
    # As of January 15, 2023, the agreement ends March 31: within 90 days.
    deadlines.refresh(services.pool, services.views.awards, date(2023, 1, 15))

    browser.sign_in("sasha")
    page = browser.get("/year-end?fiscal_year=2021-22").text
    totals = dict(re.findall(r'data-total="(\w+)">([^<]*)<', page))
    assert totals == {
        "allocation": "$100,000.00",
        "committed": "$20,000.00",
        "disbursed": "$15,000.00",
        "uncommitted": "$80,000.00",
        "unpaid": "$5,000.00",
        "payable_at_year_end": "$2,000.00",
        "holdback_retained": "$0.00",
        "lapsing": "$3,000.00",
    }
    assert "Victims Fund" in page
    assert "As of 2023-01-15." in page
    ending = page[page.index('id="ending-table"') : page.index('id="overdue-table"')]
    assert "The Essentials" in ending and "2023-03-31" in ending

    filtered = browser.get("/year-end?fiscal_year=2021-22&department=WAGE").text
    assert "Victims Fund" not in filtered.split('id="deadlines-heading"')[0]

    browser.get("/language/fr?next=/year-end%3Ffiscal_year%3D2022-23")
    totals = dict(re.findall(r'data-total="(\w+)">([^<]*)<', browser.page))
    assert totals["committed"] == f"30{NBSP}000,00{NBSP}$"
    assert totals["holdback_retained"] == f"5{NBSP}000,00{NBSP}$"
    assert "Fonds d&#39;aide aux victimes" in browser.page


def test_the_open_data_downloads_and_a_missing_publication_detail_is_named_on_the_page(
    browser: Browser, api: Api, services: Services
) -> None:
    browser.sign_in("sasha")
    nothing = browser.get("/exports/360giving.json")
    assert nothing.status_code == 404
    assert "there is nothing to publish" in nothing.text

    program_id = api.program({YEAR: 100_000_00})
    api.under_agreement(program_id, {YEAR: 30_000_00})
    caught_up(services, api)
    assert f"/exports/proactive-disclosure.csv?fiscal_year={YEAR}" in browser.get("/exports").text
    refused = browser.get(f"/exports/proactive-disclosure.csv?fiscal_year={YEAR}")
    assert refused.status_code == 409
    assert "The disclosure for 2021-22 cannot be written yet:" in refused.text
    assert "Victims Fund" in refused.text

    answer = browser.client.put(
        f"/api/programs/{program_id}/publication",
        json={"department_number": "123", "purpose_en": "To help victims.",
              "purpose_fr": "Aider les victimes."},
        headers=api.as_["olivia"],
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    caught_up(services, api)
    disclosure = browser.get(f"/exports/proactive-disclosure.csv?fiscal_year={YEAR}")
    assert disclosure.status_code == 200
    assert disclosure.headers["content-disposition"] == 'attachment; filename="grants-2021-22.csv"'
    reader = csv.DictReader(io.StringIO(disclosure.text))
    assert list(reader.fieldnames or []) == published_columns()
    assert [row["agreement_value"] for row in reader] == ["30000.00"]

    giving = browser.get("/exports/360giving.json")
    assert giving.headers["content-type"].startswith("application/json")
    assert "attachment" in giving.headers["content-disposition"]
    assert [g["title"] for g in json.loads(giving.text)["grants"]] == ["The Essentials"]


@pytest.mark.slow
def test_a_failed_reconciliation_says_why_and_runs_again_from_its_page(
    browser: Browser,
    people: dict[str, str],
    services: Services,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = Api(browser.client, {n: {"Authorization": f"Bearer {t}"} for n, t in people.items()})
    project = api.under_agreement(api.program({YEAR: 1_000_000_00}), {YEAR: 500_000_00})
    api.pay(project, YEAR, 1_000_00, "PAY-1")  # no worker keeps the views yet
    monkeypatch.setattr(jobs, "VIEW_WAIT_SECONDS", 0.5)
    browser.sign_in("fiona")
    report = upload(browser, LEDGER).headers["location"]
    work(services, redis_url)

    failed = browser.get(report).text
    assert '<strong id="reconciliation-status">Failed</strong>' in failed
    assert "the payments view reached event 0 of" in failed
    assert "Run it again" in failed

    catch_up(services.grants, services.views.payments)
    again = browser.submit(f"{report}/retry", {}, follow_redirects=False)
    assert again.headers["location"] == report
    work(services, redis_url)
    done = browser.get(report).text
    assert '<strong id="reconciliation-status">Done</strong>' in done
    assert "Run it again" not in done


def test_finance_closes_a_year_on_the_year_end_page_and_an_admin_reopens_it(
    browser: Browser, api: Api, services: Services
) -> None:
    program_id = api.program({YEAR: 100_000_00})
    api.under_agreement(program_id, {YEAR: 30_000_00}, holdback_percent=0)
    browser.sign_in("fiona")
    page = browser.get(f"/year-end?fiscal_year={YEAR}").text
    assert f"{YEAR} is open." in page
    assert "No closes" not in page
    browser.get(f"/year-end/{YEAR}/close")
    # Before the payables at year-end are over: refused on the form, saying until when.
    early = browser.submit(f"/year-end/{YEAR}/close", {"effective_on": "2022-04-30"})
    assert early.status_code == 422
    assert "over, after 2022-04-30" in early.text
    closed = browser.submit(f"/year-end/{YEAR}/close", {"effective_on": "2022-05-02"})
    assert closed.status_code == 200, closed.text
    assert f"{YEAR} is closed" in closed.text
    assert re.search(
        rf"<th scope=\"row\">{YEAR}</th>\s*<td>Closed</td>\s*<td>fiona</td>", closed.text
    )
    assert "/reopen" not in closed.text, "finance does not reopen"

    browser.sign_in("ada")
    browser.get("/language/fr?next=/year-end")
    browser.get(f"/year-end/{YEAR}/reopen")
    reopened = browser.submit(f"/year-end/{YEAR}/reopen", {"reason": "Facture tardive."})
    assert reopened.status_code == 200, reopened.text
    assert f"L'exercice {YEAR} est ouvert." in html.unescape(reopened.text)
    assert "Facture tardive." in reopened.text
