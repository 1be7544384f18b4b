"""The installable checker's page, manifest and service worker."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["", "/ur"])
def test_each_language_has_its_own_worker_scoped_to_its_verify_addresses(
    client, prefix
):
    manifest = client.get(f"{prefix}/verify/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert body["scope"] == f"{prefix}/verify/"
    assert body["start_url"] == f"{prefix}/verify/offline/"
    # Apart from the learners' app (its scope is the whole site).
    assert body["id"] != "/"

    worker = client.get(f"{prefix}/verify/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Cache-Control"] == "no-cache"
    source = worker.content.decode()
    settings_line = source.split("\n", 1)[0]
    settings = json.loads(settings_line.split("=", 1)[1].rstrip(";"))
    assert settings["page"] == f"{prefix}/verify/offline/"
    assert settings["keys"] == "/.well-known/certificate-keys.json"
    assert "__VERSION__" not in source


def test_the_checker_page_is_the_same_for_everyone_and_lists_its_workers(
    client, make_learner
):
    anonymous = client.get("/verify/offline/")
    assert anonymous.status_code == 200
    assert anonymous["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    html = anonymous.content.decode()
    assert 'rel="manifest" href="/verify/manifest.webmanifest"' in html
    assert "/verify/sw.js" in html and "/ur/verify/sw.js" not in html
    assert "<script>" not in html  # no inline script (CSP)
    urdu = client.get("/ur/verify/offline/").content.decode()
    assert "انٹرنیٹ کے بغیر سند کی جانچ" in urdu
    assert "دستخط درست ہے" in urdu  # "Signature valid", for the script to show
    # The Urdu page keeps the Urdu checker and the default language's.
    assert "/ur/verify/sw.js" in urdu and '"/verify/sw.js"' in urdu.replace(
        "&quot;", '"'
    )


def test_verification_pages_offer_the_checker(client, issued):
    start = client.get("/verify/").content.decode()
    assert 'href="/verify/offline/"' in start
    page = client.get(f"/verify/{issued.verification_code}/").content.decode()
    assert "certificates/js/offline-check" in page
