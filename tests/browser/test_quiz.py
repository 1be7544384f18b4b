"""A learner takes the demo course's final assessment in Urdu on a small phone."""

import pytest

from courses import services
from courses.models import CoursePage, Enrolment, Quiz, QuizAttempt
from courses.tests.conftest import right_answers

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def answer(page, attempt, right: bool) -> None:
    for field, values in right_answers(attempt, right=right).items():
        kind = page.get_attribute(f"[name={field}]", "type")
        tag = page.eval_on_selector(f"[name={field}]", "element => element.tagName")
        if kind == "hidden":  # a cloze question's marker
            continue
        if tag == "SELECT":  # a cloze question's drop-down gap
            page.select_option(f"[name={field}]", values[0])
        elif kind == "text":
            page.fill(f"[name={field}]", values[0])
        else:
            for value in values:
                page.check(f"[name={field}][value='{value}']")


def test_learner_fails_retakes_and_passes_the_final_assessment_in_urdu(
    page, demo_site, make_learner
):
    learner = make_learner(email="quiz@example.org", password="green-mango-tree-42")
    quiz = Quiz.objects.get()
    course = CoursePage.objects.get(
        locale__language_code="ur", translation_key=quiz.course.translation_key
    )
    services.enrol(learner, course)
    for lesson in course.lessons():
        services.record_lesson_complete(learner, lesson.pk)
    assert not Enrolment.objects.get(user=learner).is_complete  # the quiz is left

    log_in(page, "quiz@example.org", "green-mango-tree-42", "/ur")
    page.goto(course.url)
    assert page.get_attribute("html", "dir") == "rtl"
    assert "آخری جائزہ" in page.inner_text(".quiz-card")
    page.click(".quiz-card form[action$='/start/'] button")
    page.wait_for_url("**/ur/learning/attempts/*/")
    first = QuizAttempt.objects.get(user=learner)
    assert len(first.questions) == 4

    # Answers are saved as the learner goes, before anything is submitted.
    answer(page, first, right=False)
    page.wait_for_function(
        "() => document.getElementById('quiz-save-status').textContent.length > 0"
    )
    first.refresh_from_db()
    assert first.is_open and len(first.answers) == 4
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.click("#quiz-submit")
    page.wait_for_url("**/result/")
    first.refresh_from_db()
    assert first.passed is False and first.score < 75
    assert page.locator(".quiz-score-fail").count() == 1

    page.click("form[action$='/start/'] button")
    page.wait_for_url("**/ur/learning/attempts/*/")
    second = QuizAttempt.objects.get(user=learner, number=2)
    assert not set(first.question_ids) & set(second.question_ids)  # a new draw
    answer(page, second, right=True)
    page.click("#quiz-submit")
    page.wait_for_url("**/result/?completed=1")
    assert page.locator(".quiz-score-pass").count() == 1
    assert page.inner_text("#quiz-score") == "100%"

    page.goto(course.url)
    assert Enrolment.objects.get(user=learner).is_complete
    assert page.locator(".status-done").first.is_visible()
    assert page.locator(".quiz-passed").count() == 1
