"""(a) A worker process killed in the middle of a 500-row workshop issue, and
(b) the worker's database connections cut again and again under load: once a
worker runs again, every attendee holds exactly one certificate, with its PDF,
and got exactly one e-mail.

Both run real ``manage.py db_worker`` processes against the PostgreSQL test
database. The shared PostgreSQL server is never stopped: (b) cuts the worker's
own sessions with ``pg_terminate_backend`` and, for a moment, refuses new
connections to the test database alone (``ALLOW_CONNECTIONS false``)."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate, CertificateEvent, WorkshopIssueRun
from certificates.tasks import run_workshop_issue
from certificates.workshops import start_issue_run

from .conftest import (
    WORKER_APPLICATION_NAME,
    attendee_csv,
    needs_postgresql,
    wait_until,
)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.postgres,
    needs_postgresql,
    # Transactional: the worker process must see what the test commits.
    pytest.mark.django_db(transaction=True),
]


def issued(workshop) -> int:
    return Certificate.objects.filter(workshop=workshop).count()


def events(action: str) -> Counter:
    return Counter(
        CertificateEvent.objects.filter(action=action).values_list(
            "certificate_id", flat=True
        )
    )


def all_done(workshop, mailbox, attendees: int) -> bool:
    return (
        issued(workshop) == attendees
        and len(events(CertificateEvent.Action.PDF_RENDERED)) == attendees
        and len(mailbox.messages) >= attendees
        and not DBTaskResult.objects.exclude(
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
        ).exists()
    )


def assert_each_attendee_served_once(workshop, mailbox, attendees: int) -> None:
    certificates = list(Certificate.objects.filter(workshop=workshop))
    emails = [f"attendee{n}@example.org" for n in range(1, attendees + 1)]
    # One certificate per attendee, none twice.
    assert sorted(c.email for c in certificates) == sorted(emails)
    # Each has its PDF, drawn and stored once.
    media = Path(settings.MEDIA_ROOT)
    for certificate in certificates:
        data = (media / certificate.pdf.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    pks = Counter(c.pk for c in certificates)
    assert events(CertificateEvent.Action.PDF_RENDERED) == pks
    # Each got one e-mail: recorded once, and delivered once by the SMTP server.
    assert events(CertificateEvent.Action.EMAILED) == pks
    assert Counter(mailbox.recipients()) == Counter(emails)
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()
    run = WorkshopIssueRun.objects.get()
    assert run.state == WorkshopIssueRun.State.FINISHED
    assert run.problems == []


def test_worker_killed_in_the_middle_of_a_500_row_issue_loses_and_doubles_nothing(
    workshop, smtp_server, worker_process
):
    attendees = 500
    smtp_server.start()
    start_issue_run(
        workshop,
        attendee_csv(attendees).encode(),
        file_name="attendees.csv",
        actor=None,
    )
    worker_process.start()
    wait_until(lambda: issued(workshop) >= 120, "the worker to be well into the list")

    worker_process.kill()

    part = issued(workshop)
    assert part < attendees, "the worker finished before it could be killed"
    run_task = DBTaskResult.objects.get(task_path=run_workshop_issue.module_path)
    assert run_task.status == TaskResultStatus.RUNNING  # left behind by the dead

    worker_process.start()  # a new worker takes the abandoned task up again
    wait_until(
        lambda: all_done(workshop, smtp_server.mailbox, attendees),
        f"every attendee served\n{worker_process.log()}",
    )

    assert_each_attendee_served_once(workshop, smtp_server.mailbox, attendees)
    run_task.refresh_from_db()
    assert run_task.status == TaskResultStatus.SUCCESSFUL
    assert len(run_task.worker_ids) == 2  # tried by the dead worker and the new


def cut_worker_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [WORKER_APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


def allow_connections(allowed: bool) -> None:
    """Let new sessions into the test database, or not (only its own)."""
    import psycopg

    database = connection.settings_dict
    name = connection.ops.quote_name(database["NAME"])
    # A database cannot close its doors from inside: ask from the server's
    # maintenance database.
    with psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {allowed}")


def test_database_connections_cut_under_load_lose_and_double_nothing(
    workshop, smtp_server, worker_process
):
    attendees = 150
    smtp_server.start()
    start_issue_run(
        workshop,
        attendee_csv(attendees).encode(),
        file_name="attendees.csv",
        actor=None,
    )
    worker_process.start()
    cuts = 0
    try:
        # While issuing, while drawing PDFs, while sending mail.
        for phase in (
            lambda: issued(workshop) >= 40,
            lambda: issued(workshop) >= 110,
            lambda: len(events(CertificateEvent.Action.PDF_RENDERED)) >= 30,
            lambda: len(smtp_server.mailbox.messages) >= 30,
        ):
            wait_until(phase, f"the next phase of the run\n{worker_process.log()}")
            # The database "goes down" for the worker: its sessions are cut
            # and, for a moment, it cannot connect again.
            allow_connections(False)
            cuts += cut_worker_connections()
            time.sleep(1.5)
            allow_connections(True)
    finally:
        allow_connections(True)

    assert cuts >= 4
    wait_until(
        lambda: all_done(workshop, smtp_server.mailbox, attendees),
        f"every attendee served\n{worker_process.log()}",
    )
    assert worker_process.alive(), "the worker should outlive its database"
    assert_each_attendee_served_once(workshop, smtp_server.mailbox, attendees)
