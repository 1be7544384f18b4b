"""A learner fills the gaps of a cloze question on a small phone, in English and
in Urdu: typed, numeric, drop-down, radio and check-box gaps, graded on the server,
then the result page shows each gap's mark and feedback."""

import os
from decimal import Decimal

import pytest

from courses import services
from courses.models import QuizAttempt
from courses.quizzes import authoring, bank_import

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Screenshots for people to look at; not compared.
SHOTS = os.environ.get("CLOZE_SHOTS", "/tmp/cloze-shots")

ENGLISH = (
    "<p>Lahore is the capital of {1:SHORTANSWER:=Punjab#Yes, Punjab.~*#Lahore is "
    "in Punjab.}. Pakistan became independent in {1:NUMERICAL:=1947:0#Right: "
    "1947.}.</p><p>The national language is {1:MULTICHOICE:=Urdu#Right.~English"
    "#Official, not national.}. The river of Lahore: {1:MCV:=Ravi~Indus~Jhelum}"
    "</p><p>Provinces on the sea: {2:MULTIRESPONSE:=Sindh~=Balochistan~Punjab}</p>"
)
URDU = (
    "<p>لاہور {1:SHORTANSWER:=پنجاب#جی، پنجاب۔~*#لاہور پنجاب میں ہے۔} کا "
    "دارالحکومت ہے۔ پاکستان {1:NUMERICAL:=1947:0#درست: 1947۔} میں آزاد ہوا۔</p>"
    "<p>قومی زبان {1:MULTICHOICE:=اردو#درست۔~انگریزی#سرکاری، قومی نہیں۔} ہے۔ "
    "لاہور کا دریا: {1:MCV:=راوی~سندھ~جہلم}</p>"
    "<p>سمندر کے کنارے صوبے: {2:MULTIRESPONSE:=سندھ~=بلوچستان~پنجاب}</p>"
)


def cloze_xml(text: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'
        '  <question type="cloze">\n'
        "    <name><text>Lahore</text></name>\n"
        f'    <questiontext format="html"><text><![CDATA[{text}]]></text>'
        "</questiontext>\n"
        '    <generalfeedback format="html"><text></text></generalfeedback>\n'
        "    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n"
        "    <idnumber></idnumber>\n  </question>\n</quiz>\n"
    ).encode()


@pytest.mark.parametrize(
    ("language", "text", "answers"),
    [
        ("en", ENGLISH, ("Punjab", "1947", "Urdu", "Ravi", ("Sindh", "Punjab"))),
        ("ur", URDU, ("پنجاب", "۱۹۴۷", "اردو", "راوی", ("سندھ", "پنجاب"))),
    ],
)
def test_a_learner_fills_the_gaps_and_sees_each_gaps_result(
    page, make_course, make_learner, language, text, answers
):
    email = f"gaps-{language}@example.org"
    learner = make_learner(email=email, password="green-mango-tree-42")
    course = make_course(lessons=1)
    services.enrol(learner, course)
    bank_import.import_bank(course, "gaps.xml", cloze_xml(text), language=language)
    quiz = authoring.create_quiz(
        course,
        "Lahore",
        [(course.question_categories.get(), 1)],
        show_answers="each_attempt",
    )
    prefix = "/ur" if language == "ur" else ""
    log_in(page, email, "green-mango-tree-42", prefix)
    page.goto(f"{prefix}/learning/quizzes/{quiz.pk}/")
    page.click("form[action$='/start/'] button")
    page.wait_for_url(f"**{prefix}/learning/attempts/*/")
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ur" else "ltr")
    attempt = QuizAttempt.objects.get(user=learner)
    field = f"q{attempt.questions[0]['id']}"
    typed, number, language_name, river, coast = answers
    # Each gap is reached by its label, as a screen reader announces it.
    gap_word = "خالی جگہ" if language == "ur" else "Gap"
    page.get_by_label(f"{gap_word} 1", exact=True).fill(typed)
    page.get_by_label(f"{gap_word} 2", exact=True).fill(number)
    page.get_by_label(f"{gap_word} 3", exact=True).select_option(label=language_name)
    page.get_by_role("radiogroup", name=f"{gap_word} 4").get_by_label(river).check()
    boxes = page.get_by_role("group", name=f"{gap_word} 5")
    for label in coast:
        boxes.get_by_label(label, exact=True).check()
    assert page.locator(f"#{field}_2").get_attribute("inputmode") == "decimal"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=f"{SHOTS}/cloze-{language}.png", full_page=True)
    page.click("#quiz-submit")
    page.wait_for_url("**/result/")

    attempt.refresh_from_db()
    # Four gaps of weight 1 right; the check boxes (weight 2) earn nothing: one
    # right and one wrong cancel out.
    assert (attempt.points_earned, attempt.points_possible) == (
        Decimal("4.00"),
        Decimal("6.00"),
    )
    results = page.locator(".cloze-gap-result")
    assert results.count() == 5
    right, wrong = (
        ("✓ درست", "✗ درست نہیں")
        if language == "ur"
        else (
            "✓ Right",
            "✗ Not right",
        )
    )
    for position in range(4):
        assert right in results.nth(position).inner_text()
    assert wrong in results.nth(4).inner_text()
    assert ("جی، پنجاب۔" if language == "ur" else "Yes, Punjab.") in (
        results.nth(0).inner_text()
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=f"{SHOTS}/cloze-{language}-result.png", full_page=True)
