"""django-tasks-db's worker, made to survive faults.

The stock worker runs a task once, stops for good when its database
connection breaks, and leaves the task it was running marked "running"
forever when it is killed. This one:

- queues a task that failed for a passing reason again, with backoff
  (``retry.py``);
- writes a heartbeat from a thread of its own and, on the same beat, gives back
  to the queue the tasks of workers that stopped beating (killed, machine lost);
- when its database connection breaks, waits for the database with backoff,
  gives back the task whose outcome it could not record, and carries on.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from . import services
from .retry import DATABASE_FAULTS

logger = logging.getLogger(__name__)

LONGEST_DATABASE_WAIT = 30.0


class Heartbeat(threading.Thread):
    """Tells the other workers this one is alive, and frees dead workers' tasks."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def beat_once(self) -> None:
        try:
            services.beat(self.worker_id)
            services.release_abandoned_tasks()
        except DATABASE_FAULTS as error:
            logger.warning("Heartbeat of worker %s failed: %s", self.worker_id, error)
            connection.close()

    def run(self) -> None:
        try:
            while not self.stopped.wait(services.heartbeat_seconds()):
                self.beat_once()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()


class FaultTolerantWorker(Worker):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.heartbeat = Heartbeat(self.worker_id)
        self.unrecorded: list[str] = []

    def run(self) -> None:
        # Beat once before taking any task, so no one takes this worker for dead.
        self.heartbeat.beat_once()
        self.heartbeat.start()
        try:
            while True:
                try:
                    super().run()
                    return
                except DATABASE_FAULTS as error:
                    logger.warning(
                        "Worker %s lost the database: %s", self.worker_id, error
                    )
                    self.wait_for_database()
        finally:
            self.heartbeat.stop()
            try:
                services.forget_worker(self.worker_id)
            except DATABASE_FAULTS:
                pass

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except DATABASE_FAULTS:
            # The task ended but its outcome could not be written.
            self.unrecorded.append(str(db_task_result.pk))
            raise
        if db_task_result.status == TaskResultStatus.FAILED:
            try:
                services.schedule_retry(str(db_task_result.pk))
            except DATABASE_FAULTS:
                self.unrecorded.append(str(db_task_result.pk))
                raise

    def wait_for_database(self) -> None:
        """Reconnect with backoff, then give back the tasks left unrecorded."""
        delay = 0.5
        while self.running:
            connection.close()
            time.sleep(delay)
            try:
                connection.ensure_connection()
                services.release_lost_results(self.unrecorded)
            except DATABASE_FAULTS as error:
                logger.warning("Database still away (%s); waiting %.1f s", error, delay)
                delay = min(delay * 2, LONGEST_DATABASE_WAIT)
                continue
            self.unrecorded.clear()
            return
