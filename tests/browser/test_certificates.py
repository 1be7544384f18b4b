"""The certificate from the learner's phone to the employer's phone."""

import shutil
import subprocess

import pytest
from django.conf import settings

from certificates.models import Certificate
from courses import services as learning

from .conftest import PHONE, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_learner_downloads_the_pdf_and_an_employer_scans_its_qr_code(
    browser, live_server, page, make_learner, make_course, tmp_path
):
    learner = make_learner(email="graduate@example.org", password="green-mango-tree-42")
    course = make_course(lessons=1, title="Classroom management")
    learning.enrol(learner, course)
    learning.record_lesson_complete(learner, course.lessons().first().pk)
    certificate = Certificate.objects.get(user=learner)

    log_in(page, "graduate@example.org", "green-mango-tree-42")
    page.goto("/learning/")
    assert page.locator(".certificate-actions .code").inner_text() == (
        certificate.verification_code
    )
    with page.expect_download() as download_info:
        page.click("text=Download PDF")
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")

    subprocess.run(  # noqa: S603 - fixed local tools
        [
            shutil.which("pdftoppm"),
            "-r",
            "150",
            "-png",
            "-singlefile",
            str(pdf_path),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    scanned = subprocess.run(  # noqa: S603
        [shutil.which("zbarimg"), "--quiet", "--raw", str(tmp_path / "page.png")],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.strip()
    address, _hash, facts = scanned.partition("#")
    assert address == f"{settings.SITE_URL}/verify/{certificate.verification_code}/"
    assert facts.startswith("c=")  # signed facts for offline checks

    # The employer: another phone, no account, and JavaScript switched off.
    employer = browser.new_context(
        viewport=PHONE, base_url=live_server.url, java_script_enabled=False
    )
    employer_page = employer.new_page()
    response = employer_page.goto(scanned.replace(settings.SITE_URL, ""))
    assert response.status == 200
    assert employer_page.locator("h1").inner_text().strip() == "Valid certificate"
    assert "Muhammad Ali Khan" in employer_page.inner_text("main")
    assert no_horizontal_overflow(employer_page)
    employer_page.goto(f"/ur/verify/{certificate.verification_code}/")
    assert employer_page.get_attribute("html", "dir") == "rtl"
    assert "محمد علی خان" in employer_page.inner_text("main")
    assert no_horizontal_overflow(employer_page)
    employer.close()

    page.reload()
    assert "Checked 2 times" in page.inner_text(".verification-count")
