"""manage.py export_course <slug> FILE: a course, in every language, as one package."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.management.arguments import course_by_slug
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
