"""Headless Chromium (Debian's package) driven by Playwright's Python API.

Playwright runs in a thread of its own (see ``driver.py``), so the tests'
thread keeps no event loop: the database and ``asyncio.run()`` work there as in
every other test, and browser tests run in the same session as the rest.
"""

import os
import shutil

import pytest

from .driver import PlaywrightThread

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
PHONE = {"width": 360, "height": 640}


@pytest.fixture(scope="session")
def playwright_thread():
    thread = PlaywrightThread()
    yield thread
    thread.stop()


@pytest.fixture(scope="session")
def browser(playwright_thread):
    if not CHROMIUM:
        pytest.fail("Chromium is missing: run scripts/os-packages.sh")
    playwright = playwright_thread.start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, email: str, password: str, prefix: str = "") -> None:
    page.goto(f"{prefix}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
