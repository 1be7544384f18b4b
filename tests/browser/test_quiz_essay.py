"""An essay marked by a trainer completing the course: a learner writes in Urdu
on a small phone, a trainer of the programme marks it in the Wagtail admin, and
the learner finds the course completed with one certificate."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from courses import authoring as pages
from courses import services
from courses.models import Enrolment, ProgrammePage, QuizAttempt
from courses.quizzes import authoring, bank_import

from .conftest import PHONE, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

BANK = """\
::My classroom::اپنی کلاس کے بارے میں لکھیں۔ {}
"""
ANSWER = "میری کلاس میں چالیس بچے ہیں اور ہم گروپوں میں کام کرتے ہیں۔"


def test_an_essay_marked_by_a_trainer_completes_the_course(
    page, browser, live_server, home_page, make_learner
):
    from certificates.models import Certificate

    programme = pages.create_programme(
        home_page, "NTTP", "nttp", audience=ProgrammePage.Audience.TEACHERS
    )
    group = Group.objects.create(name="NTTP trainers")
    pages.grant_programme_to_group(programme, group)
    trainer = make_learner(email="ustad@example.org", password="blue-river-stone-42")
    trainer.groups.add(group)
    course = pages.create_course(programme, "Planning", "planning", cpd_hours=4)
    lesson = pages.create_lesson(
        course, "Welcome", "welcome", body=[("text", "<p>Hi</p>")]
    )
    bank_import.import_bank(course, "essay.gift", BANK.encode(), language="ur")
    quiz = authoring.create_quiz(
        course, "Planning check", [(course.question_categories.get(), 1)]
    )
    learner = make_learner(email="essay@example.org", password="green-mango-tree-42")
    services.enrol(learner, course)
    services.record_lesson_complete(learner, lesson.pk)

    # The learner writes the essay in Urdu and submits it.
    log_in(page, "essay@example.org", "green-mango-tree-42", "/ur")
    page.goto(f"/ur/learning/quizzes/{quiz.pk}/")
    page.click("form[action$='/start/'] button")
    page.wait_for_url("**/ur/learning/attempts/*/")
    assert page.get_attribute("html", "dir") == "rtl"
    box = page.locator("textarea.quiz-essay")
    assert box.get_attribute("maxlength") == "10000"
    box.fill(ANSWER)
    page.wait_for_function(
        "() => document.getElementById('quiz-save-status').textContent.length > 0"
    )
    assert QuizAttempt.objects.get(user=learner).answers  # autosaved
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path="/tmp/essay-attempt-ur.png", full_page=True)
    page.click("#quiz-submit")
    page.wait_for_url("**/result/")
    assert page.locator(".quiz-score-waiting").count() == 1
    page.screenshot(path="/tmp/essay-waiting-ur.png", full_page=True)
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.awaiting_marking and attempt.passed is None
    assert Enrolment.objects.get(user=learner).completed_at is None

    # The programme's trainer marks it in the admin, on a phone too.
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    admin = context.new_page()
    admin.set_default_timeout(15000)
    log_in(admin, "ustad@example.org", "blue-river-stone-42")
    admin.goto("/admin/marking/")
    admin.click(f"a[href$='/admin/marking/{attempt.pk}/']")
    admin.wait_for_url(f"**/admin/marking/{attempt.pk}/")
    assert ANSWER in admin.locator("blockquote").inner_text()
    admin.fill("input[name^='points_']", "0.8")
    admin.fill("textarea[name^='comment_']", "اچھا جواب، مثال بھی دیں۔")
    admin.screenshot(path="/tmp/essay-marking.png", full_page=True)
    admin.click("#marking-form button[type=submit]")
    admin.wait_for_url("**/admin/marking/")
    context.close()

    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (Decimal("80.00"), True)
    assert Enrolment.objects.get(user=learner).completed_at is not None
    assert Certificate.objects.filter(user=learner, course=course).count() == 1

    # The learner sees the mark, the comment and the completed course.
    page.goto(f"/ur/learning/attempts/{attempt.pk}/result/")
    assert (
        "اچھا جواب، مثال بھی دیں۔" in page.locator(".quiz-marker-comment").inner_text()
    )
    assert page.locator("#quiz-score").inner_text() == "80%"
    page.screenshot(path="/tmp/essay-marked-ur.png", full_page=True)
    page.goto("/ur/learning/")
    assert page.locator(".completed-course").count() == 1
    page.screenshot(path="/tmp/essay-dashboard-ur.png", full_page=True)
