"""Quiz autosave, quiz submission and enrolment are rate limited, per learner
and per address, and a refusal writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import Enrolment, QuizAttempt
from courses.quizzes import services as quizzes

from .conftest import right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_window(monkeypatch):
    """Windows are fixed: two requests either side of a window's end would be
    counted apart. The limiter's clock stands 30 s into a window (of 60 s, 600 s
    and an hour alike) for these tests."""
    import types

    from lms import rate_limits

    monkeypatch.setattr(
        rate_limits, "time", types.SimpleNamespace(time=lambda: 1_800_000_030.0)
    )


@pytest.fixture
def attempt(make_learner, make_course, make_quiz):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    quiz = make_quiz(course, draw=3)
    return quizzes.start_attempt(learner, quiz, "en")


def test_autosave_is_refused_past_the_learners_limit_and_keeps_earlier_answers(
    client, attempt, counting_cache, set_limit
):
    set_limit("quiz_save", learner=(3, 60), address=(1000, 60))
    client.force_login(attempt.user)
    url = reverse("courses:quiz_save", args=[attempt.pk])
    saved = right_answers(attempt)
    codes = [
        client.post(url, saved, HTTP_ACCEPT="application/json").status_code
        for _ in range(3)
    ]
    refused = client.post(
        url, right_answers(attempt, right=False), HTTP_ACCEPT="application/json"
    )

    assert codes == [200, 200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["retry_after"] >= 1
    # The refused wrong answers did not replace the saved right ones.
    quizzes.submit_attempt(attempt.user, attempt.pk, None)
    assert QuizAttempt.objects.get(pk=attempt.pk).score == 100


def test_autosave_without_javascript_gets_a_page(
    client, attempt, counting_cache, set_limit
):
    set_limit("quiz_save", learner=(1, 60), address=None)
    client.force_login(attempt.user)
    url = reverse("courses:quiz_save", args=[attempt.pk])
    client.post(url, right_answers(attempt))
    response = client.post("/ur" + url, right_answers(attempt))
    assert response.status_code == 429
    assert "<h1>" in response.content.decode()
    assert response["Retry-After"]


def test_submission_is_limited_per_learner(client, attempt, counting_cache, set_limit):
    set_limit("quiz_submit", learner=(1, 60), address=None)
    client.force_login(attempt.user)
    url = reverse("courses:quiz_submit", args=[attempt.pk])
    assert client.post(url, right_answers(attempt)).status_code == 302
    assert client.post(url, right_answers(attempt)).status_code == 429


def test_enrolment_is_limited_per_learner_and_per_address(
    make_learner, make_course, counting_cache, set_limit
):
    set_limit("enrol", learner=(2, 3600), address=(3, 3600))
    courses = [make_course(lessons=1) for _ in range(3)]
    first, second = make_learner(), make_learner()
    client = Client()
    client.force_login(first)

    codes = [
        client.post(
            reverse("courses:enrol", args=[course.pk]), REMOTE_ADDR="10.0.0.1"
        ).status_code
        for course in courses
    ]
    assert codes == [302, 302, 429]
    assert Enrolment.objects.filter(user=first).count() == 2

    other = Client()
    other.force_login(second)
    answers = [
        other.post(
            reverse("courses:enrol", args=[course.pk]), REMOTE_ADDR="10.0.0.1"
        ).status_code
        for course in courses[:2]
    ]
    # The address has sent three enrolments: the second learner's second is one
    # too many from it, though the learner has one left of their own.
    assert answers == [302, 429]
    assert Enrolment.objects.filter(user=second).count() == 1
