"""Signing in is throttled per account and per client address: five failures in a row
lock an account, twenty an address, for 30 seconds and twice as long at each failure
after; while locked, even the right password is refused unread. Every lock is an audit
line, and a name or password nobody could type is a refusal, never an error."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import psycopg
import pytest

from grants.bootstrap import Services
from grants.web.throttle import SignInThrottle, lock_for
from tests.web.conftest import Browser, password


def attempt(browser: Browser, name: str, typed: str | None = None) -> httpx.Response:
    """One sign-in, with the person's own password unless another is typed."""
    if "csrf_token" not in browser.page:
        browser.get("/sign-in")
    return browser.submit(
        "/sign-in",
        {"username": name, "password": password(name) if typed is None else typed},
        follow_redirects=False,
    )


def retry_after(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    return int(response.headers["retry-after"])


def end_the_locks(services: Services) -> None:
    """As if every lock had run out just now."""
    with psycopg.connect(services.database_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE sign_in_failures SET locked_until = now() - interval '1 second'"
            " WHERE locked_until IS NOT NULL"
        )


def test_fifty_wrong_passwords_then_the_right_one_is_refused(browser: Browser) -> None:
    answers = [attempt(browser, "sasha", f"guess-{n}").status_code for n in range(50)]
    assert answers == [401] * 4 + [429] * 46
    right = attempt(browser, "sasha")
    assert 1 <= retry_after(right) <= 30
    assert "Too many failed sign-in attempts. Try again in" in right.text
    assert 'value="sasha"' in right.text
    assert browser.get("/dashboard", follow_redirects=False).status_code == 303


def test_the_lock_says_when_to_try_again_in_french(browser: Browser) -> None:
    browser.get("/language/fr?next=/sign-in")
    for n in range(5):
        locked = attempt(browser, "sasha", f"guess-{n}")
    retry_after(locked)
    assert "Trop de tentatives de connexion infructueuses. Réessayez dans" in locked.text
    assert "secondes" in locked.text


def test_the_lock_is_the_accounts_whatever_the_case_typed(browser: Browser) -> None:
    for n in range(5):
        attempt(browser, "sasha", f"guess-{n}")
    retry_after(attempt(browser, "Sasha", "guess"))
    # Someone else at the same address still signs in.
    assert attempt(browser, "olivia").status_code == 303


@pytest.mark.slow
def test_twenty_failures_from_one_address_lock_it_for_every_account(
    browser: Browser, caplog: pytest.LogCaptureFixture
) -> None:
    # Four tries at each of five names: no account reaches its five.
    names = ["nobody", "admin", "root", "oscar", "frank"]
    with caplog.at_level(logging.WARNING, logger="grants.audit"):
        answers = [attempt(browser, name, "guess").status_code for _ in range(4) for name in names]
    assert answers == [401] * 19 + [429]
    assert 1 <= retry_after(attempt(browser, "olivia")) <= 30
    (line,) = [r for r in caplog.records if r.name == "grants.audit"]
    assert "address 'testclient'" in line.getMessage()
    assert "20 failed attempts" in line.getMessage()


def test_each_failure_past_the_threshold_doubles_the_lock(
    browser: Browser, services: Services
) -> None:
    for n in range(5):
        locked = attempt(browser, "sasha", f"guess-{n}")
    waits = [retry_after(locked)]
    for n in range(3):
        end_the_locks(services)
        waits.append(retry_after(attempt(browser, "sasha", f"again-{n}")))
    assert 25 <= waits[0] <= 30
    assert [round(wait / 30) for wait in waits] == [1, 2, 4, 8]
    # At length, fifteen minutes at most.
    with psycopg.connect(services.database_url, autocommit=True) as conn:
        conn.execute("UPDATE sign_in_failures SET failures = 1000 WHERE kind = 'account'")
    end_the_locks(services)
    assert 890 <= retry_after(attempt(browser, "sasha", "guess")) <= 900
    # The right password is not even checked while locked.
    assert attempt(browser, "sasha").status_code == 429


def test_signing_in_clears_the_accounts_failures(browser: Browser) -> None:
    assert [attempt(browser, "sasha", "guess").status_code for _ in range(4)] == [401] * 4
    assert attempt(browser, "sasha").status_code == 303
    browser.get("/sign-in")
    assert [attempt(browser, "sasha", "guess").status_code for _ in range(5)] == [401] * 4 + [429]


def test_failures_are_forgotten_after_a_quiet_quarter_hour(
    browser: Browser, services: Services
) -> None:
    assert [attempt(browser, "sasha", "guess").status_code for _ in range(4)] == [401] * 4
    with psycopg.connect(services.database_url, autocommit=True) as conn:
        conn.execute("UPDATE sign_in_failures SET forget_at = now() - interval '1 second'")
    assert [attempt(browser, "sasha", "guess").status_code for _ in range(4)] == [401] * 4
    assert attempt(browser, "sasha").status_code == 303


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("sa\x00sha", "sasha-secret-pass"),
        ("sasha", "sasha-secret-pass\x00"),
        ("sasha\x1b", "sasha-secret-pass"),
        ("s" * 201, "sasha-secret-pass"),
        ("sasha", "p" * 201),
    ],
)
def test_a_name_or_password_nobody_could_type_is_a_refusal_not_an_error(
    browser: Browser, name: str, typed: str
) -> None:
    refused = attempt(browser, name, typed)
    assert refused.status_code == 401, refused.text
    assert "The username or password is not right." in refused.text


def test_each_lock_is_an_audit_line(
    browser: Browser, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="grants.audit"):
        for n in range(5):
            attempt(browser, "Sasha", f"guess-{n}")
        end_the_locks(services)
        attempt(browser, "sasha", "guess")
    lines = [r for r in caplog.records if r.name == "grants.audit"]
    assert [r.levelno for r in lines] == [logging.WARNING] * 2
    first, second = (r.getMessage() for r in lines)
    assert "account 'sasha' after 5 failed attempts" in first
    assert "account 'sasha' after 6 failed attempts" in second
    assert "until 20" in first  # an ISO 8601 instant


def test_the_lock_grows_from_thirty_seconds_to_fifteen_minutes() -> None:
    assert lock_for(4, 5) is None
    assert [lock_for(n, 5) for n in (5, 6, 7)] == [timedelta(seconds=s) for s in (30, 60, 120)]
    assert lock_for(10, 5) == lock_for(10**6, 5) == timedelta(minutes=15)


def test_failures_arriving_at_once_are_each_counted(services: Services) -> None:
    throttle = SignInThrottle(services.pool)
    with ThreadPoolExecutor(8) as pool:
        locks = list(pool.map(lambda _: throttle.failed("sasha", "10.0.0.1"), range(12)))
    assert sum(lock is not None for lock in locks) == 8  # the 5th to the 12th
    with psycopg.connect(services.database_url) as conn:
        counted = conn.execute("SELECT kind, failures FROM sign_in_failures ORDER BY kind")
        assert counted.fetchall() == [("account", 12), ("address", 12)]
    assert throttle.lock("sasha", "10.0.0.2") is not None
    assert throttle.lock("olivia", "10.0.0.2") is None
