"""End-to-end tests in a real headless Chromium (Debian's package), driven by Playwright.

Playwright's own browser downloads are not used: we launch the system Chromium by path.
Where it is missing (a developer's laptop), these tests are skipped with the reason; CI
installs it, so there they always run."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from catalogue.files import load_catalogue

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; Django's guard against database
# calls from async code would otherwise trip over the test's own ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests, but Chromium is not installed.")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # Root in a container needs --no-sandbox; the rest stop Chromium reaching out to
            # the network, which is closed here.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The shipped catalogue, served by a live server the browser can reach."""
    load_catalogue()
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# Recorded from the page itself, next to the console messages Chromium logs for violations.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched_page(browser):
    """A page that collects console errors and warnings and CSP violation events."""
    context = browser.new_context()
    page = _watched(context)
    yield page
    context.close()


@pytest.fixture
def new_watched_page(browser):
    """Open another watched page, in a browser context of its own (signed in as someone
    else, say): a function of no arguments."""
    contexts = []

    def open_page():
        contexts.append(browser.new_context())
        return _watched(contexts[-1])

    yield open_page
    for context in contexts:
        context.close()


def _watched(context):
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_problems = []

    def on_console(message):
        if message.type in ("error", "warning"):
            page.console_problems.append(f"{message.text} {message.location['url']}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_problems.append(str(error)))
    page.on(
        "response",
        lambda response: (
            page.console_problems.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return page
