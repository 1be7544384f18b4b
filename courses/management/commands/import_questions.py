"""manage.py import_questions --course <slug> FILE: a question bank into a course.

The format comes from the extension (.gift, .xml, .csv). A bad file imports
nothing: the command names the line or question at fault and exits with 1.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from courses.models import CoursePage
from courses.quiz_formats import QuestionFormatError
from courses.quizzes import authoring, banks


class Command(BaseCommand):
    help = "Import a GIFT, Moodle XML or CSV question bank into a course."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--course", required=True, help="the course's slug")
        parser.add_argument(
            "--category",
            default="",
            help="put every question here (default: the categories in the file)",
        )
        parser.add_argument(
            "--language",
            default="",
            help="language of the questions (default: the course's language)",
        )

    def handle(self, *args, **options):
        course = _course(options["course"])
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            parsed = banks.parse_file(path.name, data)
            category = (
                authoring.category_for(course, "", options["category"])
                if options["category"]
                else None
            )
            saved = authoring.import_questions(
                course, parsed, category, options["language"] or None
            )
        except QuestionFormatError as error:
            raise CommandError(f"{path.name}: {error}. Nothing was imported.") from None
        except Locale.DoesNotExist:
            raise CommandError(
                f'"{options["language"]}" is not a content language.'
            ) from None
        self.stdout.write(f"{len(saved)} questions imported into {course.title}.")


def _course(slug: str) -> CoursePage:
    courses = list(CoursePage.objects.filter(slug=slug).select_related("locale"))
    if not courses:
        raise CommandError(f'No course has the slug "{slug}".')
    default = Locale.get_default()
    originals = [c for c in courses if c.locale_id == default.pk] or courses
    if len({c.translation_key for c in originals}) > 1:
        raise CommandError(f'Several courses have the slug "{slug}".')
    return originals[0]
