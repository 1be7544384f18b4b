"""Real Moodle banks: Moodle's number precision, one import service, the preview."""

from decimal import Decimal

import pytest
from django.utils import translation

from courses.models import AnswerOption, Question, QuestionCategory
from courses.quiz_formats import QuestionFormatError, parse_moodle_xml
from courses.quizzes import authoring

from .moodle_files import moodle_xml_bank

pytestmark = pytest.mark.django_db


def test_moodle_numbers_with_seven_decimals_are_stored_at_the_model_precision(
    make_course,
):
    course = make_course(lessons=1)
    saved = authoring.import_questions(
        course, parse_moodle_xml(moodle_xml_bank(supported_only=True))
    )
    assert len(saved) == 6
    single = Question.objects.get(name="Primes single")
    assert single.points == Decimal("1.00")
    fractions = sorted(
        AnswerOption.objects.filter(question__name="Primes multiple").values_list(
            "fraction", flat=True
        )
    )
    assert fractions == [Decimal(-1)] + [Decimal("0.3333333")] * 3
    pi = AnswerOption.objects.get(question__name="Pi")
    assert pi.value == Decimal("3.14") and pi.tolerance == Decimal("0.005")


def test_a_mark_too_large_names_the_field_and_question_and_saves_nothing(
    make_course,
):
    course = make_course(lessons=1)
    parsed = parse_moodle_xml(
        moodle_xml_bank(supported_only=True, grade="12345678.0000000")
    )
    with pytest.raises(QuestionFormatError) as error:
        authoring.import_questions(course, parsed)
    assert str(error.value) == (
        'question 1, "Primes single": points 12345678 is too large (at most 9999.99)'
    )
    with translation.override("ur"):
        urdu = str(error.value)
    assert "Primes single" in urdu and "پوائنٹس" in urdu and "points" not in urdu
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_a_model_rule_broken_after_rounding_names_the_field(make_course):
    course = make_course(lessons=1)
    parsed = parse_moodle_xml(moodle_xml_bank(supported_only=True, grade="0.001"))
    with pytest.raises(QuestionFormatError, match=r'"Primes single": points: '):
        authoring.import_questions(course, parsed)
    assert not Question.objects.exists()
