"""The demo course's final assessment, in English and Urdu."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from courses import services
from courses.models import CoursePage, Question, Quiz
from courses.quizzes import services as quizzes

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_a_bilingual_quiz_once(demo_site, client, make_learner):
    call_command("seed_demo", stdout=io.StringIO())  # a second run changes nothing
    quiz = Quiz.objects.get()
    assert Question.objects.filter(locale__language_code="en").count() == 9
    assert Question.objects.filter(locale__language_code="ur").count() == 9
    cloze = Question.objects.get(kind="cloze", locale__language_code="ur")
    assert cloze.points == 3 and cloze.display_text.startswith("پہلے دن [1] مختصر")
    course_ur = CoursePage.objects.get(
        locale__language_code="ur", translation_key=quiz.course.translation_key
    )
    assert course_ur.final_assessment_id == quiz.pk
    learner = make_learner(preferred_language="ur")
    services.enrol(learner, course_ur)
    client.force_login(learner)
    page = client.get(course_ur.url).content.decode()
    assert "آخری جائزہ" in page
    attempt = quizzes.start_attempt(learner, quiz, "ur")
    assert {
        Question.objects.get(pk=pk).locale.language_code for pk in attempt.question_ids
    } == {"ur"}
    with translation.override("ur"):
        url = reverse("courses:quiz_attempt", args=[attempt.pk])
    assert url.startswith("/ur/")
    page = client.get(url)
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()
