"""The installable certificate checker: a page that keeps itself and our
published keys on the employer's phone, so a certificate's QR code can be
checked with no connection (see certificates/qr_facts.py)."""

from __future__ import annotations

import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from languages.served import script_stylesheet

WORKER_SCRIPT = "certificates/js/verifier-worker.js"
CHECK_SCRIPT = "certificates/js/offline-check.js"


@require_GET
def offline_check(request: HttpRequest) -> HttpResponse:
    """Scan or paste a QR code; the check runs on the phone. The page reads
    no session, so it is the same for everyone and the worker may keep it."""
    response = render(request, "certificates/offline_check.html")
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    return response


def _shell() -> list[str]:
    shell = [static(CHECK_SCRIPT), static("css/site.css")]
    stylesheet = script_stylesheet(get_language())
    if stylesheet:
        shell.append(static(stylesheet))
    return shell


@require_GET
def verifier_worker(request: HttpRequest) -> HttpResponse:
    """The checker's service worker, one per language, its scope that
    language's ``verify/`` addresses, where the certificates' QR codes point."""
    path = finders.find(WORKER_SCRIPT)
    if not isinstance(path, str):  # pragma: no cover - the file ships with the app
        raise Http404
    with open(path, encoding="utf-8") as worker_file:
        worker = worker_file.read()
    settings_line = json.dumps(
        {
            "language": get_language(),
            "page": reverse("certificates:offline_check"),
            "keys": reverse("certificate_keys"),
            "shell": _shell(),
        }
    )
    source = f"self.VERIFIER_SETTINGS = {settings_line};\n{worker}"
    digest = hashlib.sha256(source.encode())
    for name in (CHECK_SCRIPT, "css/site.css"):
        found = finders.find(name)
        if isinstance(found, str):
            with open(found, "rb") as shell_file:
                digest.update(shell_file.read())
    source = source.replace("__VERSION__", digest.hexdigest()[:12])
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # a fixed worker reaches phones at once
    return response


@require_GET
def verifier_manifest(request: HttpRequest) -> HttpResponse:
    """The checker installs as an app of its own, apart from the learners'."""
    language = get_language()
    manifest = {
        "name": _("Alliance certificate check"),
        "short_name": _("Certificate check"),
        "description": _(
            "Check an Alliance Forums certificate's QR code, with or without "
            "a connection."
        ),
        "lang": language,
        "dir": "rtl" if language == "ur" else "ltr",
        "id": reverse("certificates:offline_check"),
        "start_url": reverse("certificates:offline_check"),
        "scope": reverse("certificates:verify_start"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d3b",
        "icons": [
            {
                "src": static(f"offline/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
