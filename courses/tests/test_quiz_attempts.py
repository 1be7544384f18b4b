"""Attempts: start, resume, save, submit once, limits, time, completion."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses import services
from courses.models import Enrolment, QuestionResponse, Quiz, QuizAttempt
from courses.quizzes import services as quizzes
from courses.signals import course_completed

from .conftest import right_answers

pytestmark = pytest.mark.django_db


def as_answers(attempt, form):
    class Form(dict):
        def getlist(self, key):
            return self[key]

    return quizzes.answers_from_form(attempt, Form(form))


@pytest.fixture
def enrolled(make_learner, make_course, make_quiz):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    quiz = make_quiz(course, draw=3)
    return learner, course, quiz


def test_start_draws_questions_and_resumes_the_open_attempt(enrolled):
    learner, _course, quiz = enrolled
    attempt = quizzes.start_attempt(learner, quiz, "en")
    assert attempt.number == 1 and len(attempt.questions) == 3
    assert all(len(item["options"]) == 3 for item in attempt.questions)
    assert quizzes.start_attempt(learner, quiz, "en").pk == attempt.pk
    assert QuizAttempt.objects.count() == 1


def test_options_are_shuffled_per_attempt(make_learner, make_course, make_quiz):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    quiz = make_quiz(course, draw=6)
    orders = set()
    for _ in range(4):
        attempt = quizzes.start_attempt(learner, quiz, "en")
        orders.add(tuple(oid for item in attempt.questions for oid in item["options"]))
        quizzes.submit_attempt(learner, attempt.pk, {})
    # 6 questions of 3 options: four identical orders by chance is (1/6^6)^3.
    assert len(orders) > 1


def test_retake_draws_questions_not_seen_last_time(enrolled):
    learner, _course, quiz = enrolled  # 3 drawn from a bank of 6
    first = quizzes.start_attempt(learner, quiz, "en")
    quizzes.submit_attempt(learner, first.pk, {})
    second = quizzes.start_attempt(learner, quiz, "en")
    assert not set(first.question_ids) & set(second.question_ids)


def test_learner_must_be_enrolled(make_learner, make_course, make_quiz):
    course = make_course(lessons=1)
    with pytest.raises(services.NotEnrolled):
        quizzes.start_attempt(make_learner(), make_quiz(course), "en")
    assert not QuizAttempt.objects.exists()


def test_attempt_limit_holds(enrolled):
    learner, _course, quiz = enrolled
    Quiz.objects.filter(pk=quiz.pk).update(max_attempts=2)
    quiz.refresh_from_db()
    for _ in range(2):
        attempt = quizzes.start_attempt(learner, quiz, "en")
        quizzes.submit_attempt(learner, attempt.pk, {})
    with pytest.raises(quizzes.NoAttemptsLeft):
        quizzes.start_attempt(learner, quiz, "en")
    assert QuizAttempt.objects.count() == 2


def test_right_answers_pass_and_wrong_ones_fail(enrolled):
    learner, _course, quiz = enrolled
    attempt = quizzes.start_attempt(learner, quiz, "en")
    result = quizzes.submit_attempt(
        learner, attempt.pk, as_answers(attempt, right_answers(attempt, right=False))
    )
    assert result.graded_now and result.attempt.score == 0
    assert result.attempt.passed is False
    attempt = quizzes.start_attempt(learner, quiz, "en")
    result = quizzes.submit_attempt(
        learner, attempt.pk, as_answers(attempt, right_answers(attempt))
    )
    assert result.attempt.score == 100 and result.attempt.passed is True
    assert QuestionResponse.objects.filter(attempt=attempt).count() == 3


def test_a_second_submission_changes_nothing(enrolled):
    learner, _course, quiz = enrolled
    attempt = quizzes.start_attempt(learner, quiz, "en")
    first = quizzes.submit_attempt(
        learner, attempt.pk, as_answers(attempt, right_answers(attempt, right=False))
    )
    replay = quizzes.submit_attempt(
        learner, attempt.pk, as_answers(attempt, right_answers(attempt))
    )
    assert first.graded_now and not replay.graded_now
    assert replay.attempt.score == 0
    assert replay.attempt.submitted_at == first.attempt.submitted_at
    assert QuestionResponse.objects.filter(attempt=attempt).count() == 3
    with pytest.raises(quizzes.AttemptClosed):
        quizzes.save_answers(learner, attempt.pk, {})


def test_saved_answers_are_graded_when_submit_sends_none(enrolled):
    learner, _course, quiz = enrolled
    attempt = quizzes.start_attempt(learner, quiz, "en")
    quizzes.save_answers(
        learner, attempt.pk, as_answers(attempt, right_answers(attempt))
    )
    result = quizzes.submit_attempt(learner, attempt.pk, None)
    assert result.attempt.score == 100


def test_answers_after_the_deadline_are_not_accepted(enrolled):
    learner, _course, quiz = enrolled
    Quiz.objects.filter(pk=quiz.pk).update(time_limit_minutes=5)
    quiz.refresh_from_db()
    attempt = quizzes.start_attempt(learner, quiz, "en")
    assert attempt.deadline - attempt.started_at == timedelta(minutes=5)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - quizzes.DEADLINE_GRACE - timedelta(seconds=1)
    )
    answers = as_answers(attempt, right_answers(attempt))
    with pytest.raises(quizzes.AttemptClosed):
        quizzes.save_answers(learner, attempt.pk, answers)
    result = quizzes.submit_attempt(learner, attempt.pk, answers)
    assert result.late and result.attempt.score == 0


def test_answers_within_the_grace_are_accepted(enrolled):
    learner, _course, quiz = enrolled
    Quiz.objects.filter(pk=quiz.pk).update(time_limit_minutes=5)
    quiz.refresh_from_db()
    attempt = quizzes.start_attempt(learner, quiz, "en")
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=5)
    )
    result = quizzes.submit_attempt(
        learner, attempt.pk, as_answers(attempt, right_answers(attempt))
    )
    assert not result.late and result.attempt.score == 100


def test_an_expired_open_attempt_is_graded_before_the_next_starts(enrolled):
    learner, _course, quiz = enrolled
    Quiz.objects.filter(pk=quiz.pk).update(time_limit_minutes=5)
    quiz.refresh_from_db()
    attempt = quizzes.start_attempt(learner, quiz, "en")
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(hours=1)
    )
    second = quizzes.start_attempt(learner, quiz, "en")
    attempt.refresh_from_db()
    assert second.number == 2 and attempt.submitted_at is not None


def test_passing_a_required_quiz_completes_the_course_once(enrolled):
    learner, course, quiz = enrolled
    fired = []

    def receiver(sender, enrolment, **kwargs):
        fired.append(enrolment.pk)

    course_completed.connect(receiver)
    try:
        result = services.record_lesson_complete(learner, course.lessons()[0].pk)
        assert not result.course_completed_now  # the quiz is still to pass
        attempt = quizzes.start_attempt(learner, quiz, "en")
        submission = quizzes.submit_attempt(
            learner, attempt.pk, as_answers(attempt, right_answers(attempt))
        )
        assert submission.course_completed_now
        assert Enrolment.objects.get(user=learner).completed_at is not None
        again = quizzes.start_attempt(learner, quiz, "en")
        quizzes.submit_attempt(
            learner, again.pk, as_answers(again, right_answers(again))
        )
    finally:
        course_completed.disconnect(receiver)
    assert len(fired) == 1


def test_failing_keeps_the_course_incomplete(enrolled):
    learner, course, quiz = enrolled
    services.record_lesson_complete(learner, course.lessons()[0].pk)
    attempt = quizzes.start_attempt(learner, quiz, "en")
    quizzes.submit_attempt(
        learner, attempt.pk, as_answers(attempt, right_answers(attempt, right=False))
    )
    assert Enrolment.objects.get(user=learner).completed_at is None


def test_forged_positions_earn_nothing(enrolled):
    learner, _course, quiz = enrolled
    attempt = quizzes.start_attempt(learner, quiz, "en")
    forged = {
        f"q{item['id']}": ["7", "-1", "x", "0", "1", "2"] for item in attempt.questions
    }
    result = quizzes.submit_attempt(learner, attempt.pk, as_answers(attempt, forged))
    # Several options for a single-choice question are no answer at all.
    assert result.attempt.score == Decimal(0)
    assert all(v is None for v in result.attempt.answers.values())


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("3.14", True),
        ("3,14", True),
        ("۳٫۱۴", True),
        ("٣.١٤", True),
        (" 3.144 ", True),
        ("3.2", False),
        ("pi", False),
        ("1e400000", False),
    ],
)
def test_numeric_answers_as_phones_type_them(make_course, make_bank, typed, right):
    from courses.quizzes import grading

    category = make_bank(make_course(lessons=1), "::Pi::Pi? {#3.14:0.005}\n")
    question = category.questions.get()
    assert (grading.grade(question, [], typed).fraction == 1) is right
