"""(c) The S3 storage goes away while certificate PDFs are drawn: the PDF tasks
wait and are retried, and once it is back every certificate has its PDF,
stored once."""

import hashlib
from collections import Counter

import pytest
from django.core.files.storage import default_storage
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate, CertificateEvent
from certificates.tasks import make_certificate_pdf
from certificates.workshops import issue_workshop_certificates

from .conftest import attendee_csv, clock_moves_past_retries, work_off_queue

pytestmark = [pytest.mark.faults, pytest.mark.django_db]

ATTENDEES = 6


def pdf_tasks():
    return DBTaskResult.objects.filter(task_path=make_certificate_pdf.module_path)


def test_pdfs_are_stored_once_after_the_storage_was_down(
    settings, task_queue, flaky_s3, workshop
):
    issue_workshop_certificates(workshop, attendee_csv(ATTENDEES))
    assert pdf_tasks().count() == ATTENDEES

    flaky_s3.stop()
    settings.TASK_RETRY_BASE_SECONDS = 3600
    work_off_queue()

    assert not Certificate.objects.exclude(pdf="").exists()
    waiting = list(pdf_tasks())
    assert {task.status for task in waiting} == {TaskResultStatus.READY}
    assert {task.exception_class_path for task in waiting} == {
        "botocore.exceptions.EndpointConnectionError"
    }
    assert not CertificateEvent.objects.filter(
        action=CertificateEvent.Action.PDF_RENDERED
    ).exists()

    flaky_s3.start()
    settings.TASK_RETRY_BASE_SECONDS = 0
    clock_moves_past_retries()
    work_off_queue()

    assert {task.status for task in pdf_tasks()} == {TaskResultStatus.SUCCESSFUL}
    certificates = list(Certificate.objects.all())
    assert len(certificates) == ATTENDEES
    for certificate in certificates:
        with default_storage.open(certificate.pdf.name) as stored:
            data = stored.read()
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    rendered = Counter(
        CertificateEvent.objects.filter(
            action=CertificateEvent.Action.PDF_RENDERED
        ).values_list("certificate_id", flat=True)
    )
    assert rendered == Counter(certificate.pk for certificate in certificates)

    # Drawing again changes nothing: the PDF is stored once.
    first = certificates[0]
    assert make_certificate_pdf.call(first.pk) == first.pdf.name
    assert (
        CertificateEvent.objects.filter(
            certificate=first, action=CertificateEvent.Action.PDF_RENDERED
        ).count()
        == 1
    )
