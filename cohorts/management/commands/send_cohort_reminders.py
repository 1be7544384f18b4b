"""Queue today's cohort reminders by hand (the schedule queues the task daily)."""

from django.core.management.base import BaseCommand

from cohorts.messages import queue_due_reminders


class Command(BaseCommand):
    help = "Queue the reminders each cohort's rules call for today."

    def handle(self, *args, **options):
        count = queue_due_reminders()
        self.stdout.write(f"{count} reminders queued.")
