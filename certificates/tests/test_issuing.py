import hashlib
import json
import threading
from decimal import Decimal

import pytest
from django.db import connection

from certificates import services
from certificates.codes import normalise_code
from certificates.models import Certificate, CertificateEvent
from certificates.signing import canonical_json, verify_with_jwks
from courses import authoring
from courses import services as learning

pytestmark = pytest.mark.django_db


def test_completing_a_course_issues_one_certificate_with_the_profile_names(
    make_learner, make_course, complete_course
):
    learner = make_learner(
        certificate_name_en="Ayesha Siddiqa", certificate_name_ur="عائشہ صدیقہ"
    )
    course = make_course(
        lessons=2, title="Classroom management", cpd_hours=Decimal("6.5")
    )
    complete_course(learner, course)

    certificate = Certificate.objects.get(user=learner)
    assert certificate.kind == Certificate.Kind.COURSE
    assert certificate.course_id == course.pk
    assert certificate.holder_name_en == "Ayesha Siddiqa"
    assert certificate.holder_name_ur == "عائشہ صدیقہ"
    assert certificate.course_title_en == "Classroom management"
    assert certificate.programme_title_en == "Test programme"
    assert certificate.cpd_hours == Decimal("6.5")
    assert certificate.issuer_en == "Alliance Teachers Forum"
    assert (
        normalise_code(certificate.verification_code) == certificate.verification_code
    )
    assert list(certificate.events.values_list("action", flat=True)) == ["issued"]


def test_certificate_carries_the_urdu_titles_of_translated_pages(
    make_learner, make_course, complete_course
):
    course = make_course(lessons=1, title="Classroom management")
    programme = course.get_parent().specific
    authoring.translate_page(programme, "ur", title="اساتذہ کی تربیت")
    authoring.translate_page(course, "ur", title="کمرۂ جماعت کا انتظام")
    complete_course(make_learner(), course)

    certificate = Certificate.objects.get()
    assert certificate.course_title_ur == "کمرۂ جماعت کا انتظام"
    assert certificate.programme_title_ur == "اساتذہ کی تربیت"


def test_issue_date_is_the_local_completion_date(
    make_learner, make_course, complete_course
):
    from django.utils import timezone

    enrolment = complete_course(make_learner(), make_course(lessons=1))
    certificate = Certificate.objects.get()
    assert certificate.issued_on == timezone.localdate(enrolment.completed_at)


def test_signature_verifies_against_the_published_keys(client, issued):
    jwks = client.get("/.well-known/certificate-keys.json").json()
    assert verify_with_jwks(
        jwks, issued.signed_payload, issued.signature, issued.key_id
    )
    content = json.loads(issued.signed_payload)
    assert content["code"] == issued.verification_code
    assert content["holder"] == {"en": "Muhammad Ali Khan", "ur": "محمد علی خان"}
    assert content["cpd_hours"] == "6"
    assert issued.signed_payload == canonical_json(services.signed_content(issued))


def test_the_pdf_is_stored_with_its_sha256_after_commit(issued):
    with issued.pdf.open("rb") as file:
        data = file.read()
    assert data.startswith(b"%PDF-")
    assert issued.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert issued.events.filter(action=CertificateEvent.Action.PDF_RENDERED).exists()
    # Making it again changes nothing.
    again = services.make_pdf(issued.pk)
    assert again.pdf.name == issued.pdf.name
    assert again.pdf_sha256 == issued.pdf_sha256


def test_completing_again_or_rechecking_issues_nothing_more(
    make_learner, make_course, complete_course
):
    learner = make_learner()
    course = make_course(lessons=2)
    complete_course(learner, course)
    for lesson in course.lessons():
        learning.record_lesson_complete(learner, lesson.pk)
    learning.check_course_completion(learner, course)
    assert Certificate.objects.count() == 1


def test_no_certificate_before_the_course_is_complete(make_learner, make_course):
    learner = make_learner()
    course = make_course(lessons=2)
    learning.enrol(learner, course)
    learning.record_lesson_complete(learner, course.lessons().first().pk)
    assert not Certificate.objects.exists()


def test_a_failure_while_issuing_rolls_the_completion_back(
    make_learner, make_course, monkeypatch
):
    learner = make_learner()
    course = make_course(lessons=1)
    learning.enrol(learner, course)

    def broken_signing(payload):
        raise RuntimeError("key store unavailable")

    monkeypatch.setattr(services.keyring(), "sign", broken_signing)
    with pytest.raises(RuntimeError):
        learning.record_lesson_complete(learner, course.lessons().first().pk)
    enrolment = learner.enrolments.get()
    assert enrolment.completed_at is None
    assert not Certificate.objects.exists()


def test_programme_template_is_used_for_its_courses_in_every_language(
    make_learner, make_course, complete_course
):
    from certificates.models import CertificateTemplate

    course = make_course(lessons=1)
    programme = course.get_parent().specific
    CertificateTemplate.objects.create(
        name="NTTP", programme=programme, issuer_en="NTTP Board", issuer_ur="بورڈ"
    )
    urdu_programme = authoring.translate_page(programme, "ur", title="پروگرام")
    assert services.template_for_programme(urdu_programme).name == "NTTP"
    complete_course(make_learner(), course)
    assert Certificate.objects.get().issuer_en == "NTTP Board"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_completions_make_exactly_one_certificate(
    make_learner, make_course
):
    learner = make_learner()
    course = make_course(lessons=2)
    first, last = list(course.lessons())
    learning.enrol(learner, course)
    learning.record_lesson_complete(learner, first.pk)
    barrier = threading.Barrier(50)
    errors = []

    def complete():
        try:
            barrier.wait()
            learning.record_lesson_complete(learner, last.pk)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Certificate.objects.filter(user=learner, course=course).count() == 1
    assert CertificateEvent.objects.filter(action="issued").count() == 1
