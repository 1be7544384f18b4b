"""Fixtures for the fault-injection suite: the real task queue and worker,
a real SMTP server that can refuse, a real S3 server that can go away.

Run alone with ``pytest -m faults``; the tests that kill a worker process or
cut its database connections need PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

import asyncio
import datetime
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

BASE_DIR = Path(django_settings.BASE_DIR)
# Waiting for a worker is bounded so that a broken recovery fails the test
# instead of hanging the suite; no assertion is made on how long things take.
PATIENCE_SECONDS = 180
WORKER_APPLICATION_NAME = "lms-faults-worker"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], what: str, poll: float = 0.2) -> None:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up waiting for {what}")
        time.sleep(poll)


# --- a real SMTP server on loopback -------------------------------------------


@dataclass
class Mailbox:
    """What the SMTP server accepted, and how many deliveries it will refuse."""

    refuse_next: int = 0
    refused: int = 0
    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd
        if self.refuse_next > 0:
            self.refuse_next -= 1
            self.refused += 1
            return "451 4.3.0 Mail server busy, try again later"
        self.messages.append(envelope)
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        return [address for message in self.messages for address in message.rcpt_tos]


class SmtpServer:
    """aiosmtpd on a fixed loopback port, which can be stopped and started."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self._controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(
            self.mailbox, hostname="127.0.0.1", port=self.port, ready_timeout=10
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A real SMTP server on loopback, not yet started; mail goes to it."""
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
    asyncio.set_event_loop(None)


# --- an S3 server of our own, which can go away ---------------------------------


class S3Server:
    """A moto S3 server on a fixed loopback port, which can be stopped and
    started again; its buckets live in moto's memory and survive a restart."""

    def __init__(self) -> None:
        self.port = free_port()
        self._server = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(
            ip_address="127.0.0.1", port=self.port, verbose=False
        )
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


@pytest.fixture
def flaky_s3(settings) -> Iterator[S3Server]:
    """Files go to an S3 server of this test's own, which the test may stop."""
    import boto3
    from botocore.config import Config

    server = S3Server()
    server.start()
    bucket = "lms-faults"
    boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": server.endpoint,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "us-east-1",
                "location": f"test-{uuid.uuid4().hex}",
                "default_acl": None,
                "file_overwrite": False,
                # One quick try per call: the task's own retry is under test.
                "client_config": Config(
                    retries={"max_attempts": 1, "mode": "standard"},
                    connect_timeout=2,
                    read_timeout=5,
                ),
            },
        },
    }
    yield server
    server.stop()


# --- the real task queue --------------------------------------------------------


@pytest.fixture
def task_queue(settings):
    """Tasks go to the database queue, as in production, instead of running
    at once; a failed try is retried as soon as a worker looks again."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RETRY_BASE_SECONDS = 0
    # The in-process worker's heartbeat thread stays asleep: these tests run
    # inside one transaction that another connection could not see.
    settings.TASK_WORKER_HEARTBEAT_SECONDS = 3600


def work_off_queue() -> None:
    """Run every task that is due, and the retries that come due meanwhile,
    in this process (the same worker class ``manage.py db_worker`` runs)."""
    from unittest import mock

    # The worker closes stale connections between tasks, as Django does
    # between requests; inside the test's transaction that would close the
    # test's own connection (PostgreSQL), so here, as for requests in tests,
    # it is left out.
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections"
    ):
        _run_worker()


def _run_worker() -> None:
    from lms.background.worker import FaultTolerantWorker

    FaultTolerantWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"test-{uuid.uuid4().hex[:12]}",
        excluded_queue_names=[],
    ).run()


def clock_moves_past_retries() -> int:
    """Make the retries that wait for later due now, as if the clock moved on."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, run_after__gt=timezone.now()
    ).update(run_after=timezone.now())


@pytest.fixture
def workshop(db):
    from certificates.models import CertificateTemplate, Workshop

    return Workshop.objects.create(
        slug="faults-workshop",
        title_en="Classroom assessment workshop",
        title_ur="کمرۂ جماعت میں جانچ ورکشاپ",
        held_on=datetime.date(2026, 11, 20),
        cpd_hours=Decimal("6"),
        template=CertificateTemplate.objects.get(name="Default"),
    )


def attendee_csv(count: int) -> str:
    rows = ["name_en,name_ur,email"]
    rows += [
        f"Attendee {n},شریک {n},attendee{n}@example.org" for n in range(1, count + 1)
    ]
    return "\n".join(rows) + "\n"


# --- a real worker process --------------------------------------------------------


class WorkerProcess:
    """``manage.py db_worker`` in a process of its own, against the test
    database, sending mail to the test's SMTP server."""

    def __init__(self, log_dir: Path, smtp_port: int, media_root: Path) -> None:
        self.log_dir = log_dir
        self.smtp_port = smtp_port
        self.media_root = media_root
        self.process: subprocess.Popen | None = None
        self.started = 0

    def environment(self) -> dict[str, str]:
        database = connection.settings_dict
        url = (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}"
            f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
            f"/{database['NAME']}"
        )
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "DATABASE_URL": url,
            "PGAPPNAME": WORKER_APPLICATION_NAME,
            "FAULTS_SMTP_PORT": str(self.smtp_port),
            "FAULTS_MEDIA_ROOT": str(self.media_root),
            "TASK_RETRY_BASE_SECONDS": "1",
            "TASK_RETRY_MAX_SECONDS": "4",
            "TASK_WORKER_HEARTBEAT_SECONDS": "1",
        }

    def start(self) -> None:
        self.started += 1
        log = open(self.log_dir / f"worker-{self.started}.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - our own manage.py
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
            ],
            cwd=BASE_DIR,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no clean-up, as when a machine loses power."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")[-4000:]
            for path in sorted(self.log_dir.glob("worker-*.log"))
        )


@pytest.fixture
def worker_process(settings, tmp_path, smtp_server) -> Iterator[WorkerProcess]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = WorkerProcess(tmp_path, smtp_server.port, Path(settings.MEDIA_ROOT))
    yield worker
    worker.stop()


needs_postgresql = pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL through DATABASE_URL (a worker process shares the "
    "test database, and connections are cut with pg_terminate_backend)",
)
