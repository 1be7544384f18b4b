"""manage.py export_course <slug> FILE: a course, in every language, as one package."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from courses.models import CoursePage
from courses.packages import export_course


class Command(BaseCommand):
    help = (
        "Write a course with its translations, question bank, quizzes, images, "
        "documents and H5P activities to one course package (.zip)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the course's slug")
        parser.add_argument("file", type=Path, help="where to write the package")

    def handle(self, *args, **options):
        course = course_by_slug(options["slug"])
        data = export_course(course)
        path: Path = options["file"]
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        self.stdout.write(f"{course.title}: {len(data):,} bytes written to {path}.")


def course_by_slug(slug: str) -> CoursePage:
    """The course with this slug, in the default language when it is translated."""
    courses = list(CoursePage.objects.filter(slug=slug).select_related("locale"))
    if not courses:
        raise CommandError(f'No course has the slug "{slug}".')
    default = Locale.get_default()
    originals = [c for c in courses if c.locale_id == default.pk] or courses
    if len({c.translation_key for c in originals}) > 1:
        raise CommandError(f'Several courses have the slug "{slug}".')
    return originals[0]
