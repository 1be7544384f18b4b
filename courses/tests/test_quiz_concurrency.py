"""Real concurrent requests against PostgreSQL: each attempt is graded once.

SQLite serialises every write, so these tests need PostgreSQL (DATABASE_URL);
they are skipped on SQLite.
"""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import Enrolment, Question, QuestionResponse, QuizAttempt
from courses.quizzes import services as quizzes
from courses.signals import course_completed

from .conftest import right_answers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL through DATABASE_URL",
    ),
    pytest.mark.django_db(transaction=True),
]

REQUESTS = 8


class FormData(dict):
    def getlist(self, key):
        return self[key]


def at_once(user, method: str, url: str, data=None) -> list[int]:
    """Send the same request from REQUESTS threads released together."""
    barrier = threading.Barrier(REQUESTS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            response = getattr(client, method)(url, data or {})
            statuses.append(response.status_code)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return statuses


@pytest.fixture
def ready(make_learner, make_course, make_quiz):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    quiz = make_quiz(course, draw=3)
    # The lesson is done; only the quiz stands between the learner and completion.
    assert not services.record_lesson_complete(
        learner, course.lessons()[0].pk
    ).course_completed_now
    return learner, course, quiz


def test_simultaneous_submissions_are_graded_once(ready):
    learner, _course, quiz = ready
    attempt = quizzes.start_attempt(learner, quiz, "en")
    fired = []

    def receiver(sender, enrolment, **kwargs):
        fired.append(enrolment.pk)

    course_completed.connect(receiver)
    try:
        statuses = at_once(
            learner,
            "post",
            reverse("courses:quiz_submit", args=[attempt.pk]),
            right_answers(attempt),
        )
    finally:
        course_completed.disconnect(receiver)
    assert statuses == [302] * REQUESTS
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.passed
    assert QuestionResponse.objects.filter(attempt=attempt).count() == 3
    assert Enrolment.objects.get(user=learner).completed_at is not None
    assert len(fired) == 1


def test_simultaneous_starts_open_one_attempt(ready):
    learner, _course, quiz = ready
    statuses = at_once(learner, "post", reverse("courses:quiz_start", args=[quiz.pk]))
    assert statuses == [302] * REQUESTS
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_simultaneous_starts_cannot_pass_the_attempt_limit(ready):
    learner, _course, quiz = ready
    quiz.max_attempts = 1
    quiz.save()
    first = quizzes.start_attempt(learner, quiz, "en")
    quizzes.submit_attempt(learner, first.pk, {})
    at_once(learner, "post", reverse("courses:quiz_start", args=[quiz.pk]))
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_saves_racing_a_submit_never_change_the_graded_answers(ready):
    learner, _course, quiz = ready
    attempt = quizzes.start_attempt(learner, quiz, "en")
    wrong = right_answers(attempt, right=False)
    barrier = threading.Barrier(REQUESTS)
    results: list[int] = []

    def send(index):
        client = Client()
        client.force_login(learner)
        try:
            barrier.wait()
            name = "quiz_submit" if index == 0 else "quiz_save"
            response = client.post(
                reverse(f"courses:{name}", args=[attempt.pk]),
                wrong,
                HTTP_ACCEPT="application/json",
            )
            results.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == REQUESTS and set(results) <= {200, 302, 409}
    attempt.refresh_from_db()
    graded = {
        str(r.question_id): r.response
        for r in QuestionResponse.objects.filter(attempt=attempt)
    }
    assert graded == attempt.answers


def test_simultaneous_markings_score_and_complete_once(
    make_learner, make_course, make_quiz, django_user_model
):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    quiz = make_quiz(
        course,
        "::Pick::Which is right? {=Right ~Wrong}\n\n::Essay::Describe it. {}\n",
        draw=2,
    )
    services.record_lesson_complete(learner, course.lessons()[0].pk)
    attempt = quizzes.start_attempt(learner, quiz, "en")
    essay = Question.objects.get(kind=Question.Kind.ESSAY)
    form = {**right_answers(attempt), f"q{essay.pk}": ["My answer."]}
    answers = quizzes.answers_from_form(attempt, FormData(form))
    submission = quizzes.submit_attempt(learner, attempt.pk, answers)
    assert submission.attempt.awaiting_marking
    assert Enrolment.objects.get(user=learner).completed_at is None
    marker = django_user_model.objects.create_superuser("m@example.org", "pw-42-long")
    fired = []

    def receiver(sender, enrolment, **kwargs):
        fired.append(enrolment.pk)

    course_completed.connect(receiver)
    try:
        statuses = at_once(
            marker,
            "post",
            reverse("courses_marking:mark", args=[attempt.pk]),
            {f"points_{essay.pk}": "1", f"comment_{essay.pk}": "Good."},
        )
    finally:
        course_completed.disconnect(receiver)
    assert statuses == [302] * REQUESTS
    attempt.refresh_from_db()
    assert not attempt.awaiting_marking and attempt.passed
    assert Enrolment.objects.get(user=learner).completed_at is not None
    assert len(fired) == 1
