"""manage.py import_questions --course <slug> FILE: a question bank into a course.

The format comes from the extension (.gift, .xml, .csv). A bad file imports
nothing: the command names the line or question at fault and exits with 1.
Questions of types the site does not import (essay, matching...) refuse the
file too, unless ``--skip-unsupported`` is given: then the rest are imported and
each skipped question is listed with its reason.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from courses.management.arguments import acting_user, course_by_slug
from courses.quiz_formats import QuestionFormatError, UnsupportedQuestion
from courses.quizzes import access, bank_import


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
            "--skip-unsupported",
            action="store_true",
            help="import the rest when some questions are of unsupported types",
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
            result = bank_import.import_bank(
                course,
                path.name,
                data,
                category=options["category"],
                language=options["language"] or None,
                skip_unsupported=options["skip_unsupported"],
            )
        except UnsupportedQuestion as error:
            raise CommandError(
                f"{path.name}: {error}. Nothing was imported; "
                "--skip-unsupported imports the other questions."
            ) from None
        except QuestionFormatError as error:
            raise CommandError(f"{path.name}: {error}. Nothing was imported.") from None
        except Locale.DoesNotExist:
            raise CommandError(
                f'"{options["language"]}" is not a content language.'
            ) from None
        for skipped in result.skipped:
            self.stdout.write(f"Skipped {skipped}")
        self.stdout.write(
            f"{len(result.saved)} questions imported into {course.title}."
        )
