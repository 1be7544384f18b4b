"""``manage.py db_worker``: django-tasks-db's worker with retries, heartbeats
and recovery from lost database connections (see ``lms/background/worker.py``).

This app comes before ``django_tasks_db`` in INSTALLED_APPS, so this command
replaces the stock one under the same name and options."""

from django_tasks_db.management.commands import db_worker

from lms.background.worker import FaultTolerantWorker


class Command(db_worker.Command):
    help = "Run a background task worker that retries, beats and recovers"

    def handle(self, *args, **options):
        # The stock handle() builds its worker from the module's ``Worker``;
        # lend it ours for this call rather than copy the option handling.
        original = db_worker.Worker
        db_worker.Worker = FaultTolerantWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
