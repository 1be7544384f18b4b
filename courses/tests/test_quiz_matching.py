"""Matching questions: imported from GIFT and Moodle XML, drawn, graded on the
server, shown without JavaScript and with no hint of which answer fits."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from courses import services
from courses.models import AnswerOption, QuizAttempt
from courses.quiz_formats import (
    MatchPair,
    QuestionFormatError,
    QuestionKind,
    parse_gift,
    parse_moodle_xml,
    to_gift,
    to_moodle_xml,
)
from courses.quizzes import authoring, bank_import
from courses.quizzes import services as quizzes

from .moodle_files import matching

pytestmark = pytest.mark.django_db

PROVINCES = """\
::Provinces::Match each city to its province.{
    =Lahore -> Punjab
    =Quetta -> Balochistan
    =Peshawar -> Khyber Pakhtunkhwa
    = -> Sindh
}
"""


def test_gift_and_moodle_xml_matching_read_and_write_back():
    (gift,) = parse_gift(PROVINCES)
    assert gift.kind == QuestionKind.MATCHING
    assert gift.pairs == [
        MatchPair("Lahore", "Punjab"),
        MatchPair("Quetta", "Balochistan"),
        MatchPair("Peshawar", "Khyber Pakhtunkhwa"),
        MatchPair("", "Sindh"),
    ]
    assert parse_gift(to_gift([gift])) == [gift]
    assert parse_moodle_xml(to_moodle_xml([gift])) == [gift]
    xml = f'<?xml version="1.0"?><quiz>{matching(1, "Cities")}</quiz>'.encode()
    (moodle,) = parse_moodle_xml(xml)
    assert moodle.pairs == [
        MatchPair("<p>Lahore</p>", "Punjab"),
        MatchPair("<p>Quetta</p>", "Balochistan"),
    ]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("{=Lahore -> Punjab = -> Sindh}", "at least two items"),
        ("{=Lahore -> Punjab =Quetta -> }", 'the item "Quetta" has no answer'),
        ("{=Lahore -> Punjab =Quetta}", "needs -> and its answer"),
    ],
)
def test_a_matching_question_that_makes_no_sense_refuses_the_file(block, message):
    with pytest.raises(QuestionFormatError) as error:
        parse_gift(f"::Ok::Fine?{{T}}\n\n::Cities::Match.{block}\n")
    assert (error.value.line, error.value.question) == (3, "Cities")
    assert message in str(error.value)


@pytest.fixture
def matching_quiz(client, make_learner, make_course):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    bank_import.import_bank(course, "provinces.gift", PROVINCES.encode())
    category = course.question_categories.get()
    quiz = authoring.create_quiz(
        course, "Provinces", [(category, 1)], show_answers="each_attempt"
    )
    client.force_login(learner)
    return learner, quiz


def answer_positions(attempt, right=True):
    """The form a learner sends: for each item shown, a position among choices."""
    (item,) = attempt.questions
    options = AnswerOption.objects.in_bulk(item["options"] + item["choices"])
    choices = [options[pk].match_text for pk in item["choices"]]
    positions = []
    for pk in item["options"]:
        right_position = choices.index(options[pk].match_text)
        positions.append(str(right_position if right else choices.index("Sindh")))
    return {f"q{item['id']}": positions}


def test_the_page_offers_every_answer_to_every_item_and_reveals_no_pairing(
    client, matching_quiz
):
    learner, quiz = matching_quiz
    attempt = quizzes.start_attempt(learner, quiz, "en")
    (item,) = attempt.questions
    assert len(item["options"]) == 3 and len(item["choices"]) == 4
    page = client.get(reverse("courses:quiz_attempt", args=[attempt.pk]))
    html = page.content.decode()
    selects = re.findall(r"<select [^>]*>(.*?)</select>", html, re.S)
    assert len(selects) == 3
    # Every item offers the same list, in the same order: nothing ties an item
    # to its answer.
    assert len(set(selects)) == 1
    for answer in ("Punjab", "Balochistan", "Khyber Pakhtunkhwa", "Sindh"):
        assert selects[0].count(f">{answer}</option>") == 1
    for city in ("Lahore", "Quetta", "Peshawar"):
        assert f"<bdi>{city}</bdi>" in html
    assert 'dir="auto"' in selects[0] or 'dir="auto"' in html


def test_matching_is_graded_on_the_server_item_by_item(client, matching_quiz):
    learner, quiz = matching_quiz
    attempt = quizzes.start_attempt(learner, quiz, "en")
    form = answer_positions(attempt)
    field = next(iter(form))
    form[field][0] = answer_positions(attempt, right=False)[field][0]  # one wrong
    # Without JavaScript: save, reload with the choices kept, then submit.
    client.post(reverse("courses:quiz_save", args=[attempt.pk]), form)
    page = client.get(reverse("courses:quiz_attempt", args=[attempt.pk]))
    assert page.content.decode().count(" selected>") == 3
    response = client.post(reverse("courses:quiz_submit", args=[attempt.pk]), form)
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(pk=attempt.pk)
    assert attempt.points_earned == Decimal("0.67") and attempt.score == 67
    assert attempt.responses.get().fraction == Decimal("0.6666667")

    result = client.get(reverse("courses:quiz_result", args=[attempt.pk]))
    html = result.content.decode()
    assert html.count("✓ Right") == 2 and html.count("✗ Not right") == 1
    assert "Right answer: <bdi>" in html


def test_a_forged_matching_form_earns_nothing_it_was_not_offered(client, matching_quiz):
    learner, quiz = matching_quiz
    attempt = quizzes.start_attempt(learner, quiz, "en")
    field = f"q{attempt.questions[0]['id']}"
    client.post(
        reverse("courses:quiz_submit", args=[attempt.pk]),
        {field: ["99", "-1", "x", "0", "1"]},
    )
    attempt.refresh_from_db()
    assert attempt.answers[field[1:]] is None or len(attempt.answers[field[1:]]) == 3
    assert attempt.score <= 100 / 3 + 0.01


def test_the_matching_page_reads_in_urdu(client, matching_quiz):
    learner, quiz = matching_quiz
    attempt = quizzes.start_attempt(learner, quiz, "en")
    with translation.override("ur"):
        url = reverse("courses:quiz_attempt", args=[attempt.pk])
    html = client.get(url).content.decode()
    assert 'dir="rtl"' in html
    assert "منتخب کریں…" in html


def test_the_quiz_report_counts_a_matching_question_by_its_share(client, matching_quiz):
    from courses.quizzes import analysis

    learner, quiz = matching_quiz
    attempt = quizzes.start_attempt(learner, quiz, "en")
    form = answer_positions(attempt)
    field = next(iter(form))
    form[field][0] = answer_positions(attempt, right=False)[field][0]
    client.post(reverse("courses:quiz_submit", args=[attempt.pk]), form)
    (item,) = analysis.quiz_report(quiz).items
    assert item.question.name == "Provinces"
    assert item.facility == pytest.approx(2 / 3, abs=1e-6)
