"""Queue reminders for tomorrow's event sessions (run once a day, e.g. from cron)."""

from django.core.management.base import BaseCommand

from events.messages import queue_session_reminders


class Command(BaseCommand):
    help = "Queue a reminder for every place at a session that starts tomorrow."

    def handle(self, *args, **options):
        count = queue_session_reminders()
        self.stdout.write(f"{count} reminders queued.")
