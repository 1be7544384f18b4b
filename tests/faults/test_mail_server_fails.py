"""(d) The mail server is down, then refuses, then accepts: every attendee's
mail is delivered exactly once, by the real worker through real SMTP."""

from collections import Counter

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate, CertificateEvent
from certificates.tasks import email_certificate
from certificates.workshops import issue_workshop_certificates

from .conftest import attendee_csv, clock_moves_past_retries, work_off_queue

pytestmark = [pytest.mark.faults, pytest.mark.django_db]

ATTENDEES = 8


def mail_tasks():
    return DBTaskResult.objects.filter(task_path=email_certificate.module_path)


def test_each_mail_is_delivered_once_after_the_mail_server_was_down_then_refused(
    settings, task_queue, smtp_server, workshop
):
    issue_workshop_certificates(workshop, attendee_csv(ATTENDEES))
    assert mail_tasks().count() == ATTENDEES  # queued with the certificates

    # The mail server is down: each mail fails once and waits for an hour.
    settings.TASK_RETRY_BASE_SECONDS = 3600
    work_off_queue()
    waiting = list(mail_tasks())
    assert {task.status for task in waiting} == {TaskResultStatus.READY}
    assert {task.exception_class_path for task in waiting} == {
        "builtins.ConnectionRefusedError"
    }
    assert {len(task.worker_ids) for task in waiting} == {1}
    assert not CertificateEvent.objects.filter(
        action=CertificateEvent.Action.EMAILED
    ).exists()

    # It comes back but turns the first five deliveries away (451), which are
    # retried at once; then it accepts.
    smtp_server.start()
    smtp_server.mailbox.refuse_next = 5
    settings.TASK_RETRY_BASE_SECONDS = 0
    clock_moves_past_retries()
    work_off_queue()

    assert smtp_server.mailbox.refused == 5
    delivered = Counter(smtp_server.mailbox.recipients())
    assert delivered == Counter(
        f"attendee{n}@example.org" for n in range(1, ATTENDEES + 1)
    )
    assert {task.status for task in mail_tasks()} == {TaskResultStatus.SUCCESSFUL}
    assert sum(len(task.worker_ids) for task in mail_tasks()) == 2 * ATTENDEES + 5
    emailed = Counter(
        CertificateEvent.objects.filter(
            action=CertificateEvent.Action.EMAILED
        ).values_list("certificate_id", flat=True)
    )
    assert emailed == Counter(Certificate.objects.values_list("pk", flat=True))

    # A second run of a task that already sent its mail sends nothing.
    certificate = Certificate.objects.first()
    assert email_certificate.call(certificate.pk) == certificate.email
    assert len(smtp_server.mailbox.messages) == ATTENDEES


def test_a_mail_server_that_never_answers_fails_the_task_after_its_tries(
    settings, task_queue, smtp_server, workshop
):
    issue_workshop_certificates(workshop, attendee_csv(1))

    work_off_queue()  # retries come due at once, until the tries are spent

    task = mail_tasks().get()
    assert task.status == TaskResultStatus.FAILED
    assert len(task.worker_ids) == 6
    assert task.exception_class_path == "builtins.ConnectionRefusedError"
    assert not CertificateEvent.objects.filter(
        action=CertificateEvent.Action.EMAILED
    ).exists()
