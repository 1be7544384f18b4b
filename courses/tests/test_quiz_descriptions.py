"""Descriptions: text shown between questions, never graded or counted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses import services
from courses.models import Question, QuestionResponse
from courses.quiz_formats import QuestionKind, parse_gift, to_gift
from courses.quizzes import authoring, bank_import
from courses.quizzes import services as quizzes

from .conftest import right_answers
from .moodle_files import moodle_xml_bank

pytestmark = pytest.mark.django_db

CASE = """\
$CATEGORY: $course$/top/Case

::Case study::A teacher has forty pupils and one book.

::Q1::Group work helps here.{T}

::Q2::Reading aloud wastes time.{F}

::Q3::Pairs can share a book.{T}
"""


def test_a_gift_block_without_answers_is_a_description_and_writes_back():
    description, *_questions = parse_gift(CASE)
    assert description.kind == QuestionKind.DESCRIPTION
    assert description.text == "A teacher has forty pupils and one book."
    assert description.default_mark == 0
    assert parse_gift(to_gift([description])) == [description]


def test_a_moodle_description_is_stored_worth_nothing(make_course):
    course = make_course(lessons=1)
    bank_import.import_bank(course, "moodle.xml", moodle_xml_bank(supported_only=True))
    description = Question.objects.get(name="Case study")
    assert description.kind == "description" and description.points == 0
    assert not description.options.exists()


def test_descriptions_are_shown_before_their_questions_and_not_graded(
    client, make_learner, make_course
):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    bank_import.import_bank(course, "case.gift", CASE.encode())
    quiz = authoring.create_quiz(
        course, "Case", [(course.question_categories.get(), 2)], pass_mark=100
    )
    client.force_login(learner)
    attempt = quizzes.start_attempt(learner, quiz, "en")
    names = [Question.objects.get(pk=i["id"]).name for i in attempt.questions]
    assert names[0] == "Case study" and len(names) == 3

    page = client.get(reverse("courses:quiz_attempt", args=[attempt.pk]))
    html = page.content.decode()
    assert '<div class="quiz-description"><p>A teacher has forty pupils' in html
    assert html.count('class="quiz-question"') == 2
    assert '<span class="quiz-number">1.</span>' in html
    assert '<span class="quiz-number">3.</span>' not in html

    client.post(
        reverse("courses:quiz_submit", args=[attempt.pk]), right_answers(attempt)
    )
    attempt.refresh_from_db()
    assert attempt.points_possible == Decimal(2) and attempt.score == 100
    assert attempt.passed
    assert QuestionResponse.objects.filter(attempt=attempt).count() == 2
    result = client.get(reverse("courses:quiz_result", args=[attempt.pk]))
    assert "A teacher has forty pupils" in result.content.decode()
