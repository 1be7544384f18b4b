"""manage.py import_course FILE --programme <slug>: a course package as a draft."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from courses.management.arguments import acting_user
from courses.models import CoursePage, ProgrammePage
from courses.packages import CoursePackageError, import_course_package
from courses.packages.admin_views import programmes_for_import


class Command(BaseCommand):
    help = (
        "Check a course package and import it as a draft course under a programme, "
        "in all its languages. A refused package creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the course package (.zip)")
        parser.add_argument("--programme", required=True, help="the programme's slug")
        parser.add_argument(
            "--user",
            default="",
            help="act for this account (e-mail): only its programmes",
        )

    def handle(self, *args, **options):
        programme = _programme(options["programme"])
        user = None
        if options["user"]:
            user = acting_user(options["user"])
            if not programmes_for_import(user).filter(pk=programme.pk).exists():
                raise CommandError(
                    f"{options['user']} may not add courses to {programme.title}. "
                    "Nothing was imported."
                )
        path: Path = options["file"]
        try:
            package = path.open("rb")
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        with package:
            try:
                course = import_course_package(package, programme, user)
            except CoursePackageError as error:
                raise CommandError(
                    f"Refused ({error.code}): {error.message} Nothing was imported."
                ) from None
        languages = ", ".join(
            sorted(
                CoursePage.objects.filter(
                    translation_key=course.translation_key
                ).values_list("locale__language_code", flat=True)
            )
        )
        self.stdout.write(
            f"Imported {course.title} ({languages}) as a draft: page {course.pk}."
        )


def _programme(slug: str) -> ProgrammePage:
    programmes = list(ProgrammePage.objects.filter(slug=slug))
    if not programmes:
        raise CommandError(f'No programme has the slug "{slug}".')
    default = Locale.get_default()
    originals = [p for p in programmes if p.locale_id == default.pk] or programmes
    return originals[0]
