"""manage.py import_h5p FILE: the admin's H5P upload, from the command line."""

from django.core.management.base import BaseCommand, CommandError

from content.h5p import H5PValidationError
from content.scoping import all_programmes
from content.services import import_h5p_package, rejection_message


class Command(BaseCommand):
    help = (
        "Check an .h5p package and import it as an H5P activity; print the new "
        "activity's id. A refused package leaves nothing behind."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .h5p file")
        parser.add_argument(
            "--programme",
            default="",
            help="slug of the programme whose trainers may use it "
            "(default: none, administrators only)",
        )

    def handle(self, *args, **options):
        programme = None
        if options["programme"]:
            programme = all_programmes().filter(slug=options["programme"]).first()
            if programme is None:
                raise CommandError(
                    f'No programme has the slug "{options["programme"]}".'
                )
        try:
            package = open(options["file"], "rb")  # noqa: SIM115 - closed below
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        with package:
            try:
                activity = import_h5p_package(package, programme=programme)
            except H5PValidationError as error:
                raise CommandError(
                    f"Refused ({error.code}): {rejection_message(error)}"
                ) from error
        self.stdout.write(str(activity.pk))
