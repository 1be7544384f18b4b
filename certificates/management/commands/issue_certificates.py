"""Issue a workshop's certificates from an attendee CSV (name_en,name_ur,email)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Workshop
from certificates.workshops import (
    AttendeeListError,
    RowProblem,
    decode_upload,
    issue_workshop_certificates,
)


class Command(BaseCommand):
    help = "Issue certificates to a workshop's attendees; prints one line per row."

    def add_arguments(self, parser):
        parser.add_argument("--workshop", required=True, help="the workshop's slug")
        parser.add_argument("--csv", required=True, type=Path, help="attendee list")

    def handle(self, *args, workshop, csv, **options):
        found = Workshop.objects.filter(slug=workshop).first()
        if found is None:
            raise CommandError(f"No workshop has the slug {workshop!r}.")
        try:
            text = decode_upload(csv.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {csv}: {error.strerror}") from error
        except AttendeeListError as error:
            raise CommandError(str(error)) from error

        def report(result):
            if isinstance(result, RowProblem):
                self.stderr.write(f"line {result.line}: not issued: {result.message}")
            elif result.problem:
                self.stderr.write(f"line {result.line}: not issued: {result.problem}")
            else:
                what = "issued" if result.issued else "already issued"
                code = result.certificate.verification_code
                self.stdout.write(f"line {result.line}: {result.email} {code} {what}")

        try:
            outcomes, problems = issue_workshop_certificates(found, text, on_row=report)
        except AttendeeListError as error:
            raise CommandError(str(error)) from error
        issued = sum(1 for outcome in outcomes if outcome.issued)
        refused = sum(1 for outcome in outcomes if outcome.problem)
        held = len(outcomes) - issued - refused
        failed = len(problems) + refused
        self.stdout.write(f"{issued} issued, {held} already held, {failed} not issued")
        if failed:
            # The good rows are issued; the exit status tells scripts to look.
            raise CommandError(f"{failed} row(s) were not issued; see above.")
