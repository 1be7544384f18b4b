"""manage.py import_questions --course <slug> FILE: a question bank into a course.

The format comes from the extension (.gift, .xml, .csv). A bad file imports
nothing: the command names the line or question at fault and exits with 1.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from courses.management.arguments import acting_user, course_by_slug
from courses.quiz_formats import QuestionFormatError
from courses.quizzes import access, authoring, banks


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
        parser.add_argument(
            "--user",
            default="",
            help="act for this account (e-mail): only its programmes' courses",
        )

    def handle(self, *args, **options):
        course = course_by_slug(options["course"])
        if options["user"]:
            user = acting_user(options["user"])
            if not access.editable_courses(user).filter(pk=course.pk).exists():
                raise CommandError(
                    f"{options['user']} may not edit {course.title}. "
                    "Nothing was imported."
                )
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
