"""Take the README's screenshots from a running `make run` at a phone's size.

Usage: .venv/bin/python scripts/screenshots.py [base-url]
"""

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PAGES = {
    "home-en": "/",
    "home-ur": "/ur/",
    "lesson-ur": "/ur/nttp/classroom-management/expectations/",
    "lesson-sd": "/sd/nttp/classroom-management/expectations/",
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    code = demo_certificate_code()  # before Playwright starts its event loop
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
        for prefix in ("/ur", "/sd"):
            page.goto(f"{BASE}{prefix}/nttp/classroom-management/")
            enrol = page.locator("form[action*='/learning/enrol/'] button")
            if enrol.count():
                enrol.click()
                page.wait_for_load_state()
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
        for name, path in {
            "verify-en": f"/verify/{code}/",
            "verify-ur": f"/ur/verify/{code}/",
        }.items():
            page.goto(f"{BASE}{path}")
            page.wait_for_timeout(300)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
        browser.close()
    certificate_image(code)


def demo_certificate_code() -> str:
    """The code of the demo workshop's certificate for Muhammad Ali Khan."""
    sys.path.insert(0, str(OUT.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    import django

    django.setup()
    from certificates.models import Certificate

    return Certificate.objects.get(
        workshop__slug="nttp-demo-workshop", email="ali.khan@example.org"
    ).verification_code


def certificate_image(code: str) -> None:
    """The issued PDF, rasterised as an employer's PDF viewer shows it."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "certificate.pdf"
        with urllib.request.urlopen(f"{BASE}/verify/{code}.pdf") as response:  # noqa: S310
            pdf.write_bytes(response.read())
        subprocess.run(  # noqa: S603 - fixed local tool
            [
                shutil.which("pdftoppm"),
                "-r",
                "90",
                "-png",
                "-singlefile",
                str(pdf),
                str(OUT / "certificate"),
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
