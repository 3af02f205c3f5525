"""Finance's queue at the scale it works: totals and filters of the requests awaiting
release, a page at a time; many released at once, each checked as a sentence first,
each its own command, one refused by the domain; a confirmation sent twice releases
once; and the year-end opening on the last year with money, its overdue reports the
chosen year's, a page at a time."""

from __future__ import annotations

import html
import re
from datetime import date
from uuid import UUID

import pytest

from grants.bootstrap import Services
from grants.finance import deadlines
from grants.web import finance, year_end
from tests.api import PROGRAM, Api
from tests.web.conftest import Browser
from tests.web.releasing import confirmation
from tests.web.test_finance_pages import NBSP, caught_up

YEAR, NEXT = "2021-22", "2022-23"


@pytest.fixture
def api(browser: Browser, people: dict[str, str], projections: None) -> Api:
    """The API beside the pages, for the program side's part of each story."""
    return Api(browser.client, {n: {"Authorization": f"Bearer {t}"} for n, t in people.items()})


def program(api: Api, department: str = "JUS") -> str:
    """A program with money in 2021-22 and 2022-23, of the department given."""
    body = {**PROGRAM, "department": department}
    if department != "JUS":
        body |= {"name_en": "Women's Program", "name_fr": "Programme de promotion de la femme"}
    program_id: str = api.post("/api/programs", body)["id"]
    for year in (YEAR, NEXT):
        api.client.put(
            f"/api/programs/{program_id}/allocations/{year}",
            json={"amount_cents": 1_000_000_00},
            headers=api.as_["olivia"],
        )
    return program_id


def requested(
    api: Api, project_id: str, cents: int, on: str, year: str = YEAR, who: str = "olivia",
    kind: str = "claim",
) -> str:  # fmt: skip
    """A payment request certified by ``who`` on the day ``on``."""
    answer = api.post(
        f"/api/projects/{project_id}/payment-requests",
        {"fiscal_year": year, "amount_cents": cents, "effective_on": on, "kind": kind},
        who=who,
    )
    return str(answer["id"])


def texts(page: str, list_id: str) -> list[str]:
    """The items of the list ``list_id``, as read."""
    found = re.search(rf'<ul id="{list_id}"[^>]*>(.*?)</ul>', page, re.S)
    assert found, list_id
    return [
        html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r"<li[^>]*>(.*?)</li>", found[1], re.S)
    ]


def queue(browser: Browser, query: str = "") -> tuple[str, list[str]]:
    """The queue's totals sentence and the request ids it lists, in order."""
    page = browser.get(f"/payments{query}").text
    totals = re.search(r'<p id="queue-totals"[^>]*>([^<]*)</p>', page)
    assert totals, page
    return html.unescape(totals[1]), re.findall(r'name="request\.([0-9a-f-]{36})"', page)


def test_the_queue_totals_what_it_lists_and_narrows_it_by_each_filter(
    browser: Browser, api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    justice = api.under_agreement(program(api), {YEAR: 100_000_00, NEXT: 100_000_00})
    women = api.under_agreement(program(api, "WAGE"), {YEAR: 100_000_00, NEXT: 100_000_00})
    oldest = requested(api, justice, 10_000_00, "2021-09-01", kind="advance")
    second = requested(api, justice, 20_000_00, "2022-02-01")
    third = requested(api, women, 30_000_00, "2022-02-02")
    newest = requested(api, women, 40_000_00, "2022-06-01", year=NEXT)
    caught_up(services, api)
    browser.sign_in("fiona")

    assert queue(browser) == (
        "Matching requests: 4, for a total of $100,000.00 (all pages).",
        [oldest, second, third, newest],
    )
    assert 'id="queue-total-amount">$100,000.00<' in browser.page
    assert "Advance" in browser.page and "Claim" in browser.page
    assert f">{(date.today() - date(2021, 9, 1)).days:,}<" in browser.page  # its age in days
    assert queue(browser, "?department=WAGE")[1] == [third, newest]
    assert queue(browser, "?department=WAGE")[0].startswith(
        "Matching requests: 2, for a total of $70,000.00"
    )
    assert queue(browser, f"?fiscal_year={NEXT}")[1] == [newest]
    assert queue(browser, "?kind=advance")[1] == [oldest]
    programs = re.findall(r'<option value="([0-9a-f-]{36})"', browser.page)
    assert len(programs) == 2
    assert set(queue(browser, f"?program_id={programs[0]}")[1]) in (
        {oldest, second},
        {third, newest},
    )
    days = (date.today() - date(2022, 1, 1)).days  # older than: before January 1, 2022
    assert queue(browser, f"?older_than={days}")[1] == [oldest]
    assert queue(browser, "?department=WAGE&fiscal_year=2021-22&kind=claim")[1] == [third]
    assert browser.get("/payments?fiscal_year=2021").status_code == 400
    assert browser.get("/payments?older_than=many").status_code == 400
    assert browser.get("/payments?kind=gift").status_code == 400

    # A page at a time: the next starts after the last one shown.
    monkeypatch.setattr(finance, "PAGE_SIZE", 3)
    totals, first = queue(browser)
    assert first == [oldest, second, third]
    assert totals.startswith("Matching requests: 4,")  # of every page
    following = re.search(r'href="(/payments\?[^"]*after=[^"]+)"', browser.page)
    assert following
    assert queue(browser, html.unescape(following[1]).removeprefix("/payments"))[1] == [newest]
    assert "after=" not in browser.page.split('class="pager"')[1]

    browser.get("/language/fr?next=/payments%3Fdepartment%3DWAGE")
    assert "Demandes correspondantes : 2, pour un total de 70" in html.unescape(browser.page)
    assert f"70{NBSP}000,00{NBSP}$" in browser.page


def test_many_are_released_at_once_each_checked_first_and_the_domain_refuses_one(
    browser: Browser, api: Api, services: Services
) -> None:
    project = api.under_agreement(program(api), {YEAR: 100_000_00})
    first = requested(api, project, 10_000_00, "2022-02-01")
    second = requested(api, project, 20_000_00, "2022-02-02")
    own = requested(api, project, 5_000_00, "2022-02-03", who="ada")  # the admin certified it
    caught_up(services, api)
    browser.sign_in("ada")
    before = services.grants.recorder.max_notification_id()

    browser.get("/payments")
    chosen = {f"request.{r}": project for r in (first, second, own)}
    browser.submit("/payments/release", chosen)
    # A reference left out is refused by its field, what was typed kept, nothing sent.
    typed = {
        **chosen,
        f"payment_ref.{first}": "SAP-1", f"paid_on.{first}": "2022-03-15",
        f"payment_ref.{second}": "", f"paid_on.{second}": "2022-03-15",
        f"payment_ref.{own}": "SAP-3", f"paid_on.{own}": "15/03/2022",
    }  # fmt: skip
    refused = browser.submit("/payments/release/review", typed)
    assert refused.status_code == 422
    assert f'id="payment_ref.{second}-error"' in refused.text
    assert f'id="paid_on.{own}-error"' in refused.text
    assert 'value="SAP-1"' in refused.text
    typed |= {f"payment_ref.{second}": "SAP-2", f"paid_on.{own}": "2022-03-15"}

    review = browser.submit("/payments/release/review", typed)
    assert review.status_code == 200
    assert texts(review.text, "releases-to-confirm") == [
        "Release $10,000.00 to NOW Canada Society, 2021-22, reference SAP-1, paid on 2022-03-15?",
        "Release $20,000.00 to NOW Canada Society, 2021-22, reference SAP-2, paid on 2022-03-15?",
        "Release $5,000.00 to NOW Canada Society, 2021-22, reference SAP-3, paid on 2022-03-15?",
    ]
    assert services.grants.recorder.max_notification_id() == before  # nothing sent yet

    summary = browser.submit("/payments/release/confirm", confirmation(review.text))
    assert summary.status_code == 200, summary.text
    assert "Released: 2 ($30,000.00). Refused: 1." in summary.text
    assert texts(summary.text, "released") == [
        "Released $10,000.00 to NOW Canada Society, 2021-22, reference SAP-1, paid on 2022-03-15.",
        "Released $20,000.00 to NOW Canada Society, 2021-22, reference SAP-2, paid on 2022-03-15.",
    ]
    assert texts(summary.text, "refused") == [
        "Not released: $5,000.00 to NOW Canada Society, 2021-22, reference SAP-3: "
        "ada certified this request and so may not release it"
    ]
    payments = services.grants.project(UUID(project)).payment_requests
    assert [payments[UUID(r)].payment_ref for r in (first, second, own)] == ["SAP-1", "SAP-2", None]

    # The queue, once the view has the releases, lists what is left.
    back = re.search(r'href="(/payments\?min_position=\d+)"', summary.text)
    assert back
    assert queue(browser, back[1].removeprefix("/payments"))[1] == [own]


def test_a_double_click_on_the_confirmation_pays_each_request_once(
    browser: Browser, api: Api, services: Services
) -> None:
    project = api.under_agreement(program(api), {YEAR: 100_000_00})
    first = requested(api, project, 10_000_00, "2022-02-01")
    caught_up(services, api)
    browser.sign_in("fiona")
    browser.get(f"/payments/{project}/{first}")  # one request: the same steps as many
    assert 'name="paid_on.' in browser.page
    review = browser.submit(
        "/payments/release/review",
        {f"request.{first}": project, f"payment_ref.{first}": "A-1",
         f"paid_on.{first}": "2022-03-15"},
    )  # fmt: skip
    sent = confirmation(review.text)
    csrf = browser.csrf()

    answers = [
        browser.client.post("/payments/release/confirm", data={**sent, "csrf_token": csrf})
        for _ in range(2)
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert texts(answer.text, "released") == [
            "Released $10,000.00 to NOW Canada Society, 2021-22, reference A-1, paid on 2022-03-15."
        ]
    history = services.grants.history(UUID(project))
    assert [type(e).__name__ for e in history].count("DisbursementReleased") == 1

    # A confirmation typed again is a new one: the domain says the request is paid.
    again = browser.submit(
        "/payments/release/review",
        {f"request.{first}": project, f"payment_ref.{first}": "A-2",
         f"paid_on.{first}": "2022-03-16"},
    )  # fmt: skip
    refused = browser.submit("/payments/release/confirm", confirmation(again.text))
    assert refused.status_code == 422
    assert "the request was paid on 2022-03-15 as A-1" in texts(refused.text, "refused")[0]


def test_the_confirmation_reads_in_french_with_its_amounts_as_french_writes_them(
    browser: Browser, api: Api, services: Services
) -> None:
    project = api.under_agreement(program(api), {YEAR: 100_000_00})
    first = requested(api, project, 40_000_00, "2022-02-01")
    caught_up(services, api)
    browser.sign_in("fiona")
    browser.get("/language/fr?next=/payments")
    review = browser.submit(
        "/payments/release/review",
        {f"request.{first}": project, f"payment_ref.{first}": "SAP-4500123456",
         f"paid_on.{first}": "2022-03-15"},
    )  # fmt: skip
    assert texts(review.text, "releases-to-confirm") == [
        f"Libérer 40{NBSP}000,00{NBSP}$ à NOW Canada Society, 2021-22, "
        "référence SAP-4500123456, payé le 2022-03-15?"
    ]


def test_the_year_end_opens_on_the_last_year_with_money_and_pages_its_year_s_overdue_reports(
    browser: Browser, api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    program_id = program(api)
    projects = [api.under_agreement(program_id, {YEAR: 10_000_00, NEXT: 10_000_00}) for _ in "ab"]
    caught_up(services, api)
    # As of August 1, 2023, each project's 2021-22 and 2022-23 results are overdue.
    assert deadlines.refresh(services.pool, services.views.awards, date(2023, 8, 1)) == 4
    browser.sign_in("fiona")

    opened = browser.get("/year-end").text
    assert f" {NEXT}</h1>" in opened  # not the current year, empty
    assert re.search(rf'<option value="{NEXT}" selected>', opened)
    assert re.search(r'data-total="allocation">\$1,000,000.00<', opened)

    monkeypatch.setattr(year_end, "OVERDUE_PAGE", 1)
    first = browser.get(f"/year-end?fiscal_year={YEAR}").text
    overdue = first[first.index('id="overdue-table"') : first.index('id="overdue-count"')]
    assert sum(p in overdue for p in projects) == 1
    assert "Results reports for 2021-22 overdue: 2." in first
    assert "1 / 2" in first and "page_number=2" in first
    second = browser.get(f"/year-end?fiscal_year={YEAR}&page_number=2").text
    overdue_next = second[second.index('id="overdue-table"') : second.index('id="overdue-count"')]
    assert sum(p in overdue_next for p in projects) == 1 and overdue_next != overdue
