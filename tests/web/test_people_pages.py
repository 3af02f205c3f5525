"""An admin keeps the users in the pages: adds one (credentials shown once), changes a
role, gives new credentials, deactivates. A deactivated user's session, password and
API token stop at once; every change names who made it."""

from __future__ import annotations

import re

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from grants.bootstrap import Services
from tests.web.conftest import Browser

_SHOWN = re.compile(r'<code id="(password|token)">([^<]+)</code>')


def added(browser: Browser, name: str, role: str) -> dict[str, str]:
    browser.sign_in("ada")
    browser.get("/users/new")
    response = browser.submit("/users/new", {"name": name, "role": role, "form_key": "k-" + name})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return dict(_SHOWN.findall(response.text))


def signs_in(client: TestClient[Litestar], name: str, password: str) -> httpx.Response:
    page = client.get("/sign-in").text
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', page)
    assert csrf
    return client.post(
        "/sign-in",
        data={"username": name, "password": password, "csrf_token": csrf[1]},
        follow_redirects=False,
    )


def test_an_added_user_signs_in_and_calls_the_api_with_what_was_shown_once(
    browser: Browser, services: Services
) -> None:
    shown = added(browser, "Nadia", "finance_officer")
    assert set(shown) == {"password", "token"}
    listed = browser.get("/users").text
    assert "nadia" in listed and "finance officer" in listed and "Added · ada" in listed

    client = browser.client
    client.cookies.clear()
    assert signs_in(client, "nadia", shown["password"]).status_code == 303
    assert client.get("/payments").status_code == 200
    api = client.get("/api/programs", headers={"Authorization": f"Bearer {shown['token']}"})
    assert api.status_code == 200


def test_a_name_already_taken_or_badly_written_is_refused_and_nothing_changes(
    browser: Browser, services: Services
) -> None:
    browser.sign_in("ada")
    before = browser.get("/users").text.count("<tr>")
    for name, message in (("olivia", "A user already has this name."), ("-x", "Use lower-case")):
        browser.get("/users/new")
        response = browser.submit("/users/new", {"name": name, "role": "admin"})
        assert response.status_code == 422
        assert message in response.text
    assert browser.get("/users").text.count("<tr>") == before


def test_a_deactivated_user_is_stopped_at_once_everywhere(
    browser: Browser, services: Services, people: dict[str, str]
) -> None:
    # Olivia is signed in in her own browser, and her token has just been used.
    with TestClient(browser.client.app) as hers:
        assert signs_in(hers, "olivia", "olivia-secret-pass").status_code == 303
        assert hers.get("/projects").status_code == 200
        token = {"Authorization": f"Bearer {people['olivia']}"}
        assert hers.get("/api/programs", headers=token).status_code == 200

        browser.sign_in("ada")
        browser.get("/users/olivia/deactivate")
        response = browser.submit("/users/olivia/deactivate", {}, follow_redirects=False)
        assert response.status_code == 303

        assert hers.get("/projects", follow_redirects=False).status_code == 303  # signed out
        assert hers.get("/api/programs", headers=token).status_code == 401
        hers.cookies.clear()
        assert signs_in(hers, "olivia", "olivia-secret-pass").status_code != 303
        assert "Deactivated · ada" in browser.get("/users").text


def test_a_role_change_takes_effect_on_the_next_page(browser: Browser, services: Services) -> None:
    browser.sign_in("ada")
    browser.get("/users/sasha/role")
    browser.submit("/users/sasha/role", {"role": "program_officer"})
    assert "Role changed · ada" in browser.get("/users").text
    browser.sign_in("sasha")
    assert browser.get("/projects/new").status_code == 200


def test_an_admin_cannot_lock_themselves_out_and_others_cannot_manage_users(
    browser: Browser, services: Services
) -> None:
    browser.sign_in("ada")
    browser.get("/users/ada/deactivate")
    response = browser.submit("/users/ada/deactivate", {})
    assert response.status_code == 422
    assert "cannot change their own access" in response.text.replace("&#39;", "'")
    browser.sign_in("olivia")
    assert browser.get("/users").status_code == 403
    assert "/users" not in browser.get("/dashboard").text
