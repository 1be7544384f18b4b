"""Learning offline, in Debian's Chromium against gunicorn (production settings).

- The service worker as served (``/sw.js``, with its settings line) and the
  page's own offline scripts, gzip-compressed together.
- Saving the demo course "Classroom management" in Urdu: a learner opens the
  course page with an empty browser cache and saves it for offline. Every byte
  gunicorn sends to the browser (headers included) is counted by a small
  forwarding proxy between the two, so the service worker's own requests count
  too, and nothing the browser served from its cache does.
- A saved lesson opened with no connection on an emulated slow phone (360x640,
  CPU 4x slower, ``Network.emulateNetworkConditions`` offline, and the proxy
  refusing every connection): bytes from the network, requests that failed,
  and first contentful paint.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from .results import Metric
from .verify_load import (
    ROOT,
    _cache_url,
    _empty_cache,
    _environment,
    _manage,
    _recreate_database,
    gunicorn,
)

SERVER_PORT = 8768
PROXY_PORT = 8769
CPU_SLOWDOWN = 4
OFFLINE = {
    "offline": True,
    "latency": 0,
    "downloadThroughput": -1,
    "uploadThroughput": -1,
}
OFFLINE_LOADS = 5
EMAIL, PASSWORD = "learner@example.org", "alliance-demo-2026"
SCRIPTS = ("offline/js/offline-queue.js", "offline/js/offline.js")

SETUP_SCRIPT = """
from courses import services
from courses.models import CoursePage
from lms.accounts.models import User
learner = User.objects.get(email="learner@example.org")
course = CoursePage.objects.get(slug="classroom-management", locale__language_code="ur")
services.enrol(learner, course)
print(course.url)
print(course.lessons().first().url)
"""


class CountingProxy:
    """Forwards TCP connections to the server and counts the bytes it sends
    back. ``refusing`` closes every new connection at once (no network)."""

    def __init__(self, listen_port: int, server_port: int) -> None:
        self.server_port = server_port
        self.bytes_to_browser = 0
        self.refusing = False
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", listen_port))
        self.port = self._listener.getsockname()[1]
        self._open: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                browser, _address = self._listener.accept()
            except OSError:
                return
            if self.refusing:
                browser.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.server_port))
            self._open |= {browser, server}
            threading.Thread(
                target=self._pipe, args=(browser, server, False), daemon=True
            ).start()
            threading.Thread(
                target=self._pipe, args=(server, browser, True), daemon=True
            ).start()

    def _pipe(self, source: socket.socket, target: socket.socket, count: bool):
        try:
            while chunk := source.recv(65536):
                if count:
                    with self._lock:
                        self.bytes_to_browser += len(chunk)
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
                self._open.discard(end)

    def cut(self) -> None:
        """No network from now on: refuse new connections, drop open ones."""
        self.refusing = True
        for end in list(self._open):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.cut()
        self._listener.close()


@contextlib.contextmanager
def counting_proxy() -> Iterator[CountingProxy]:
    proxy = CountingProxy(PROXY_PORT, SERVER_PORT)
    try:
        yield proxy
    finally:
        proxy.close()


def _scripts_gzip(base: str) -> int:
    """Bytes of the worker as served plus the page's offline scripts (the
    hashed names production serves, from the worker's settings line), gzip -9."""
    with urllib.request.urlopen(base + "/sw.js", timeout=10) as response:  # noqa: S310
        worker = response.read()
    first_line = worker.decode().split("\n", 1)[0]
    shell = json.loads(first_line.split("=", 1)[1].strip().rstrip(";"))["shell"]
    text = worker
    for name in SCRIPTS:
        stem = name.rsplit("/", 1)[1].removesuffix(".js")
        [url] = [u for u in shell if u.rsplit("/", 1)[1].split(".")[0] == stem]
        with urllib.request.urlopen(base + url, timeout=10) as response:  # noqa: S310
            text += response.read()
    return len(gzip.compress(text, 9))


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/ur/accounts/login/")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def _save_course(page, cdp, proxy: CountingProxy, base: str, course: str) -> dict:
    """Open the course page with an empty cache and save it for offline."""
    cdp.send("Network.clearBrowserCache")
    refused: list[str] = []
    page.on(
        "response",
        lambda r: r.status >= 400 and refused.append(f"{r.status} {r.url}"),
    )
    before = proxy.bytes_to_browser
    page.goto(base + course, wait_until="load")
    page.click("#offline-save button")
    # The offer replaces the first button with "Download" and the size.
    download = "#offline-save button.button:not(.button-secondary)"
    page.wait_for_selector(download)
    before_download = proxy.bytes_to_browser
    page.click(download)
    try:
        page.wait_for_selector(".outline .offline-saved", timeout=180_000)
    except Exception as error:  # noqa: BLE001 - reported with what the page says
        raise RuntimeError(
            f"saving did not finish: {page.inner_text('#offline-save')!r};"
            f" refused: {refused}"
        ) from error
    page.wait_for_load_state("networkidle")
    saved = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const course = names.find(n => n.startsWith("course-"));
            const keys = await (await caches.open(course)).keys();
            const record = (await OfflineQueue.all("courses"))[0];
            return {files: keys.map(k => k.url), lessons: record.lessons.length,
                    bytes: record.bytes};
        }"""
    )
    saved["transferred"] = proxy.bytes_to_browser - before
    saved["download_only"] = proxy.bytes_to_browser - before_download
    # What the offer showed (fetched again, after counting).
    saved["shown"] = page.evaluate(
        "fetch(document.getElementById('offline-save').dataset.manifest)"
        ".then(r => r.json()).then(m => m.total_bytes)"
    )
    return saved


def _open_offline(page, cdp, proxy: CountingProxy, url: str) -> tuple[int, int, float]:
    """(bytes from the network, failed requests, first contentful paint in ms)."""
    failed: list[str] = []
    network: list[int] = []
    served_by: dict[str, bool] = {}

    def on_response(event):
        response = event["response"]
        served_by[event["requestId"]] = bool(
            response.get("fromServiceWorker")
            or response.get("fromDiskCache")
            or response.get("fromPrefetchCache")
        )

    def on_finished(event):
        if not served_by.get(event["requestId"], False):
            network.append(int(event.get("encodedDataLength", 0)))

    def on_failed(event):
        failed.append(event.get("errorText", ""))

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.loadingFailed", on_failed)
    before = proxy.bytes_to_browser
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    fcp = page.evaluate(
        "(performance.getEntriesByType('paint')"
        ".find(e => e.name === 'first-contentful-paint') || {}).startTime"
    )
    if fcp is None:
        raise RuntimeError("no first contentful paint was recorded")
    title = page.inner_text("h1")
    font = page.evaluate("[...document.fonts].some(f => f.status === 'loaded')")
    cdp.remove_listener("Network.responseReceived", on_response)
    cdp.remove_listener("Network.loadingFinished", on_finished)
    cdp.remove_listener("Network.loadingFailed", on_failed)
    if not title or not font:
        raise RuntimeError(f"the saved lesson did not render offline ({title!r})")
    from_network = sum(network) + (proxy.bytes_to_browser - before)
    return from_network, len(failed), float(fcp)


def _prepare_site(folder: Path) -> tuple[dict[str, str], str, str]:
    """A fresh database with the demo site and the learner enrolled in the Urdu
    course; returns the environment, the course's and its first lesson's paths."""
    url = os.environ.get(
        "BENCH_OFFLINE_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/lms_bench_offline",
    )
    env = {
        **_environment(folder / "var", folder / "static"),
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(folder / "media"),
        "SITE_URL": f"http://127.0.0.1:{PROXY_PORT}",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
    }
    _recreate_database(url)
    _empty_cache(_cache_url())  # nothing cached for an earlier database
    _manage(env, "migrate", "--noinput")
    _manage(env, "collectstatic", "--noinput")
    _manage(env, "compile_translations")
    _manage(env, "seed_demo")
    course, lesson = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", SETUP_SCRIPT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-2:]
    return env, course, lesson


def _measure(env: dict[str, str], course: str, lesson: str) -> list[Metric]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not chromium:
        raise RuntimeError("Chromium is missing: run scripts/os-packages.sh")
    base = f"http://127.0.0.1:{PROXY_PORT}"
    with (
        gunicorn(env, SERVER_PORT, workers=2, module="bench.media_wsgi"),
        counting_proxy() as proxy,
    ):
        scripts = _scripts_gzip(base)
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
            context = browser.new_context(viewport={"width": 360, "height": 640})
            page = context.new_page()
            page.set_default_timeout(60_000)
            _log_in(page, base)
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            saved = _save_course(page, cdp, proxy, base, course)
            print("saved for offline:", *sorted(saved["files"]), sep="\n  ")
            if not any(name.endswith(".woff2") for name in saved["files"]):
                raise RuntimeError("the Nastaliq font was not saved")
            # No connection: the browser is told so, and the proxy refuses.
            proxy.cut()
            context.set_offline(True)
            cdp.send("Network.emulateNetworkConditions", OFFLINE)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            loads = [
                _open_offline(page, cdp, proxy, base + lesson)
                for _load in range(OFFLINE_LOADS)
            ]
            browser.close()
    return _metrics(scripts, saved, loads)


def run() -> list[Metric]:
    with tempfile.TemporaryDirectory(prefix="lms-bench-offline-") as folder:
        env, course, lesson = _prepare_site(Path(folder))
        return _measure(env, course, lesson)


def _metrics(scripts: int, saved: dict, loads: list[tuple[int, int, float]]):
    kb = 1024
    paints = [fcp for _bytes, _failed, fcp in loads]
    return [
        Metric(
            "offline: service worker + offline scripts, gzip", scripts / kb, "KB", 15
        ),
        Metric(
            "offline: saving 'Classroom management' in Urdu from an empty cache,"
            " KB transferred (with the Nastaliq font)",
            saved["transferred"] / kb,
            "KB",
            400,
        ),
        Metric(
            "offline: of which after 'Download' (page already open), KB",
            saved["download_only"] / kb,
            "KB",
        ),
        Metric(
            "offline: download size shown before saving, KB",
            saved["shown"] / kb,
            "KB",
        ),
        Metric("offline: saved course, addresses kept", len(saved["files"]), "count"),
        Metric(
            "offline: saved lesson opened offline, bytes from the network (max)",
            max(size for size, _failed, _fcp in loads),
            "bytes",
            0,
        ),
        Metric(
            "offline: saved lesson opened offline, failed requests (max)",
            max(failed for _size, failed, _fcp in loads),
            "count",
            0,
        ),
        Metric(
            "offline: saved lesson opened offline, first contentful paint on a"
            f" slow phone (median of {OFFLINE_LOADS})",
            statistics.median(paints),
            "ms",
            1000,
        ),
        Metric(
            "offline: saved lesson opened offline, first contentful paint (max)",
            max(paints),
            "ms",
        ),
    ]
