"""Signing in and out, sessions that end, CSRF on every form, roles, and the API beside
the pages left as it was."""

from __future__ import annotations

import psycopg

from grants.bootstrap import Services
from grants.web.sessions import COOKIE
from tests.web.conftest import Browser


def test_a_visitor_is_sent_to_sign_in_and_back_where_they_were_going(browser: Browser) -> None:
    response = browser.get("/dashboard?fiscal_year=2021-22", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/dashboard%3Ffiscal_year%3D2021-22"
    browser.get(response.headers["location"])
    response = browser.submit(
        "/sign-in",
        {"username": "sasha", "password": "sasha-secret-pass", "next": "/dashboard"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/dashboard"


def test_the_session_cookie_is_http_only_and_same_site(browser: Browser) -> None:
    cookie = browser.sign_in("sasha").headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # served over plain http here


def test_a_wrong_password_is_refused_and_the_name_kept(browser: Browser) -> None:
    browser.get("/sign-in")
    response = browser.submit("/sign-in", {"username": "sasha", "password": "nope"})
    assert response.status_code == 401
    assert "The username or password is not right." in response.text
    assert 'value="sasha"' in response.text


def test_a_form_without_its_sessions_token_is_refused(browser: Browser) -> None:
    browser.get("/sign-in")
    response = browser.client.post(
        "/sign-in", data={"username": "sasha", "password": "sasha-secret-pass"}
    )
    assert response.status_code == 403
    response = browser.client.post(
        "/sign-in",
        data={"username": "sasha", "password": "sasha-secret-pass", "csrf_token": "forged"},
    )
    assert response.status_code == 403
    assert "The form has expired" in response.text


def test_signing_out_ends_the_session_on_the_server(browser: Browser) -> None:
    browser.sign_in("sasha")
    session = browser.client.cookies[COOKIE]
    browser.get("/dashboard")
    assert browser.submit("/sign-out", {}, follow_redirects=False).status_code == 303
    browser.client.cookies.set(COOKIE, session)  # the old cookie, kept by someone
    assert browser.get("/dashboard", follow_redirects=False).status_code == 303


def test_an_expired_session_signs_out(browser: Browser, services: Services) -> None:
    browser.sign_in("sasha")
    assert browser.get("/dashboard", follow_redirects=False).status_code == 200
    with psycopg.connect(services.database_url, autocommit=True) as conn:
        conn.execute("UPDATE web_sessions SET expires_at = now() - interval '1 second'")
    response = browser.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in")


def test_each_role_sees_its_own_pages(browser: Browser) -> None:
    browser.sign_in("sasha")
    assert browser.get("/dashboard").status_code == 200
    assert browser.get("/projects").status_code == 200
    response = browser.get("/projects/new")
    assert response.status_code == 403
    assert "Your role does not allow this page" in response.text
    assert browser.get("/payments").status_code == 403
    browser.sign_in("olivia")
    assert browser.get("/projects/new").status_code == 200
    assert browser.get("/payments").status_code == 403
    browser.sign_in("fiona")
    assert browser.get("/payments").status_code == 200


def test_the_language_is_remembered_and_set_on_the_page(browser: Browser) -> None:
    browser.sign_in("sasha")
    assert '<html lang="en">' in browser.get("/dashboard").text
    response = browser.get("/language/fr?next=/dashboard")
    assert '<html lang="fr">' in response.text
    assert "Financement par pilier" in response.text
    assert '<html lang="fr">' in browser.get("/outcomes").text
    assert browser.get("/language/en?next=https://elsewhere.example").url.path == "/dashboard"


def test_the_api_keeps_its_bearer_tokens_and_needs_no_csrf(
    browser: Browser, people: dict[str, str]
) -> None:
    response = browser.client.post(
        "/api/programs",
        json={
            "department": "JUS",
            "name_en": "Victims Fund",
            "name_fr": "Fonds d'aide aux victimes",
            "transfer_type": "contribution",
            "pillars": ["protection"],
        },
        headers={"Authorization": f"Bearer {people['olivia']}"},
    )
    assert response.status_code == 201, response.text
    assert browser.client.get("/api/programs").status_code == 401
    browser.sign_in("olivia")  # a session cookie is no key to the API
    assert browser.client.get("/api/programs").status_code == 401
