"""Page weight and paint on an emulated slow phone, in Debian's Chromium.

gunicorn serves the production settings (hashed, compressed static files from
WhiteNoise) over the demo data. Each page is loaded in a fresh browser context
with an empty cache (first visit), then again in the same context (repeat
visit), on a 400 kbit/s link with a 400 ms round trip and a 4x slower CPU at
360x640. Bytes are what crossed the network (encoded sizes, headers included).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .results import Metric
from .verify_load import (
    ROOT,
    _environment,
    _manage,
    _recreate_database,
    gunicorn,
)

PORT = 8766
KBIT = 1000 / 8  # bytes per second in one kbit/s
NETWORK = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * KBIT,
    "uploadThroughput": 400 * KBIT,
}
CPU_SLOWDOWN = 4
EXCLUDED_TYPES = {"Image", "Media", "Font"}

SETUP_SCRIPT = """
from certificates.models import Certificate
from courses import services
from courses.models import CoursePage
from lms.accounts.models import User
learner = User.objects.get(email="learner@example.org")
for course in CoursePage.objects.filter(slug="classroom-management"):
    services.enrol(learner, course)
from courses.quizzes import services as quizzes
urdu = CoursePage.objects.get(slug="classroom-management", locale__language_code="ur")
attempt = quizzes.start_attempt(learner, urdu.final_assessment, "ur")
print(attempt.pk)
print(Certificate.objects.filter(workshop__slug="nttp-demo-workshop")
      .order_by("pk").first().verification_code)
"""


@dataclass
class Load:
    bytes_all: int = 0
    bytes_without_media: int = 0
    requests: int = 0
    fcp_ms: float = 0.0


def _pages(code: str, attempt: str) -> dict[str, tuple[str, bool]]:
    """name -> (path, needs the learner logged in)."""
    return {
        "home": ("/", False),
        "catalogue": ("/courses/", False),
        "course overview": ("/nttp/classroom-management/", False),
        "lesson (English)": ("/nttp/classroom-management/routines/", True),
        "lesson (Urdu)": ("/ur/nttp/classroom-management/routines/", True),
        "quiz (Urdu, questions)": (f"/ur/learning/attempts/{attempt}/", True),
        "dashboard": ("/learning/", True),
        "verification": (f"/verify/{code}/", False),
    }


def _measure(browser, base: str, path: str, log_in: bool) -> tuple[Load, Load]:
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    if log_in:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "learner@example.org")
        page.fill("#id_password", "alliance-demo-2026")
        page.click("main button[type=submit]")
        page.wait_for_load_state("load")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    first = _load(page, cdp, f"{base}{path}")
    repeat = _load(page, cdp, f"{base}{path}")
    context.close()
    return first, repeat


def _load(page, cdp, url: str) -> Load:
    responses: dict[str, tuple[str, str]] = {}
    load = Load()

    def on_response(event):
        responses[event["requestId"]] = (
            event.get("type", "Other"),
            event["response"]["url"],
        )

    def on_finished(event):
        size = int(event.get("encodedDataLength", 0))
        kind, url = responses.get(event["requestId"], ("Other", ""))
        load.requests += 1
        load.bytes_all += size
        if kind not in EXCLUDED_TYPES and "/h5p" not in url:
            load.bytes_without_media += size

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    page.goto(url, wait_until="load")
    # Web fonts are requested once the text is laid out; wait for them too.
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    load.fcp_ms = page.evaluate(
        "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime"
        " || 0"
    )
    cdp.remove_listener("Network.responseReceived", on_response)
    cdp.remove_listener("Network.loadingFinished", on_finished)
    return load


def run() -> list[Metric]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not chromium:
        raise RuntimeError("Chromium is missing: run scripts/os-packages.sh")
    metrics: list[Metric] = []
    with tempfile.TemporaryDirectory(prefix="lms-bench-pages-") as folder:
        folder = Path(folder)
        url = os.environ.get(
            "BENCH_PAGES_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/lms_bench_pages",
        )
        env = {
            **_environment(folder / "var", folder / "static"),
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(folder / "media"),
            "SITE_URL": f"http://127.0.0.1:{PORT}",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
        }
        _recreate_database(url)
        _manage(env, "migrate", "--noinput")
        _manage(env, "collectstatic", "--noinput")
        _manage(env, "compile_translations")
        _manage(env, "seed_demo")
        attempt, code = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "shell", "-c", SETUP_SCRIPT],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-2:]
        with gunicorn(env, PORT, workers=3) as base:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium,
                    args=[
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                    ],
                )
                for name, (path, log_in) in _pages(code, attempt).items():
                    first, repeat = _measure(browser, base, path, log_in)
                    metrics += _page_metrics(name, first, repeat)
                browser.close()
    return metrics


def _page_metrics(name: str, first: Load, repeat: Load) -> list[Metric]:
    lesson = name.startswith(("lesson", "quiz"))
    verification = name == "verification"
    kb = 1024
    without_media = Metric(
        f"{name}: first visit, KB without images/video/H5P/fonts",
        first.bytes_without_media / kb,
        "KB",
        40 if lesson else (15 if verification else None),
    )
    return [
        without_media,
        Metric(
            f"{name}: first visit, KB in all",
            first.bytes_all / kb,
            "KB",
            200 if lesson else None,
        ),
        Metric(f"{name}: first visit, requests", first.requests, "count"),
        Metric(
            f"{name}: repeat visit, KB",
            repeat.bytes_all / kb,
            "KB",
            10 if lesson else None,
        ),
        Metric(
            f"{name}: first contentful paint on a slow 3G phone",
            first.fcp_ms / 1000,
            "s",
            3,
        ),
    ]
