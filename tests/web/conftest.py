"""The web pages' fixtures: people with passwords, and a browser-like client that keeps
cookies and reads each form's CSRF token from the page it came with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from grants.app import create_app
from grants.bootstrap import Services
from grants.users import Role, add_user
from tests.conftest import PEOPLE

_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def password(name: str) -> str:
    return f"{name}-secret-pass"


@pytest.fixture
def people(services: Services) -> dict[str, str]:
    """Everyone of ``tests.conftest.PEOPLE``, with a password; their bearer tokens."""
    return {
        name: add_user(services.database_url, name, Role(role), password=password(name))
        for name, role in PEOPLE.items()
    }


class Browser:
    """A TestClient used as a person uses a browser: pages, then forms from them."""

    def __init__(self, client: TestClient[Litestar]) -> None:
        self.client = client
        self.page = ""

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        response = self.client.get(path, **kwargs)
        self.page = response.text
        return response

    def csrf(self) -> str:
        match = _CSRF.search(self.page)
        assert match, "the page has no form with a CSRF token"
        return match[1]

    def submit(self, path: str, fields: dict[str, str], **kwargs: Any) -> httpx.Response:
        """Sends a form of the page last seen, with its CSRF token."""
        data = {**fields, "csrf_token": self.csrf()}
        response = self.client.post(path, data=data, **kwargs)
        self.page = response.text
        return response

    def sign_in(self, name: str) -> httpx.Response:
        self.get("/sign-in")
        response = self.submit(
            "/sign-in",
            {"username": name, "password": password(name)},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return response


@pytest.fixture
def browser(services: Services, people: dict[str, str], job_queue: str) -> Iterator[Browser]:
    # With a job queue, as served: finance's ledger uploads queue their reconciliation.
    with TestClient(create_app(services, job_queue)) as client:
        yield Browser(client)
