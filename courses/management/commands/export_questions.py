"""manage.py export_questions --course <slug> [--category NAME] FILE.gift|FILE.xml"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from courses.management.arguments import course_by_slug
from courses.models import Question
from courses.quiz_formats import QuestionFormatError
from courses.quizzes import banks


class Command(BaseCommand):
    help = "Write a course's question bank as GIFT (.gift) or Moodle XML (.xml)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--course", required=True, help="the course's slug")
        parser.add_argument(
            "--category",
            default="",
            help="only this category and its subcategories (Unit 1/Week 2)",
        )
        parser.add_argument("--language", default="", help="only this language")

    def handle(self, *args, **options):
        course = course_by_slug(options["course"])
        path: Path = options["file"]
        file_format = {".gift": "gift", ".xml": "xml"}.get(path.suffix.lower())
        if file_format is None:
            raise CommandError("Name the file .gift or .xml.")
        questions = (
            Question.objects.filter(category__course=course)
            .select_related("category", "locale")
            .prefetch_related("options")
            .order_by("category__name", "pk")
        )
        if options["category"]:
            name = options["category"]
            questions = questions.filter(
                Q(category__name=name) | Q(category__name__startswith=name + "/")
            )
        if options["language"]:
            questions = questions.filter(locale__language_code=options["language"])
        questions = list(questions)
        if not questions:
            raise CommandError("No questions match.")
        try:
            path.write_bytes(banks.export_bank(questions, file_format))
        except QuestionFormatError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{len(questions)} questions written to {path}.")
