"""Which failures of a background task are passing, and how often to try again.

django-tasks runs a task once and records it as failed when it raises; it has
no retries. Each task declares beside itself which exceptions mean "the world
was not ready" (a database, storage or mail server that is down, fonts not yet
installed)::

    @retried(*DATABASE_FAULTS, *STORAGE_FAULTS)
    @task()
    def make_certificate_pdf(certificate_id: int) -> str: ...

The worker (``manage.py db_worker``, see ``worker.py``) then queues a task that
failed for one of those reasons again after 1, 2, 4, 8 … times
``TASK_RETRY_BASE_SECONDS``, up to ``attempts`` tries in all. A task whose
worker died is tried again in the same way, whatever its exceptions. Every
task must therefore be safe to run twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError
from botocore.exceptions import ClientError as StorageClientError
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django_tasks.base import Task

# The database went away or refused the connection.
DATABASE_FAULTS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
# Sockets, SMTP (every smtplib error is an OSError) and local files.
NETWORK_FAULTS: tuple[type[BaseException], ...] = (OSError,)
# S3-compatible storage that does not answer or answers with an error.
STORAGE_FAULTS: tuple[type[BaseException], ...] = (
    BotoCoreError,
    StorageClientError,
    OSError,
)

DEFAULT_ATTEMPTS = 6

AnyTask = TypeVar("AnyTask", bound=Task[Any, Any])


@dataclass(frozen=True)
class RetryPolicy:
    """How a task is retried: the passing exceptions and the number of tries."""

    passing: tuple[type[BaseException], ...] = ()
    attempts: int = DEFAULT_ATTEMPTS

    def is_passing(self, exception_class: type[BaseException] | None) -> bool:
        return exception_class is not None and issubclass(exception_class, self.passing)

    def may_try_again(self, attempts_made: int) -> bool:
        return attempts_made < self.attempts

    def delay(self, attempts_made: int) -> datetime.timedelta:
        """Wait before try ``attempts_made + 1``: base, 2 × base, 4 × base …"""
        base = float(getattr(settings, "TASK_RETRY_BASE_SECONDS", 30))
        longest = float(getattr(settings, "TASK_RETRY_MAX_SECONDS", 3600))
        seconds = min(base * 2 ** max(attempts_made - 1, 0), longest)
        return datetime.timedelta(seconds=seconds)


# A task without a declared policy is not retried when it raises, but is run
# again (a few times) when its worker died under it.
WORKER_LOSS_ONLY = RetryPolicy(passing=(), attempts=3)

_policies: dict[str, RetryPolicy] = {}


def retried(
    *passing: type[BaseException], attempts: int = DEFAULT_ATTEMPTS
) -> Callable[[AnyTask], AnyTask]:
    """Declare that a task is tried again, with backoff, when it raises one of
    ``passing``, up to ``attempts`` tries in all. Put it above ``@task()``."""
    if attempts < 1:
        raise ValueError("A task needs at least one attempt.")

    def register(task: AnyTask) -> AnyTask:
        _policies[task.module_path] = RetryPolicy(tuple(passing), attempts)
        return task

    return register


def policy_for(task_path: str) -> RetryPolicy:
    """The policy declared for the task at ``task_path`` (its module path)."""
    return _policies.get(task_path, WORKER_LOSS_ONLY)
