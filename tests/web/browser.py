"""The app on a real port and Debian's Chromium driving it, for the end-to-end tests:
axe checks each page against WCAG 2.1 AA and a screenshot of it is kept."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# No downloads, no calls home: the machines this runs on have no internet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Checked:
    """Every page seen is checked by axe and photographed; the violations are kept to
    be reported together."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.axe = Axe()
        self.violations: dict[str, list[dict[str, Any]]] = {}
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check(self, name: str) -> None:
        # A page just navigated to may not have its stylesheets yet: axe then measured
        # the contrast of a hint in the browser's default colours (a flaky failure).
        self.page.wait_for_load_state("load")
        found = self._violations()
        if found:
            # Twice in CI, on a loaded machine, axe measured text of the release form as
            # grey (#7f7f7f) on white, and never on a rerun: a page caught mid-way
            # through the design system's colour and opacity transitions (0.15-0.35 s).
            # What a person reads is the settled page, so a violation counts only if it
            # is still there a second later.
            self.page.wait_for_timeout(1000)
            found = self._violations()
        if found:
            self.violations[f"{name} ({self.page.url})"] = [
                {
                    "id": v["id"],
                    "nodes": [n["html"] for n in v["nodes"]][:3],
                    "why": [n.get("failureSummary") for n in v["nodes"]][:1],
                }
                for v in found
            ]
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    def _violations(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.axe.run(self.page, options=WCAG_21_AA).response[
            "violations"
        ]
        return found
