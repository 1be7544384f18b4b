"""Issue 18's record acceptance: two certificates and an award in the
learner's record, in both languages, in the PDF, and in the signed record an
employer's verifier checks at once."""

from __future__ import annotations

import unicodedata

import pytest

from awards import services
from certificates.models import CpdRecordLink
from certificates.services.cpd_records import set_cpd_record_sharing
from certificates.tests.conftest import complete_course  # noqa: F401
from certificates.tests.test_cpd_record import learner_with_record  # noqa: F401
from certificates.tests.test_open_badges import (
    needs_node,
    published_status_lists,
    run_verifier,
)
from certificates.tests.test_rendering import run
from lms.accounts import services as accounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_with_award(learner_with_record, award, member_of):  # noqa: F811
    awarding = member_of(
        accounts.PROGRAMME_MANAGERS_GROUP, email="awards.manager@example.org"
    )
    services.issue_award(award, learner_with_record, actor=awarding)
    return learner_with_record


def test_the_record_shows_two_certificates_and_the_award_in_both_languages(
    client, record_with_award
):
    client.force_login(record_with_award)
    english = client.get("/learning/record/").content.decode()
    assert "18.50 CPD hours in all" in english
    assert "Teaching Excellence Award" in english
    urdu = client.get("/ur/learning/record/").content.decode()
    assert "کل 18.50 سی پی ڈی گھنٹے" in urdu
    assert "تدریسی فضیلت ایوارڈ" in urdu


def test_the_record_pdf_lists_the_award_in_both_languages(
    client, record_with_award, tmp_path
):
    client.force_login(record_with_award)
    path = tmp_path / "record.pdf"
    path.write_bytes(client.get("/learning/record.pdf").content)
    text = unicodedata.normalize("NFKC", run("pdftotext", str(path), "-"))
    assert "Awards" in text
    assert "Teaching Excellence Award" in text
    assert "تدریسی فضیلت ایوارڈ" in text  # shaped and extractable
    assert "18.5" in text  # awards add no CPD hours


@needs_node
def test_the_signed_record_with_the_award_verifies_until_the_link_is_off(
    client, record_with_award
):
    set_cpd_record_sharing(record_with_award, shared=True)
    token = CpdRecordLink.objects.get(user=record_with_award).token
    record = client.get(f"/record/{token}.json").json()
    kinds = sorted(
        c["credentialSubject"]["achievement"]["achievementType"]
        for c in record["verifiableCredential"]
    )
    assert kinds == ["Award", "CertificateOfCompletion", "CertificateOfCompletion"]

    report = run_verifier(
        {}, status_lists=published_status_lists(client), presentations={"r": record}
    )
    assert report["r"]["verified"] is True, report["r"]["errors"]
    assert [c["verified"] for c in report["r"]["credentials"]] == [True] * 3

    set_cpd_record_sharing(record_with_award, shared=False)
    assert client.get(f"/record/{token}.json").status_code == 404
    assert client.get(f"/record/{token}/").status_code == 404
    assert client.get(f"/record/{token}.pdf").status_code == 404
