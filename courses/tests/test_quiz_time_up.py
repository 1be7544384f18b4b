"""A timed attempt whose time ran out: a GET shows it, only a POST marks it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Quiz, QuizAttempt
from courses.quizzes import services as quizzes

from .conftest import mixed_gift, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired_attempt(client, make_learner, make_course, make_quiz):
    """An attempt with every right answer saved in time, and its time now up."""
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    quiz = make_quiz(course, gift=mixed_gift(6), draw=6)
    Quiz.objects.filter(pk=quiz.pk).update(time_limit_minutes=5)
    quiz.refresh_from_db()
    attempt = quizzes.start_attempt(learner, quiz, "en")
    client.force_login(learner)
    saved = client.post(
        reverse("courses:quiz_save", args=[attempt.pk]),
        right_answers(attempt),
        HTTP_ACCEPT="application/json",
    )
    assert saved.json()["saved"] is True
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    return attempt


def test_opening_an_attempt_after_its_time_marks_nothing(client, expired_attempt):
    url = reverse("courses:quiz_attempt", args=[expired_attempt.pk])
    for _ in range(2):  # a reload, a prefetch or a crawler: still nothing marked
        response = client.get(url)
        assert response.status_code == 200
        assert "Time is up" in response.content.decode()
    expired_attempt.refresh_from_db()
    assert expired_attempt.is_open
    assert expired_attempt.score is None
    submit = reverse("courses:quiz_submit", args=[expired_attempt.pk])
    assert f'action="{submit}"' in response.content.decode()


def test_submitting_after_the_time_marks_the_answers_saved_in_time(
    client, expired_attempt
):
    response = client.post(
        reverse("courses:quiz_submit", args=[expired_attempt.pk]), {}
    )
    assert response.status_code == 302
    expired_attempt.refresh_from_db()
    assert not expired_attempt.is_open
    assert expired_attempt.score == 100  # every answer was saved in time


def test_the_time_up_page_is_in_urdu_under_ur(client, expired_attempt):
    from django.utils import translation

    with translation.override("ur"):
        url = reverse("courses:quiz_attempt", args=[expired_attempt.pk])
    page = client.get(url).content.decode()
    assert 'lang="ur"' in page
    assert "Time is up" not in page
