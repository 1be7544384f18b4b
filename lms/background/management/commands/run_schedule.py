"""Queue the periodic tasks when they fall due (see lms/background/schedule.py)."""

import time

from django.core.management.base import BaseCommand

from lms.background import schedule


class Command(BaseCommand):
    help = "Queue the scheduled tasks as they fall due (every 30 s, or --once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="tick once and stop (for cron)"
        )
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *args, once: bool, interval: float, **options):
        while True:
            for name in schedule.run_due():
                self.stdout.write(f"queued {name}")
            if once:
                return
            time.sleep(interval)
