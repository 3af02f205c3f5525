"""End to end in Chromium: a program officer records a project up to a payment request,
finance releases it, and the Strategy analyst sees the dashboard's totals change, in
English and then in French. Every page passes axe at WCAG 2.1 AA."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import FilePayload, Page, expect

from grants import demo, money
from grants.application import Grants
from grants.bootstrap import Services
from tests.serving import serving
from tests.web import stories
from tests.web.browser import Checked, chromium
from tests.web.conftest import password
from workers.main import worker

pytestmark = pytest.mark.slow

NBSP = "\u00a0"


@pytest.fixture
def site(
    services: Services, people: dict[str, str], projections: None, redis_url: str
) -> Iterator[str]:
    with serving(services, redis_url) as address:
        yield address


@pytest.fixture
def checked(site: str) -> Iterator[Checked]:
    with chromium() as browser:
        context = browser.new_context(base_url=site, locale="en-CA")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield Checked(page)
        context.close()


def sign_in(checked: Checked, name: str) -> None:
    page = checked.page
    page.goto("/sign-in")
    checked.check(f"sign-in-{name}")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(password(name))
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def fill(page: Page, fields: dict[str, str]) -> None:
    """Types into each field by its name, choosing from lists where it is one."""
    for name, value in fields.items():
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def disbursed_total(page: Page) -> str:
    return page.locator('[data-total="disbursed"]').inner_text()


def test_a_payment_from_application_to_the_dashboard_in_both_languages(
    checked: Checked, services: Services
) -> None:
    page = checked.page
    program_id = stories.program(services)

    sign_in(checked, "sasha")
    expect(page.get_by_role("heading", name="Funding by pillar", level=1)).to_be_visible()
    assert disbursed_total(page) == "$0.00"
    for name in ("outcomes", "programs", "calls", "projects"):
        page.goto(f"/{name}")
        checked.check(f"{name}-analyst")
    page.goto(f"/programs/{program_id}")
    checked.check("program")
    sign_out(page)

    sign_in(checked, "olivia")
    page.get_by_role("link", name="Record an application").click()
    checked.check("application-form")
    fill(page, stories.application(program_id))
    # Before saving, the amount as the server reads it; the French way is refused here.
    understood = page.locator('output[data-money-for="requested"]')
    expect(understood).to_have_text("= $120,000.00")
    page.locator('[name="requested"]').fill("120 000,00 $")
    expect(understood).to_have_text(re.compile("Write an amount in dollars"))
    page.locator('[name="requested"]').fill("120000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#project-status")).to_have_text("Received")

    page.get_by_role("link", name="Record the assessment").click()
    checked.check("assessment-form")
    fill(page, stories.ASSESSMENT)
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Approve, with the cash flow").click()
    fill(page, stories.approval("150,000.00"))
    page.get_by_role("button", name="Save").click()
    # Refused: more than was requested. The rule is by the cash flow, the input kept.
    expect(page.locator("#cash_flow .error-message")).to_contain_text(
        "adds up to $150,000.00, more than the $120,000.00 requested"
    )
    expect(page.locator('[name="cash_flow[0].amount"]')).to_have_value("150,000.00")
    checked.check("approval-form-refused")
    fill(page, {"cash_flow[0].amount": "100,000.00"})
    expect(page.locator('output[data-total-of="cash_flow"]')).to_have_text("$100,000.00")
    page.get_by_role("button", name="Save").click()
    # Put in words to confirm before anything is recorded.
    expect(page.locator("#to-confirm")).to_contain_text("Approve $100,000.00 for")
    checked.check("approval-confirmation")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#project-status")).to_have_text("Approved")

    page.get_by_role("link", name="Record the signed agreement").click()
    checked.check("agreement-form")
    fill(page, stories.AGREEMENT)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#project-status")).to_have_text("Under agreement")

    page.get_by_role("link", name="Certify a payment request").click()
    checked.check("payment-request-form")
    fill(page, stories.payment_request("40,000"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#payments-table")).to_contain_text("Awaiting release")
    checked.check("project")
    project_url = page.url.split("?")[0]
    sign_out(page)

    sign_in(checked, "fiona")
    expect(page.get_by_role("heading", name="Payments to release", level=1)).to_be_visible()
    checked.check("payments")
    page.get_by_role("link", name=re.compile("Release the payment to NOW Canada Society")).click()
    checked.check("release-form")
    page.locator('[name^="payment_ref."]').fill("PAY-0001")
    page.locator('[name^="paid_on."]').fill(stories.TODAY)
    page.get_by_role("button", name="Check the releases").click()
    expect(page.locator("#releases-to-confirm")).to_contain_text(
        "Release $40,000.00 to NOW Canada Society"
    )
    checked.check("release-confirmation")
    page.get_by_role("button", name="Yes, release these payments").click()
    expect(page.locator("#released")).to_contain_text("reference PAY-0001")
    checked.check("release-summary")
    page.goto(project_url)
    expect(page.locator("#timeline")).to_contain_text("Payment released")
    expect(page.locator("#timeline")).to_contain_text("fiona")
    sign_out(page)

    sign_in(checked, "sasha")
    # The views follow the store; the dashboard shows the release once they have it.
    for _ in range(50):
        if disbursed_total(page) == "$40,000.00":
            break
        page.wait_for_timeout(200)
        page.reload()
    assert disbursed_total(page) == "$40,000.00"
    expect(page.locator('[data-total="committed"]')).to_have_text("$100,000.00")
    expect(page.locator("svg.chart").first).to_have_attribute("role", "img")
    checked.check("dashboard")

    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Financement par pilier", level=1)).to_be_visible()
    assert disbursed_total(page) == f"40{NBSP}000,00{NBSP}$"
    expect(page.locator('[data-total="committed"]')).to_have_text(f"100{NBSP}000,00{NBSP}$")
    checked.check("dashboard-fr")
    page.goto(project_url)
    expect(page.locator("#timeline")).to_contain_text("Paiement libéré")
    checked.check("project-fr")
    page.goto("/outcomes")
    checked.check("outcomes-fr")

    assert not checked.violations, checked.violations


def test_every_page_on_the_demo_passes_axe_in_both_languages(
    checked: Checked, services: Services, redis_url: str
) -> None:
    position = demo.load(services.grants, services.database_url)
    for view in services.views.by_name().values():
        view.wait(Grants.name, position, timeout=120)
    total, projects = services.views.projects.page(status="under_agreement", limit=1)
    assert total, "the demo has projects under agreement"
    project = f"/projects/{projects[0].project_id}"
    program = f"/programs/{projects[0].program_id}"
    page = checked.page
    page.goto("/sign-in")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(demo.password("ada"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    pages = {
        "dashboard": "/dashboard",
        "dashboard-filtered": "/dashboard?fiscal_year=2021-22&department=WAGE",
        "outcomes": "/outcomes",
        "performance": "/performance/protection",
        "performance-form": "/performance-forms/target",
        "programs": "/programs",
        "program": program,
        "calls": "/calls",
        "projects": "/projects",
        "projects-filtered": "/projects?pillar=protection&status=under_agreement",
        "project": project,
        "application-form": "/projects/new",
        "amendment-form": f"{project}/amendment",
        "payment-request-form": f"{project}/payment_request",
        "results-form": f"{project}/results",
        "payments": "/payments",
        "reconciliations": "/reconciliations",
        "year-end": "/year-end?fiscal_year=2021-22",
        "year-end-filtered": "/year-end?fiscal_year=2021-22&department=WAGE",
        "year-close-form": "/year-end/2021-22/close",
        "service-standards": "/service-standards?fiscal_year=2021-22",
        "service-standards-quarter": "/service-standards?fiscal_year=2021-22&quarter=2",
        "exports": "/exports",
        "not-found": "/projects/00000000-0000-0000-0000-000000000000",
    }
    for language in ("en", "fr"):
        page.goto(f"/language/{language}?next=/dashboard")
        for name, path in pages.items():
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", language)
            checked.check(f"demo-{name}-{language}")
        reconcile(checked, services, redis_url, language)
    assert not checked.violations, checked.violations

    # On a phone: the Government of Canada's frame, and nothing wider than the screen
    # but a table, which scrolls in its own region.
    page.set_viewport_size({"width": 390, "height": 844})
    for language in ("en", "fr"):
        page.goto(f"/language/{language}?next=/dashboard")
        for name in PHONE_PAGES:
            page.goto(pages[name])
            expect(page.locator("html")).to_have_attribute("lang", language)
            assert_framed(page)
            assert page_width(page) <= 390, f"{pages[name]} scrolls sideways at 390 px"
            checked.check(f"demo-{name}-{language}-390")
    assert not checked.violations, checked.violations


# The pages people use most, and the widest: tables of eight to ten columns, the charts.
PHONE_PAGES = (
    "dashboard",
    "projects",
    "project",
    "payment-request-form",
    "payments",
    "reconciliations",
    "year-end",
    "service-standards",
    "not-found",
)


def page_width(page: Page) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def assert_framed(page: Page) -> None:
    """The GC signature atop the page, the Canada wordmark at its foot."""
    expect(page.locator('gcds-header gcds-signature[type="signature"] svg')).to_be_visible()
    expect(page.locator('gcds-footer gcds-signature[type="wordmark"] svg')).to_be_visible()


def test_the_language_toggle_leads_to_the_same_page_in_the_other_language(
    checked: Checked, services: Services
) -> None:
    program_id = stories.program(services)
    page = checked.page
    sign_in(checked, "sasha")
    page.goto(f"/programs/{program_id}")
    assert_framed(page)
    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.url.endswith(f"/programs/{program_id}")
    # The trail leads back up to the programs, in French.
    expect(page.locator("gcds-breadcrumbs")).to_contain_text("Programmes")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith(f"/programs/{program_id}")
    checked.check("program-toggled")
    assert not checked.violations, checked.violations


def demo_ledger(services: Services) -> bytes:
    """The demo's 2021-22 payments as the financial system lists them, but for one
    amount that differs, one line the tracker does not know and one payment missing."""
    paid = services.views.payments.paid("2021-22")
    lines = ["payment_ref,amount,paid_on"]
    for n, payment in enumerate(paid[:-1]):
        cents = payment.amount_cents + (1_00 if n == 0 else 0)
        lines.append(f"{payment.payment_ref},{money.plain(cents)},{payment.paid_on}")
    lines.append("LEDGER-9,99.99,2021-10-01")
    return "\n".join(lines).encode()


def ledger_file(content: bytes) -> FilePayload:
    return {"name": "ledger.csv", "mimeType": "text/csv", "buffer": content}


def work_beside_the_browser(services: Services, redis_url: str) -> None:
    """The real worker until its queue is empty, in a thread of its own: Playwright
    holds this thread's event loop. Signals are the main thread's only."""

    async def burst() -> None:
        await worker(
            services, redis_url, burst=True, poll_delay=0.05, handle_signals=False
        ).async_run()

    thread = threading.Thread(target=asyncio.run, args=(burst(),))
    thread.start()
    thread.join(timeout=60)


def reconcile(checked: Checked, services: Services, redis_url: str, language: str) -> None:
    """A ledger that cannot be read is refused by its field; one that can is followed
    on its report, queued, until the worker has reconciled it."""
    page = checked.page
    page.goto("/reconciliations")
    page.locator("#fiscal_year").fill("2021-22")
    unreadable = b"payment_ref,amount,paid_on\nPAY-1,lots,2021-09-15\n"
    page.locator("#file").set_input_files(files=[ledger_file(unreadable)])
    page.locator("form.form button[type=submit]").click()
    where = "ligne 2, colonne amount" if language == "fr" else "line 2, column amount"
    expect(page.locator("#file-error")).to_contain_text(where)
    expect(page.locator("#fiscal_year")).to_have_value("2021-22")
    checked.check(f"demo-reconciliation-refused-{language}")

    page.locator("#file").set_input_files(files=[ledger_file(demo_ledger(services))])
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("#progress[data-progress]")).to_be_visible()
    checked.check(f"demo-reconciliation-queued-{language}")
    # The page follows the job on its own and shows the report once it is done.
    work_beside_the_browser(services, redis_url)
    expect(page.locator("#classes-table")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-class="amount_mismatch"] td').first).to_have_text("1")
    checked.check(f"demo-reconciliation-{language}")
