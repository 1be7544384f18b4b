"""Writes that build question banks and quizzes: import, translate, create.

The admin, ``manage.py import_questions``, the demo data and the tests all go
through these, each in one transaction: a bank is imported whole or not at all.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Locale

from ..models import (
    AnswerOption,
    CoursePage,
    Question,
    QuestionCategory,
    Quiz,
    QuizDrawRule,
)
from ..quiz_formats import (
    ParsedQuestion,
    QuestionFormatError,
    QuestionKind,
    validate_question,
)
from ..quiz_formats.questions import penalise_free_wrong_options
from .access import bank_categories

# Authoring ----------------------------------------------------------------


@transaction.atomic
def create_quiz(
    course: CoursePage,
    title: str,
    draw: list[tuple[QuestionCategory, int]],
    **rules: Any,
) -> Quiz:
    """A quiz drawing ``count`` questions from each category, as the admin saves it."""
    quiz = Quiz(course=course, title=title, **rules)
    quiz.full_clean()
    allowed = set(bank_categories(course.pk).values_list("pk", flat=True))
    for category, _count in draw:
        if category.pk not in allowed:
            raise ValidationError(
                _(
                    "A quiz draws questions only from its course's or its "
                    "programme's bank: “%(category)s” is not one of them."
                )
                % {"category": category}
            )
    quiz.save()
    for order, (category, count) in enumerate(draw):
        QuizDrawRule.objects.create(
            quiz=quiz, category=category, count=count, sort_order=order
        )
    return quiz


@transaction.atomic
def translate_question(
    question: Question,
    language: str,
    text: str,
    option_texts: list[str] | None = None,
    **feedback: str,
) -> Question:
    """Copy a question into another language with its answers, as
    wagtail-localize would, and replace its texts. Idempotent."""
    locale = Locale.objects.get(language_code=language)
    existing = question.get_translation_or_none(locale)
    if existing is not None:
        return existing
    translation = question.copy_for_translation(locale)
    translation.text = text
    for name, value in feedback.items():
        setattr(translation, name, value)
    translation.save()
    if option_texts is not None:
        options = list(translation.options.order_by("sort_order"))
        if len(options) != len(option_texts):
            raise ValueError("give one text for each answer")
        for option, option_text in zip(options, option_texts, strict=True):
            option.text = option_text
        AnswerOption.objects.bulk_update(options, ["text"])
    return translation


# Question banks -----------------------------------------------------------


def category_for(owner: CoursePage, path: str, fallback: str) -> QuestionCategory:
    name = _category_name(path) or fallback
    category, _created = QuestionCategory.objects.get_or_create(
        course=owner, name=name[:255]
    )
    return category


def _category_name(path: str) -> str:
    parts = [p for p in path.split("/") if p and p not in ("$course$", "$system$")]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(parts)


def import_questions(
    course: CoursePage,
    parsed: list[ParsedQuestion],
    category: QuestionCategory | None = None,
    language: str | None = None,
) -> list[Question]:
    """Save parsed questions to a course's bank in one transaction: all or none.

    Without ``category``, each question goes to the category its file named (or
    one named after the course).
    """
    locale = Locale.objects.get(language_code=language or course.locale.language_code)
    saved: list[Question] = []
    with transaction.atomic():
        for number, item in enumerate(parsed, start=1):
            try:
                validate_question(item)
                target = category or category_for(course, item.category, course.title)
                saved.append(_save_parsed(item, target, locale))
            except QuestionFormatError as error:
                raise error.located(question=item.name, number=number) from None
            except ValidationError as error:
                raise QuestionFormatError(
                    "; ".join(error.messages), question=item.name, number=number
                ) from None
    return saved


def _save_parsed(
    item: ParsedQuestion, category: QuestionCategory, locale: Locale
) -> Question:
    kind = QuestionKind(item.kind)
    multiple = kind == QuestionKind.MULTIPLE_CHOICE
    question = Question(
        category=category,
        locale=locale,
        kind=str(kind),
        name=item.name[:255],
        text=item.text,
        text_format=str(item.text_format),
        points=item.default_mark,
        partial_credit=multiple,
        feedback_correct=item.feedback_correct,
        feedback_partial=item.feedback_partial,
        feedback_incorrect=item.feedback_incorrect,
        general_feedback=item.general_feedback,
    )
    question.full_clean(exclude=["translation_key"])
    question.save()
    fractions = [c.fraction for c in item.choices]
    if multiple:
        # Files from Moodle may let wrong options weigh 0, so ticking everything
        # would pay; they get Moodle's usual penalty instead (negative weights in
        # the file are kept as they are).
        fractions = penalise_free_wrong_options(fractions)
    rows = [
        AnswerOption(question=question, text=c.text, fraction=f, feedback=c.feedback)
        for c, f in zip(item.choices, fractions, strict=True)
    ]
    rows += [
        AnswerOption(
            question=question,
            value=n.value,
            tolerance=n.tolerance,
            fraction=n.fraction,
            feedback=n.feedback,
        )
        for n in item.numeric_answers
    ]
    rows += [
        AnswerOption(
            question=question, text=t.text, fraction=t.fraction, feedback=t.feedback
        )
        for t in item.text_answers
    ]
    for order, row in enumerate(rows):
        row.sort_order = order
        row.full_clean(exclude=["question"])
    AnswerOption.objects.bulk_create(rows)
    return question
