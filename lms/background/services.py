"""Queueing tasks with the change they follow, and giving failed or lost tasks
back to the queue. Used by the worker, the failed tasks view and the apps."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import WorkerHeartbeat
from .retry import RetryPolicy, policy_for

logger = logging.getLogger(__name__)

WORKER_LOST = "lms.background.services.WorkerLost"


class WorkerLost(Exception):
    """The worker running a task died, or lost its database, before it could
    record how the task ended."""


def enqueue_with_change(
    task: Task[Any, Any], *args: Any, robust: bool = False, **kwargs: Any
) -> None:
    """Queue ``task`` so that it exists exactly when the current change commits.

    With the database backend the task's row is written in the same
    transaction as the change: both commit or neither does, so a process that
    dies after the commit cannot leave a certificate without its PDF or e-mail
    task. Other backends (the immediate one of the tests) queue it after commit.
    ``robust``: a task that cannot be queued after commit is logged, not raised.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
        return
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=robust)


def heartbeat_seconds() -> float:
    return float(getattr(settings, "TASK_WORKER_HEARTBEAT_SECONDS", 10))


def abandoned_after() -> datetime.timedelta:
    """A worker not heard from for three heartbeats is taken for dead."""
    return datetime.timedelta(seconds=3 * heartbeat_seconds())


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now()}
    )


def forget_worker(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _policy(result: DBTaskResult) -> RetryPolicy:
    try:
        import_string(result.task_path)  # the task module declares its policy
    except ImportError:
        pass
    return policy_for(result.task_path)


def _exception_class(result: DBTaskResult) -> type[BaseException] | None:
    try:
        found = import_string(result.exception_class_path)
    except ImportError:
        return None
    if isinstance(found, type) and issubclass(found, BaseException):
        return found
    return None


@transaction.atomic
def schedule_retry(result_id: str) -> bool:
    """After a task failed: queue it again later if its exception is passing
    and tries are left. The error stays on the row for staff to read until a
    try succeeds. Returns whether it was queued again."""
    result = (
        DBTaskResult.objects.select_for_update()
        .filter(pk=result_id, status=TaskResultStatus.FAILED)
        .first()
    )
    if result is None:
        return False
    policy = _policy(result)
    attempts_made = len(result.worker_ids)
    if not (
        policy.is_passing(_exception_class(result))
        and policy.may_try_again(attempts_made)
    ):
        return False
    result.status = TaskResultStatus.READY
    result.run_after = timezone.now() + policy.delay(attempts_made)
    result.finished_at = None
    result.save(update_fields=["status", "run_after", "finished_at"])
    logger.warning(
        "Task id=%s path=%s failed (%s), try %d of %d at %s",
        result.pk,
        result.task_path,
        result.exception_class_path,
        attempts_made + 1,
        policy.attempts,
        result.run_after.isoformat(),
    )
    return True


def _give_back(result: DBTaskResult, why: str) -> None:
    """A running task whose worker is gone: queue it again, or fail it for
    good once its tries are spent. The caller holds the row lock."""
    policy = _policy(result)
    attempts_made = len(result.worker_ids)
    now = timezone.now()
    result.exception_class_path = WORKER_LOST
    result.traceback = why
    if policy.may_try_again(attempts_made):
        result.status = TaskResultStatus.READY
        result.run_after = now + policy.delay(attempts_made)
        result.finished_at = None
    else:
        result.status = TaskResultStatus.FAILED
        result.finished_at = now
    result.save(
        update_fields=[
            "status",
            "run_after",
            "finished_at",
            "exception_class_path",
            "traceback",
        ]
    )
    logger.warning(
        "Task id=%s path=%s given back (%s): now %s",
        result.pk,
        result.task_path,
        why,
        result.status,
    )


def release_lost_results(result_ids: list[str]) -> None:
    """Tasks whose outcome this worker could not record (its database
    connection was lost): give back those still marked running, and retry
    those it marked failed but could not queue again."""
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(
            pk__in=result_ids, status=TaskResultStatus.RUNNING
        )
        for result in running:
            _give_back(result, "The worker lost its database connection.")
    for result_id in result_ids:
        schedule_retry(result_id)


@transaction.atomic
def release_abandoned_tasks(*, now: datetime.datetime | None = None) -> int:
    """Tasks left running by a worker that stopped beating (killed, or its
    machine gone): give them back to the queue. Returns how many."""
    stale_before = (now or timezone.now()) - abandoned_after()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=stale_before).values_list(
            "worker_id", flat=True
        )
    )
    candidates = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
        status=TaskResultStatus.RUNNING, started_at__lt=stale_before
    )
    count = 0
    for result in candidates:
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        _give_back(result, "The worker running the task stopped.")
        count += 1
    return count


@transaction.atomic
def retry_now(result_id: str) -> DBTaskResult:
    """Staff retry a failed task: queued at once, with a fresh set of tries."""
    result = DBTaskResult.objects.select_for_update().get(pk=result_id)
    if result.status != TaskResultStatus.FAILED:
        raise ValueError("Only a failed task can be retried.")
    result.status = TaskResultStatus.READY
    result.run_after = get_date_max()
    result.finished_at = None
    result.worker_ids = []
    result.save(update_fields=["status", "run_after", "finished_at", "worker_ids"])
    return result
