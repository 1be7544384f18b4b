"""An employer opens the certificate checker once online; later, with no
connection, a certificate's QR code (decoded from its PDF with zbarimg) is
checked on the phone: valid; altered facts: not valid; revoked when online."""

import base64
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from certificates import services as certificate_services
from certificates.models import Certificate
from courses import services as learning

from .conftest import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SHOTS = Path("/tmp/shots-qrcheck")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _certificate(make_learner, make_course, email: str, title: str) -> Certificate:
    learner = make_learner(email=email)
    course = make_course(lessons=1, title=title)
    learning.enrol(learner, course)
    learning.record_lesson_complete(learner, course.lessons().first().pk)
    return Certificate.objects.get(user=learner)


def _scanned(certificate: Certificate, tmp_path: Path) -> str:
    """The QR code's text as a phone reads it from the printed PDF (150 dpi)."""
    pdf = tmp_path / f"{certificate.pk}.pdf"
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as file:
        pdf.write_bytes(file.read())
    image = tmp_path / f"{certificate.pk}"
    subprocess.run(  # noqa: S603 - fixed local tools
        [shutil.which("pdftoppm"), "-r", "150", "-png", "-singlefile", pdf, image],
        check=True,
    )
    return subprocess.run(  # noqa: S603
        [shutil.which("zbarimg"), "--quiet", "--raw", f"{image}.png"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.strip()


def _local(address: str) -> str:
    return address.replace(settings.SITE_URL, "")


def _altered_holder(address: str, holder: str) -> str:
    start, _hash, fragment = address.partition("#c=")
    encoded, signature = fragment.split(".")
    facts = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    facts[2] = holder
    data = json.dumps(facts, ensure_ascii=False, separators=(",", ":")).encode()
    encoded = base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    return f"{start}#c={encoded}.{signature}"


def _result(page) -> str:
    page.wait_for_selector("#check-result:not([hidden])")
    return page.inner_text("#check-result")


def test_employer_checks_a_qr_code_with_no_connection(
    browser, live_server, make_learner, make_course, tmp_path
):
    first = _certificate(make_learner, make_course, "first@example.org", "Phonics")
    second = _certificate(
        make_learner, make_course, "second@example.org", "Classroom management"
    )
    revoked = _certificate(make_learner, make_course, "third@example.org", "Geometry")
    scanned = _scanned(second, tmp_path)
    assert scanned.startswith(
        f"{settings.SITE_URL}/verify/{second.verification_code}/#c="
    )

    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    # Online, once: the employer checks the first certificate and opens the
    # checker, which keeps itself and our keys.
    page.goto(_local(_scanned(first, tmp_path)))
    assert page.inner_text("h1").strip() == "Valid certificate"
    page.goto("/verify/offline/")
    page.wait_for_selector("#check-ready:not([hidden])")
    scopes = page.evaluate(
        "() => navigator.serviceWorker.getRegistrations()"
        ".then(rs => rs.map(r => new URL(r.scope).pathname))"
    )
    # The default language's worker: the QR codes point at its addresses.
    assert scopes == ["/verify/"]
    _shot(page, "checker-ready-en")

    context.set_offline(True)
    page.goto(_local(scanned))
    text = _result(page)
    assert "Signature valid" in text
    assert "Muhammad Ali Khan" in text and "Classroom management" in text
    assert second.verification_code in text
    assert second.issued_on.strftime("%Y") in text
    assert "No connection: whether it was revoked could not be checked" in text
    assert "verdict-valid" in page.get_attribute("#check-result", "class")
    _shot(page, "offline-valid-en")

    page.goto(_local(_altered_holder(scanned, "Someone Else")))
    text = _result(page)
    assert "Not valid" in text and "Someone Else" not in text
    assert "verdict-invalid" in page.get_attribute("#check-result", "class")
    _shot(page, "offline-altered-en")

    # The same offline, in a new page opened straight at the altered address.
    other = context.new_page()
    other.goto(_local(_altered_holder(scanned, "Muhammad Ali Khan Jr")))
    assert "Not valid" in _result(other)
    other.close()

    # Back online: a revoked certificate is shown as revoked.
    actor = make_learner(email="manager@example.org")
    revoked_address = _scanned(revoked, tmp_path)
    certificate_services.revoke_certificate(
        revoked, reason="Issued in error", actor=actor
    )
    context.set_offline(False)
    page.goto(_local(revoked_address))
    assert page.inner_text("h1").strip() == "Revoked certificate"
    page.goto("/verify/offline/")
    page.fill("#qr-text", revoked_address)
    page.click("#paste-form button")
    page.wait_for_selector("#check-status:has-text('Revoked')")
    assert "verdict-revoked" in page.get_attribute("#check-result", "class")
    assert page.inner_text("#check-title") == "Revoked certificate"
    _shot(page, "online-revoked-en")
    context.close()


def test_the_checker_with_a_result_in_urdu_and_english_passes_axe_at_phone_width(
    browser, live_server, make_learner, make_course, tmp_path
):
    from .test_accessibility import run_axe

    certificate = _certificate(make_learner, make_course, "urdu@example.org", "Phonics")
    scanned = _scanned(certificate, tmp_path)
    # The audit injects axe-core, which the CSP would refuse (as in the audit).
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    for prefix, title in (("/ur", "دستخط درست ہے"), ("", "Signature valid")):
        page.goto(f"{prefix}/verify/offline/")
        page.fill("#qr-text", scanned)
        page.click("#paste-form button")
        page.wait_for_selector("#check-status:not(:empty)")
        assert page.inner_text("#check-title") == title
        assert "Muhammad Ali Khan" in page.inner_text("#check-result")
        assert page.evaluate(
            "document.documentElement.scrollWidth"
            " <= document.documentElement.clientWidth"
        )
        assert run_axe(page) == []
        _shot(page, f"checker-{prefix.strip('/') or 'en'}")
        if prefix == "/ur":
            # An Urdu reader keeps the Urdu checker and the default one.
            page.wait_for_function(
                "() => navigator.serviceWorker.getRegistrations()"
                ".then(rs => rs.length === 2)"
            )
    assert page.get_attribute("html", "dir") == "ltr"
    context.close()
