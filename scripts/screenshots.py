"""Take the README's screenshots from a running `make run` at a phone's size.

Usage: .venv/bin/python scripts/screenshots.py [base-url]
"""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PAGES = {
    "home-en": "/",
    "home-ur": "/ur/",
    "lesson-ur": "/ur/nttp/classroom-management/expectations/",
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(f"{BASE}/accounts/login/")
        page.fill("#id_username", "learner@example.org")
        page.fill("#id_password", "alliance-demo-2026")
        page.click("main button[type=submit]")
        page.goto(f"{BASE}/ur/nttp/classroom-management/")
        enrol = page.locator("form[action*='/learning/enrol/'] button")
        if enrol.count():
            enrol.click()
        page.context.clear_cookies()
        for name, path in PAGES.items():
            if name == "lesson-ur":
                page.goto(f"{BASE}/accounts/login/")
                page.fill("#id_username", "learner@example.org")
                page.fill("#id_password", "alliance-demo-2026")
                page.click("main button[type=submit]")
            page.goto(f"{BASE}{path}")
            page.evaluate("document.fonts.ready")
            page.wait_for_timeout(500)
            page.screenshot(path=str(OUT / f"{name}.png"))
        browser.close()


if __name__ == "__main__":
    main()
