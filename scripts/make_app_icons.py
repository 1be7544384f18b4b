"""Draw the installable app's PNG icons from our own SVG (offline/static/offline/icons).

Run once after changing icon.svg: ``.venv/bin/python scripts/make_app_icons.py``.
Uses the headless Chromium the browser tests use.
"""

import os
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = (
    Path(__file__).resolve().parent.parent / "offline" / "static" / "offline" / "icons"
)
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""


def main() -> None:
    svg = (ICONS / "icon.svg").read_text()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"]
        )
        for size in (192, 512):
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                "<style>html,body{margin:0}svg{display:block;width:100vw;height:100vh}</style>"
                + svg
            )
            page.screenshot(path=str(ICONS / f"icon-{size}.png"))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
