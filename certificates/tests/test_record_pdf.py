"""The CPD record as a PDF: the learner's download and the shared link's."""

import shutil
import unicodedata
from pathlib import Path

import pytest

from certificates.models import Certificate, CpdRecordLink
from certificates.services.cpd_records import set_cpd_record_sharing
from certificates.tests.test_cpd_record import learner_with_record  # noqa: F401
from certificates.tests.test_rendering import run

pytestmark = pytest.mark.django_db

SHOTS = Path("/tmp/shots-qrcheck")


def _text(pdf: bytes, tmp_path: Path, name: str = "record") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    SHOTS.mkdir(exist_ok=True)
    run("pdftoppm", "-r", "80", "-png", "-singlefile", str(path), str(SHOTS / name))
    # NFKC: the "fi" ligature the font draws reads back as "fi".
    return unicodedata.normalize("NFKC", run("pdftotext", "-layout", str(path), "-"))


def test_the_learner_downloads_the_record_with_both_languages_as_text(
    client,
    learner_with_record,  # noqa: F811
    tmp_path,
):
    client.force_login(learner_with_record)
    page = client.get("/ur/learning/record/").content.decode()
    assert 'href="/ur/learning/record.pdf"' in page
    assert "ریکارڈ ڈاؤن لوڈ کریں (پی ڈی ایف)" in page
    response = client.get("/learning/record.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = _text(response.content, tmp_path)
    current = Certificate.objects.filter(
        user=learner_with_record, revoked_at__isnull=True
    )
    revoked = Certificate.objects.get(
        user=learner_with_record, revoked_at__isnull=False
    )
    for certificate in current:
        assert certificate.verification_code in text
        assert f"/verify/{certificate.verification_code}/" in text
    assert revoked.verification_code not in text
    assert "Total CPD hours" in text and "18.5" in text
    assert "Muhammad Ali Khan" in text
    assert "محمد علی خان" in text  # shaped, and extractable as text
    assert "2025" in text
    if shutil.which("qpdf"):
        run("qpdf", "--check", str(tmp_path / "record.pdf"))
    # No share link yet: the PDF names no signed record address.
    assert "/record/" not in text


def test_the_shared_link_gives_the_pdf_until_it_is_turned_off(
    client,
    learner_with_record,  # noqa: F811
    tmp_path,
):
    set_cpd_record_sharing(learner_with_record, shared=True)
    token = CpdRecordLink.objects.get(user=learner_with_record).token
    assert (
        f'href="/record/{token}.pdf"'
        in client.get(f"/record/{token}/").content.decode()
    )
    response = client.get(f"/record/{token}.pdf")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    text = _text(response.content, tmp_path, "record-shared")
    assert f"/record/{token}.json" in text  # where the signed record is
    set_cpd_record_sharing(learner_with_record, shared=False)
    assert client.get(f"/record/{token}.pdf").status_code == 404


def test_the_record_pdf_needs_sign_in_and_unknown_links_are_404(client, db):
    assert client.get("/learning/record.pdf").status_code == 302
    assert client.get("/record/not-a-real-token.pdf").status_code == 404


def test_a_learner_with_no_certificates_gets_a_record_saying_so(
    client, make_learner, tmp_path
):
    client.force_login(make_learner())
    response = client.get("/learning/record.pdf")
    assert response.status_code == 200
    assert "No certificates yet." in _text(response.content, tmp_path, "empty")
