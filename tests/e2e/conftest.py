"""Browser journeys: Debian's chromium driven by Playwright against pytest-django's live server.

One browser per test session (per xdist worker), a fresh browser context per test. Every page a
journey visits can be checked with axe (`check_a11y`) and at a phone-sized viewport (`check_phone`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import DESKTOP, sign_in_with_cookie

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: the browser journeys cannot run (apt-get install chromium)."
        if os.environ.get("HMS_REQUIRE_BROWSER"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def cast(transactional_db: Any) -> Any:
    """The fixed cast of the root conftest, committed so the live server's thread sees it."""
    from conftest import build_cast

    return build_cast()


@pytest.fixture
def new_context(browser: Any, live_server: Any, transactional_db: Any) -> Iterator[Callable[..., Any]]:
    """Make browser contexts (closed after the test, before the database is emptied). Pages are
    in Norwegian bokmål, as for a user whose browser asks for it; CSP stays on."""
    contexts: list[Any] = []
    csp_errors: list[str] = []

    def make(user: Any = None, **options: Any) -> Any:
        options = {"base_url": live_server.url, "locale": "nb-NO", "viewport": DESKTOP, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", lambda msg: _note_csp_error(csp_errors, msg))
        contexts.append(context)
        if user is not None:
            sign_in_with_cookie(context, live_server, user)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not csp_errors, f"Content-Security-Policy violations: {csp_errors}"


def _note_csp_error(errors: list[str], msg: Any) -> None:
    if msg.type == "error" and "Content Security Policy" in msg.text:
        errors.append(msg.text)


@pytest.fixture
def context(new_context: Callable[..., Any]) -> Any:
    return new_context()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()
