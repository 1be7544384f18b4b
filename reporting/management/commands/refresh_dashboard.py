"""Refresh the dashboard's summaries and rollups now (the schedule queues it)."""

from django.core.management.base import BaseCommand

from reporting.summaries import refresh_summaries


class Command(BaseCommand):
    help = "Refresh the programme dashboard's summary rows."

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="Rebuild every row (after profiles moved district, for example).",
        )

    def handle(self, *args, full: bool = False, **options):
        result = refresh_summaries(full=full)
        kind = "full" if result.full else "changed only"
        self.stdout.write(f"{result.refreshed} enrolment summaries refreshed ({kind}).")
