"""Question-bank files: which parser a file needs, and questions back out.

Parsing and writing are ``courses.quiz_formats``; this module only connects them
to the models. Saving is ``authoring.import_questions``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Question, QuestionCategory
from ..quiz_formats import (
    MatchPair,
    NumericAnswer,
    ParsedBank,
    ParsedChoice,
    ParsedQuestion,
    QuestionFormatError,
    QuestionKind,
    TextAnswer,
    TextFormat,
    category_parts,
    decode_text,
    fill,
    moodle_category_path,
    parse_csv,
    read_gift,
    read_moodle_xml,
    to_gift,
    to_moodle_xml,
)
from . import question_images

FORMATS = {".gift": "gift", ".txt": "gift", ".xml": "xml", ".csv": "csv"}


def format_for(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in FORMATS:
        raise QuestionFormatError(
            fill(
                _('"%(name)s" is not a question file: use .gift, .xml or .csv'),
                {"name": suffix or filename},
            )
        )
    return FORMATS[suffix]


def read_file(filename: str, data: bytes) -> ParsedBank:
    """The file's questions and its unsupported ones, or QuestionFormatError
    naming the first fault."""
    kind = format_for(filename)
    if kind == "xml":
        return read_moodle_xml(data)
    text = decode_text(data)
    return read_gift(text) if kind == "gift" else ParsedBank(parse_csv(text))


def as_parsed(question: Question) -> ParsedQuestion:
    options = list(question.options.all())
    parsed = ParsedQuestion(
        kind=QuestionKind(question.kind),
        name=question.name,
        text=question.text,
        text_format=TextFormat(question.text_format),
        feedback_correct=question.feedback_correct,
        feedback_partial=question.feedback_partial,
        feedback_incorrect=question.feedback_incorrect,
        general_feedback=question.general_feedback,
        category=moodle_category_path(question.category.name),
        default_mark=question.points.normalize(),
        response_lines=question.response_lines,
        response_template=question.response_template,
        grader_info=question.grader_info,
        partial_credit=question.partial_credit,
        hints=list(question.hints),
        penalty=question.penalty.normalize(),
        case_sensitive=question.case_sensitive,
        shuffle_answers=question.shuffle_answers,
        idnumber=question.idnumber,
        tags=list(question.tags),
        files=question_images.files_of(question),
    )
    if question.kind == Question.Kind.NUMERIC:
        parsed.numeric_answers = [
            NumericAnswer(
                o.value.normalize(),
                o.tolerance.normalize(),
                o.fraction.normalize(),
                o.feedback,
            )
            for o in options
            if o.value is not None
        ]
    elif question.kind == Question.Kind.SHORT_TEXT:
        parsed.text_answers = [
            TextAnswer(o.text, o.fraction.normalize(), o.feedback) for o in options
        ]
    elif question.kind == Question.Kind.MATCHING:
        parsed.pairs = [MatchPair(o.text, o.match_text) for o in options]
    elif question.kind in (
        Question.Kind.ESSAY,
        Question.Kind.DESCRIPTION,
        Question.Kind.CLOZE,
    ):
        pass
    else:
        parsed.choices = [
            ParsedChoice(o.text, o.fraction.normalize(), o.feedback) for o in options
        ]
    return parsed


def as_parsed_fields(fields: dict, answers: list[dict]) -> ParsedQuestion:
    """A question and its answers as the admin form holds them, for validation."""
    from decimal import Decimal

    kind = fields.get("kind") or Question.Kind.SINGLE_CHOICE
    parsed = ParsedQuestion(
        kind=QuestionKind(kind),
        name=fields.get("name") or "",
        text=fields.get("text") or "",
        default_mark=fields.get("points") or Decimal(0),
    )
    for answer in answers:
        fraction = answer.get("fraction") or Decimal(0)
        feedback = answer.get("feedback") or ""
        if kind == Question.Kind.NUMERIC:
            if answer.get("value") is None:
                raise QuestionFormatError(_("a numeric answer needs a number"))
            parsed.numeric_answers.append(
                NumericAnswer(
                    answer["value"], answer.get("tolerance") or 0, fraction, feedback
                )
            )
        elif kind == Question.Kind.SHORT_TEXT:
            parsed.text_answers.append(
                TextAnswer(answer.get("text") or "", fraction, feedback)
            )
        elif kind == Question.Kind.MATCHING:
            parsed.pairs.append(
                MatchPair(answer.get("text") or "", answer.get("match_text") or "")
            )
        else:
            parsed.choices.append(
                ParsedChoice(answer.get("text") or "", fraction, feedback)
            )
    return parsed


def bank_questions(category: QuestionCategory, language: str | None = None):
    """The questions of ``category`` and of its subcategories, parents first."""
    questions = (
        Question.objects.filter(
            Q(category=category)
            | Q(
                category__course=category.course_id,
                category__programme=category.programme_id,
                category__name__startswith=category.name + "/",
            )
        )
        .select_related("category", "locale")
        .prefetch_related("options", "images__image")
        .order_by("category__name", "pk")
    )
    if language:
        questions = questions.filter(locale__language_code=language)
    return questions


def export_bank(questions: Iterable[Question], file_format: str) -> bytes:
    """The questions as a GIFT or Moodle XML file, which imports back the same.

    In GIFT, what its syntax cannot hold goes in comments (``gift_extras``).
    """
    questions = list(questions)
    parsed = [as_parsed(question) for question in questions]
    if file_format == "gift":
        return to_gift(parsed, _descriptions(questions)).encode("utf-8")
    return to_moodle_xml(parsed, _descriptions(questions))


def _descriptions(questions: list[Question]) -> dict[str, str]:
    """Category descriptions by Moodle path, for the categories exported and
    their parents (one query)."""
    names: set[str] = set()
    owners = set()
    for question in questions:
        parts = category_parts(question.category.name)
        names.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
        owners.add((question.category.course_id, question.category.programme_id))
    described = QuestionCategory.objects.filter(
        name__in=names, course__in={course for course, _p in owners if course}
    ) | QuestionCategory.objects.filter(
        name__in=names,
        programme__in={programme for _c, programme in owners if programme},
    )
    return {
        moodle_category_path(category.name): category.description
        for category in described.exclude(description="")
    }
