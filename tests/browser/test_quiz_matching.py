"""A learner matches items in Urdu on a small phone, without JavaScript's help
deciding anything: the server grades each item."""

from decimal import Decimal

import pytest

from courses import services
from courses.models import AnswerOption, QuizAttempt
from courses.quizzes import authoring, bank_import

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CITIES = """\
::Provinces::ہر شہر کو اس کے صوبے سے ملائیں۔{
    =لاہور -> پنجاب
    =کوئٹہ -> بلوچستان
    =پشاور -> خیبر پختونخوا
    = -> سندھ
}
"""


def test_a_learner_matches_items_in_urdu_on_a_phone(page, make_course, make_learner):
    learner = make_learner(email="match@example.org", password="green-mango-tree-42")
    course = make_course(lessons=1)
    services.enrol(learner, course)
    bank_import.import_bank(course, "cities.gift", CITIES.encode(), language="ur")
    quiz = authoring.create_quiz(
        course,
        "Provinces",
        [(course.question_categories.get(), 1)],
        show_answers="each_attempt",
    )
    log_in(page, "match@example.org", "green-mango-tree-42", "/ur")
    page.goto(f"/ur/learning/quizzes/{quiz.pk}/")
    page.click("form[action$='/start/'] button")
    page.wait_for_url("**/ur/learning/attempts/*/")
    assert page.get_attribute("html", "dir") == "rtl"
    attempt = QuizAttempt.objects.get(user=learner)
    (item,) = attempt.questions
    options = AnswerOption.objects.in_bulk(item["options"] + item["choices"])
    answers = [options[pk].match_text for pk in item["choices"]]
    selects = page.locator("select")
    assert selects.count() == 3
    for position, pk in enumerate(item["options"]):
        right = answers.index(options[pk].match_text)
        pick = right if position else answers.index("سندھ")  # first one wrong
        selects.nth(position).select_option(str(pick))
    page.wait_for_function(
        "() => document.getElementById('quiz-save-status').textContent.length > 0"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/moodle-matching-ur.png", full_page=True)
    page.click("#quiz-submit")
    page.wait_for_url("**/result/")
    attempt.refresh_from_db()
    assert attempt.points_earned == Decimal("0.67")
    assert page.locator(".badge").filter(has_text="✓").count() == 2
    page.screenshot(path="/tmp/moodle-matching-ur-result.png", full_page=True)
