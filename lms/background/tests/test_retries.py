"""Retries with backoff, bounded tries, and tasks of dead workers given back."""

import datetime

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lms.accounts.tasks import send_welcome_email
from lms.background import services
from lms.background.models import WorkerHeartbeat
from lms.background.retry import RetryPolicy, policy_for, retried
from tests.faults.conftest import work_off_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RETRY_BASE_SECONDS = 30
    settings.TASK_RETRY_MAX_SECONDS = 3600
    settings.TASK_WORKER_HEARTBEAT_SECONDS = 3600


@pytest.fixture
def mail_server_down(settings):
    from tests.faults.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there


def test_backoff_doubles_from_the_base_up_to_the_longest_wait(settings):
    settings.TASK_RETRY_BASE_SECONDS = 30
    settings.TASK_RETRY_MAX_SECONDS = 200
    policy = RetryPolicy(passing=(OSError,), attempts=6)
    waits = [policy.delay(n).total_seconds() for n in range(1, 6)]
    assert waits == [30, 60, 120, 200, 200]
    assert policy.is_passing(ConnectionRefusedError)
    assert not policy.is_passing(ValueError)
    assert policy.may_try_again(5) and not policy.may_try_again(6)


def test_a_task_needs_at_least_one_attempt():
    with pytest.raises(ValueError, match="at least one attempt"):
        retried(OSError, attempts=0)


def test_tasks_declare_their_passing_failures_beside_them():
    policy = policy_for(send_welcome_email.module_path)
    assert policy.is_passing(ConnectionRefusedError)
    assert not policy.is_passing(LookupError)


def test_a_passing_failure_waits_with_backoff_and_keeps_its_error_visible(
    queue, make_learner, mail_server_down
):
    make_learner(email="welcome@example.org")
    before = timezone.now()

    work_off_queue()

    result = DBTaskResult.objects.get(task_path=send_welcome_email.module_path)
    assert result.status == TaskResultStatus.READY
    assert result.exception_class_path == "builtins.ConnectionRefusedError"
    assert "Connection refused" in result.traceback
    assert len(result.worker_ids) == 1
    assert result.run_after >= before + datetime.timedelta(seconds=30)
    assert result.run_after <= timezone.now() + datetime.timedelta(seconds=30)


def test_a_failure_that_is_not_passing_fails_at_once(queue):
    send_welcome_email.enqueue(user_id=999999)

    work_off_queue()

    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path.endswith("User.DoesNotExist")
    assert len(result.worker_ids) == 1


def test_the_welcome_mail_is_sent_once_however_often_the_task_runs(
    queue, make_learner, mailoutbox
):
    learner = make_learner(email="once@example.org")
    send_welcome_email.call(user_id=learner.pk)
    send_welcome_email.call(user_id=learner.pk)
    work_off_queue()  # the task registration queued runs too
    assert [message.to for message in mailoutbox] == [["once@example.org"]]
    learner.refresh_from_db()
    assert learner.welcome_email_sent_at is not None


def running_task(worker_id: str, started_minutes_ago: int) -> DBTaskResult:
    result = send_welcome_email.enqueue(user_id=1).db_result
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    )
    return result


def test_a_task_left_running_by_a_dead_worker_is_given_back(queue, settings):
    settings.TASK_WORKER_HEARTBEAT_SECONDS = 10
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=long_ago)
    WorkerHeartbeat.objects.create(worker_id="alive", seen_at=timezone.now())
    abandoned = running_task("dead", started_minutes_ago=5)
    busy = running_task("alive", started_minutes_ago=5)
    just_taken = running_task("unknown", started_minutes_ago=0)

    assert services.release_abandoned_tasks() == 1

    abandoned.refresh_from_db()
    assert abandoned.status == TaskResultStatus.READY
    assert abandoned.exception_class_path == services.WORKER_LOST
    for result in (busy, just_taken):
        result.refresh_from_db()
        assert result.status == TaskResultStatus.RUNNING


def test_a_task_whose_workers_keep_dying_fails_after_its_tries(queue, settings):
    settings.TASK_WORKER_HEARTBEAT_SECONDS = 10
    abandoned = running_task("dead", started_minutes_ago=5)
    DBTaskResult.objects.filter(pk=abandoned.pk).update(
        worker_ids=[f"dead-{n}" for n in range(6)]
    )

    services.release_abandoned_tasks()

    abandoned.refresh_from_db()
    assert abandoned.status == TaskResultStatus.FAILED
    assert abandoned.exception_class_path == services.WORKER_LOST
