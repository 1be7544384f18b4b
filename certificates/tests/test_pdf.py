"""The issued PDF as an employer receives it: QR code, text, storage, PAdES."""

import hashlib
import re

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates import services
from certificates.models import Certificate
from certificates.tests.test_rendering import make_pkcs12, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_path(issued, tmp_path):
    path = tmp_path / "certificate.pdf"
    with issued.pdf.open("rb") as file:
        path.write_bytes(file.read())
    return path


def test_qr_code_of_the_issued_pdf_opens_its_verification_page(
    issued, pdf_path, tmp_path
):
    assert (issued.holder_name_en, issued.holder_name_ur) == (
        "Muhammad Ali Khan",
        "محمد علی خان",
    )
    run(
        "pdftoppm",
        "-r",
        "150",
        "-png",
        "-singlefile",
        str(pdf_path),
        str(tmp_path / "p"),
    )
    decoded = run("zbarimg", "--quiet", "--raw", str(tmp_path / "p.png"))
    expected = f"{django_settings.SITE_URL}/verify/{issued.verification_code}/"
    [address] = decoded.splitlines()
    # The address, then the signed facts in the fragment (test_qr_facts.py).
    assert address.startswith(expected + "#c=")


def test_issued_pdf_prints_the_code_name_course_and_hours(issued, pdf_path):
    text = run("pdftotext", "-layout", str(pdf_path), "-")
    assert issued.verification_code in text
    assert "Muhammad Ali Khan" in text
    assert issued.course_title_en in text
    info = run("pdfinfo", str(pdf_path))
    assert re.search(r"^Page size:\s+841\.89 x 595\.2\d* pts \(A4\)", info, re.M)


def test_issued_pdf_reads_both_names_as_text_and_passes_qpdf_check(
    client, issued, pdf_path
):
    # A screen reader, a search or a copy gets the Urdu name as text (each
    # shaped word carries /ActualText), and the file is still sound and still
    # the one the verification page recognises byte for byte.
    text = run("pdftotext", str(pdf_path), "-")
    assert "Muhammad Ali Khan" in text
    assert "محمد علی خان" in text
    run("qpdf", "--check", str(pdf_path))
    upload = SimpleUploadedFile("c.pdf", pdf_path.read_bytes(), "application/pdf")
    response = client.post("/verify/", {"pdf": upload})
    assert "This is the PDF we issued" in response.content.decode()


def test_pdf_is_stored_in_s3_compatible_storage(
    s3_server,
    s3_storage,
    make_learner,
    make_course,
    complete_course,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(make_learner(), make_course(lessons=1))
    certificate = Certificate.objects.get()
    stored = (
        boto3.client(
            "s3",
            endpoint_url=s3_server,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )
        .get_object(
            Bucket="lms-media", Key=f"{s3_storage.location}/{certificate.pdf.name}"
        )["Body"]
        .read()
    )
    assert hashlib.sha256(stored).hexdigest() == certificate.pdf_sha256


def test_pdf_carries_a_pades_signature_when_a_signing_certificate_is_configured(
    settings,
    tmp_path,
    client,
    make_learner,
    make_course,
    complete_course,
    django_capture_on_commit_callbacks,
):
    from certificates.rendering.pades import verify_pades

    pem = make_pkcs12(tmp_path / "signer.p12", "Alliance Certificates", "secret")
    settings.CERTIFICATE_PADES_PKCS12 = str(tmp_path / "signer.p12")
    settings.CERTIFICATE_PADES_PASSPHRASE = "secret"
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(make_learner(), make_course(lessons=1))
    certificate = Certificate.objects.get()
    with certificate.pdf.open("rb") as file:
        data = file.read()
    assert verify_pades(data, [pem])
    # An altered copy is caught, and the page says its signature no longer holds.
    altered = data.replace(b"Muhammad", b"Mohammad", 1)
    assert altered != data
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = client.post(
        "/verify/", {"pdf": SimpleUploadedFile("c.pdf", altered, "application/pdf")}
    ).content.decode()
    assert "This PDF has been changed" in html


def test_a_broken_signing_key_setting_fails_loudly_and_keeps_no_half_pdf(
    settings, tmp_path, issued
):
    settings.CERTIFICATE_PADES_PKCS12 = str(tmp_path / "missing.p12")
    Certificate.objects.filter(pk=issued.pk).update(pdf="", pdf_sha256="")
    from certificates.rendering.pades import PadesSigningError

    with pytest.raises(PadesSigningError):
        services.make_pdf(issued.pk)
    issued.refresh_from_db()
    assert not issued.pdf and not issued.pdf_sha256
