"""Enrol a CSV or XLSX file of learners into a cohort through the same service
as the admin's upload, and print what happened to each row."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cohorts.bulk import enrolment
from cohorts.bulk.reading import LearnerFileError, problem_message
from cohorts.models import Cohort


class Command(BaseCommand):
    help = "Enrol the learners of a CSV or XLSX file into a cohort."

    def add_arguments(self, parser):
        parser.add_argument("cohort", type=int, help="the cohort's id")
        parser.add_argument("file", type=Path)

    def handle(self, *args, cohort: int, file: Path, **options):
        found = Cohort.objects.filter(pk=cohort).first()
        if found is None:
            raise CommandError(f"No cohort has the id {cohort}.")
        try:
            run = enrolment.start_enrolment_run(
                found, file.name, file.read_bytes(), actor=None
            )
        except (OSError, LearnerFileError) as error:
            raise CommandError(str(getattr(error, "message", error))) from error
        # The command works through the rows itself, now; the queued task then
        # finds the run finished and does nothing.
        run = enrolment.work_through(run.pk)
        for problem in run.problems:
            self.stderr.write(f"line {problem['line']}: {problem_message(problem)}")
        self.stdout.write(
            f"{run.total_rows} rows: {run.enrolled_count} enrolled, "
            f"{run.invited_count} invited, {run.skipped_count} already members, "
            f"{len(run.problems)} not enrolled."
        )
