"""Releasing payments through the pages as finance does: the references typed, the
releases checked as sentences, then confirmed."""

from __future__ import annotations

import html
import re

import httpx

from tests.web.conftest import Browser


def confirmation(page: str) -> dict[str, str]:
    """The hidden fields of the confirmation page: what its button sends."""
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page)
        if name != "csrf_token"
    }


def release_one(browser: Browser, path: str, payment_ref: str, paid_on: str) -> httpx.Response:
    """Opens a request's release (``/payments/<project>/<request>``), types its
    reference and day, checks and confirms it; the summary."""
    project_id, request_id = path.rsplit("/", 2)[1:]
    browser.get(path)
    review = browser.submit(
        "/payments/release/review",
        {
            f"request.{request_id}": project_id,
            f"payment_ref.{request_id}": payment_ref,
            f"paid_on.{request_id}": paid_on,
        },
    )
    assert review.status_code == 200, review.text
    return browser.submit("/payments/release/confirm", confirmation(review.text))
