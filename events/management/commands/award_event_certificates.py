"""Issue the certificates attendance has earned (run from cron every few
minutes, or after a session ends); tell those who fell short once the event's
last session is over."""

from django.core.management.base import BaseCommand

from events.attendance.awards import award_ended_sessions


class Command(BaseCommand):
    help = (
        "Issue certificates by attendance for events with a session ended in "
        "the last few days, and e-mail those who fell short what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="Look at events with a session ended in this many days (3).",
        )

    def handle(self, *args, **options):
        issued = award_ended_sessions(days=options["days"])
        self.stdout.write(f"{issued} certificates issued.")
