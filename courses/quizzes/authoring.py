"""Writes that build question banks and quizzes: import, translate, create.

The admin, ``manage.py import_questions``, the demo data and the tests all go
through these, each in one transaction: a bank is imported whole or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
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
    category_parts,
    fill,
    validate_question,
)
from ..quiz_formats.questions import decimal_text, penalise_free_wrong_options
from . import question_images as images
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


def category_for(
    owner: CoursePage,
    path: str,
    fallback: str,
    descriptions: Mapping[str, str] | None = None,
) -> QuestionCategory:
    """The category at a Moodle ``path`` of the course's bank, made with its
    parents where missing; ``fallback`` names it when the path is empty.

    ``descriptions`` (by category name, ``Unit 1/Week 2``) are kept on the
    categories of the path that have none yet.
    """
    parts = category_parts(path) or [fallback.replace("/", "//")]
    category, name = None, ""
    for part in parts:
        name = f"{name}/{part}"[:255] if name else part[:255]
        category, _created = QuestionCategory.objects.get_or_create(
            course=owner, name=name, defaults={"parent": category}
        )
        description = (descriptions or {}).get(name, "")
        if description and not category.description:
            category.description = description
            category.save(update_fields=["description"])
    return category


def import_questions(
    course: CoursePage,
    parsed: list[ParsedQuestion],
    category: QuestionCategory | None = None,
    language: str | None = None,
    category_descriptions: Mapping[str, str] | None = None,
    stored_files: list[str] | None = None,
) -> list[Question]:
    """Save parsed questions to a course's bank in one transaction: all or none.

    Without ``category``, each question goes to the category its file named (or
    one named after the course), made with its parents and its description from
    ``category_descriptions`` where missing. Embedded images become Wagtail
    images in the programme's collection; the storage names of the files written
    are added to ``stored_files``, for the caller to delete if the transaction
    rolls back (a database rollback does not remove files).
    """
    locale = Locale.objects.get(language_code=language or course.locale.language_code)
    saved: list[Question] = []
    categories: dict[str, QuestionCategory] = {}
    descriptions = {
        "/".join(category_parts(path)): text
        for path, text in (category_descriptions or {}).items()
    }
    with transaction.atomic():
        for number, item in enumerate(parsed, start=1):
            try:
                validate_question(item)
                if category is None and item.category not in categories:
                    categories[item.category] = category_for(
                        course, item.category, course.title, descriptions
                    )
                target = category or categories[item.category]
                question = _save_parsed(item, target, locale)
                if item.files:
                    images.save(question, item, course, stored_files)
                saved.append(question)
            except QuestionFormatError as error:
                raise error.located(question=item.name, number=number) from None
            except ValidationError as error:
                raise QuestionFormatError(
                    "; ".join(error.messages), question=item.name, number=number
                ) from None
    return saved


def stored_decimal(
    value: Decimal | int | float, model: type[models.Model], field: str
) -> Decimal:
    """``value`` rounded to the places ``model.field`` keeps, as the database would.

    Moodle writes every number with 7 decimals (``<defaultgrade>1.0000000``,
    ``fraction="33.33333"``); rounding first keeps the digit-count validator for
    numbers that are really too large, and names the field in that case.
    """
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    model_field = model._meta.get_field(field)
    places = Decimal(1).scaleb(-model_field.decimal_places)
    rounded = value.quantize(places, rounding=ROUND_HALF_UP)
    whole_digits = model_field.max_digits - model_field.decimal_places
    if abs(rounded) >= Decimal(10) ** whole_digits:
        raise QuestionFormatError(
            fill(
                _("%(field)s %(value)s is too large (at most %(largest)s)"),
                {
                    "field": model_field.verbose_name,
                    "value": decimal_text(value),
                    "largest": decimal_text(Decimal(10) ** whole_digits - places),
                },
            )
        )
    return rounded


def _checked(instance: models.Model, exclude: list[str]) -> None:
    """``full_clean``, with each fault after the name of its field."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        parts = [
            f"{instance._meta.get_field(name).verbose_name}: {message}"
            if name != NON_FIELD_ERRORS
            else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise QuestionFormatError("; ".join(parts)) from None


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
        points=stored_decimal(item.default_mark, Question, "points"),
        partial_credit=multiple and item.partial_credit,
        feedback_correct=item.feedback_correct,
        feedback_partial=item.feedback_partial,
        feedback_incorrect=item.feedback_incorrect,
        general_feedback=item.general_feedback,
        response_lines=item.response_lines,
        response_template=item.response_template,
        grader_info=item.grader_info,
        hints=list(item.hints),
        penalty=stored_decimal(item.penalty, Question, "penalty"),
        case_sensitive=item.case_sensitive,
        shuffle_answers=item.shuffle_answers,
        idnumber=item.idnumber,
        tags=list(item.tags),
    )
    _checked(question, exclude=["translation_key"])
    question.save()
    fractions = [c.fraction for c in item.choices]
    if question.partial_credit:
        # Files from Moodle may let wrong options weigh 0, so ticking everything
        # would pay; they get Moodle's usual penalty instead (negative weights in
        # the file are kept as they are).
        fractions = penalise_free_wrong_options(fractions)
    rows = [
        AnswerOption(
            question=question,
            text=c.text,
            fraction=stored_decimal(f, AnswerOption, "fraction"),
            feedback=c.feedback,
        )
        for c, f in zip(item.choices, fractions, strict=True)
    ]
    rows += [
        AnswerOption(
            question=question,
            value=stored_decimal(n.value, AnswerOption, "value"),
            tolerance=stored_decimal(n.tolerance, AnswerOption, "tolerance"),
            fraction=stored_decimal(n.fraction, AnswerOption, "fraction"),
            feedback=n.feedback,
        )
        for n in item.numeric_answers
    ]
    rows += [
        AnswerOption(
            question=question,
            text=t.text,
            fraction=stored_decimal(t.fraction, AnswerOption, "fraction"),
            feedback=t.feedback,
        )
        for t in item.text_answers
    ]
    rows += [
        AnswerOption(question=question, text=p.text, match_text=p.answer)
        for p in item.pairs
    ]
    for order, row in enumerate(rows):
        row.sort_order = order
        _checked(row, exclude=["question"])
    AnswerOption.objects.bulk_create(rows)
    return question
