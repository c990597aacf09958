"""Playwright on Debian's Chromium (/usr/bin/chromium) against pytest-django's live server."""
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update"]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian's Chromium is missing: apt-get install chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    """Keep a picture of each step under var/screenshots for people reviewing the journey."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)


def fill_default_evaluation(page, *, change: str) -> None:
    """Answer the ACCME-style default evaluation and submit it."""
    for question in ["The content met the stated learning objectives.",
                     "I will change my practice as a result of this activity.",
                     "Overall, how would you rate this activity?"]:
        page.get_by_role("group", name=question).get_by_text("5 · ").click()
    page.get_by_label("What will you change?").fill(change)
    page.get_by_role("group", name="The content was free of commercial bias.").get_by_text(
        "Yes", exact=True).click()
    page.get_by_role("button", name="Submit evaluation").click()
