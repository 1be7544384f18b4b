"""Cloze questions (Moodle's embedded answers): read from Moodle 4 exports with
every gap type, kept as written so they export back the same, graded on the
server gap by gap, shown inline with no answer on the page before grading."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from courses import services
from courses.models import Question, QuestionCategory, QuizAttempt
from courses.quiz_formats import (
    QuestionFormatError,
    QuestionKind,
    parse_csv,
    parse_gift,
    parse_moodle_xml,
    to_gift,
    to_moodle_xml,
)
from courses.quiz_formats.cloze import GapKind, Layout, blank_out, gaps_of
from courses.quizzes import authoring, bank_import, banks, grading
from courses.quizzes import services as quizzes

from .moodle_files import CLOZE_TEXT, CLOZE_WEIGHT, cloze, shortanswer

pytestmark = pytest.mark.django_db
D = Decimal


def moodle_xml(*questions: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'
        + "".join(questions)
        + "</quiz>\n"
    ).encode("utf-8")


# Reading Moodle's syntax ---------------------------------------------------------


def test_every_gap_type_of_a_moodle_4_export_is_read():
    (question,) = parse_moodle_xml(moodle_xml(cloze(7, "Karachi")))
    assert question.kind == QuestionKind.CLOZE
    assert question.text == CLOZE_TEXT  # kept verbatim, gaps and all
    assert question.default_mark == CLOZE_WEIGHT  # Moodle: the weights added up
    assert question.hints == ["<p>Look at a map of Sindh.</p>"]
    assert question.general_feedback == "<p>Karachi is Sindh’s capital.</p>"
    gaps = gaps_of(question.text)
    assert [(g.kind, g.layout, g.shuffle, g.case_sensitive) for g in gaps] == [
        (GapKind.SHORT_TEXT, Layout.DROPDOWN, False, False),
        (GapKind.SHORT_TEXT, Layout.DROPDOWN, False, True),  # SHORTANSWER_C
        (GapKind.SHORT_TEXT, Layout.DROPDOWN, False, True),  # SAC
        (GapKind.SHORT_TEXT, Layout.DROPDOWN, False, False),  # SA
        (GapKind.NUMERIC, Layout.DROPDOWN, False, False),
        (GapKind.NUMERIC, Layout.DROPDOWN, False, False),  # NM
        (GapKind.CHOICE, Layout.DROPDOWN, False, False),
        (GapKind.CHOICE, Layout.DROPDOWN, False, False),  # MC
        (GapKind.CHOICE, Layout.VERTICAL, False, False),  # MCV
        (GapKind.CHOICE, Layout.HORIZONTAL, False, False),  # MCH
        (GapKind.CHOICE, Layout.DROPDOWN, True, False),  # MCS
        (GapKind.CHOICE, Layout.VERTICAL, True, False),  # MCVS
        (GapKind.CHOICE, Layout.HORIZONTAL, True, False),  # MCHS
        (GapKind.MULTI_RESPONSE, Layout.VERTICAL, False, False),
        (GapKind.MULTI_RESPONSE, Layout.VERTICAL, False, False),  # MR
        (GapKind.MULTI_RESPONSE, Layout.VERTICAL, True, False),  # MRS
    ]
    assert [g.weight for g in gaps] == [2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1]
    first = gaps[0].answers
    assert [(a.text, a.fraction, a.feedback) for a in first] == [
        ("Sindh", 1, "Right, Sindh."),
        ("Sind", D("0.5"), "Nearly: Sindh."),
        ("*", 0, "Karachi is the capital of Sindh."),
    ]
    assert [(a.value, a.tolerance, a.fraction) for a in gaps[4].answers] == [
        (D("24.86"), D("0.05"), 1),
        (D(25), D("0.5"), D("0.5")),
    ]
    # Escaped characters, and an HTML entity, read as the learner sees them.
    assert [a.text for a in gaps[10].answers] == ["one } brace", "two # hash"]
    assert [a.text for a in gaps[11].answers] == ["a ~ tilde", "b / slash"]
    assert [a.text for a in gaps[12].answers] == ['say "hi"', "say bye"]
    # Multi-response: right answers share 100%, a wrong one cancels a right one.
    assert [a.fraction for a in gaps[13].answers] == [
        D("0.5"),
        D("0.5"),
        D("-0.5"),
        D("-0.5"),
    ]
    assert [a.fraction for a in gaps[15].answers] == [1, -1]


def test_the_preview_counts_a_cloze_question_as_one_question(make_course):
    course = make_course(lessons=1)
    preview = bank_import.preview_bank(
        course,
        "bank.xml",
        moodle_xml(cloze(1, "Karachi"), shortanswer(2, "Capital")),
    )
    assert dict(preview.kinds_found()) == {
        "Embedded answers (cloze)": 1,
        "Short text": 1,
    }
    assert not preview.skipped
    assert not Question.objects.exists()


def test_a_cloze_text_in_a_report_shows_numbered_gaps_and_no_answer(make_course):
    course = make_course(lessons=1)
    bank_import.import_bank(course, "bank.xml", moodle_xml(cloze(1, "Karachi")))
    question = Question.objects.get()
    assert question.points == CLOZE_WEIGHT
    shown = question.display_text
    assert shown.startswith("Karachi is in [1] province.")
    assert "Sindh" not in shown and "24.86" not in shown and "Keamari" not in shown
    assert blank_out("Broken {1:SA:=x") == "Broken […]"


# Round trips -----------------------------------------------------------------------


def test_moodle_xml_and_gift_give_back_the_same_cloze_question():
    (question,) = parse_moodle_xml(moodle_xml(cloze(7, "Karachi")))
    question.tags, question.idnumber = ["maps"], "CL-7"
    written = to_moodle_xml([question])
    assert b'<question type="cloze">' in written
    assert parse_moodle_xml(written) == [question]
    assert to_moodle_xml(parse_moodle_xml(written)) == written

    gift = to_gift([question])
    # Moodle reads this as a description; this site reads it back as cloze.
    assert '// lms:{"kind":"cloze"' in gift
    assert "\\{2\\:SHORTANSWER\\:\\=Sindh\\#Right, Sindh.\\~" in gift
    assert parse_gift(gift) == [question]
    assert to_gift(parse_gift(gift)) == gift


def test_a_csv_row_can_hold_a_cloze_question():
    (question,) = parse_csv(
        "type,question\ncloze,Lahore is in {2:SA:=Punjab} and {1:MC:=Pakistan~India}\n"
    )
    assert (question.kind, question.default_mark) == (QuestionKind.CLOZE, 3)


# Bad input: the file is refused, naming the question, in the trainer's language


@pytest.mark.parametrize(
    ("text", "message", "urdu"),
    [
        (
            "Lahore is in {1:SHORTANSWER:=Punjab.",
            "gap 1: the gap's { is not closed",
            "بند",
        ),
        (
            "Lahore is in {1:SA:=Punjab} {1:SHORT:=x}",
            'gap 2: "SHORT" is not a gap',
            "SHORT",
        ),
        (
            "Lahore is in {1:SA:Punjab~%50%Sindh}",
            "gap 1: no answer of the gap is worth",
            "پورے",
        ),
        ("Lahore is in {1:MC:=Punjab}", "gap 1: a choice gap needs at least two", "دو"),
        ("Pi is {1:NM:=three:0.1}", 'gap 1: "three:0.1" is not a number', "three"),
        ("Lahore is in Punjab.", "needs at least one gap", "خالی جگہ"),
    ],
)
def test_bad_cloze_syntax_refuses_the_file_naming_the_question(
    make_course, text, message, urdu
):
    course = make_course(lessons=1)
    data = moodle_xml(shortanswer(1, "Capital"), cloze(2, "Bad cloze", text))
    with pytest.raises(QuestionFormatError) as error:
        bank_import.import_bank(course, "bank.xml", data, skip_unsupported=True)
    assert (error.value.number, error.value.question) == (2, "Bad cloze")
    assert message in str(error.value)
    with translation.override("ur"):
        in_urdu = str(error.value)
    assert "Bad cloze" in in_urdu and urdu in in_urdu and message not in in_urdu
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()
    escaped = text.replace("{", "\\{").replace("}", "\\}")
    with pytest.raises(QuestionFormatError) as from_gift:
        parse_gift(f'// lms:{{"kind":"cloze"}}\n::Bad cloze::{escaped}\n')
    assert from_gift.value.question == "Bad cloze"


def test_the_gift_cloze_setting_on_a_question_with_answers_is_refused():
    with pytest.raises(QuestionFormatError, match="has no answer block"):
        parse_gift('// lms:{"kind":"cloze"}\n::Q::Which? {=a ~b}\n')


# Grading, gap by gap ---------------------------------------------------------------

MIXED = "{2:SA:=Lahore#Yes~%50%Lahor#Nearly} {1:NM:=3.14:0.01} {1:MC:=a~b}"


def grade(text: str, response, orders=None) -> Decimal:
    orders = orders if orders is not None else grading.cloze_draw(text)
    return grading.grade_cloze(text, orders, response)[0]


def test_each_gap_earns_its_weight_with_partial_credit():
    assert grade(MIXED, ["LAHORE", "3.14", 0]) == 1
    assert grade(MIXED, ["Lahor", "3.145", None]) == D("0.5")  # (2×½ + 1) / 4
    assert grade(MIXED, [None, None, 1]) == 0
    assert grade(MIXED, None) == 0
    fraction, gaps = grading.grade_cloze(MIXED, [[], [], [0, 1]], ["lahor", "x", 0])
    assert [g.fraction for g in gaps] == [D("0.5"), 0, 1]
    assert gaps[0].matched.feedback == "Nearly"


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("3.14", True),
        ("3.13", True),
        ("3.15", True),  # the tolerance's edge counts
        ("3.151", False),
        ("۳.۱۴", True),  # Urdu digits
        ("3,14", True),  # a decimal comma
        ("pi", False),
    ],
)
def test_a_numeric_gap_accepts_answers_within_its_tolerance(typed, right):
    assert grade("{1:NUMERICAL:=3.14:0.01}", [typed]) == (1 if right else 0)


def test_case_sensitive_gaps_need_the_same_capitals():
    text = "{1:SHORTANSWER_C:=Karachi~%50%karachi} {1:SA:=Quetta}"
    assert grade(text, ["Karachi", "QUETTA"]) == 1
    assert grade(text, ["karachi", "quetta"]) == D("0.75")
    assert grade(text, ["KARACHI", "quetta"]) == D("0.5")


def test_wildcards_and_the_catch_all_answer():
    text = r"{1:SA:=Kar*#Starts right~%50%5 \* 3~*#Anything else}"
    _fraction, (gap,) = grading.grade_cloze(text, [[]], ["karachi"])
    assert (gap.fraction, gap.matched.feedback) == (1, "Starts right")
    assert grade(text, ["5 * 3"]) == D("0.5")
    assert grade(text, ["5 x 3"]) == 0
    _fraction, (gap,) = grading.grade_cloze(text, [[]], ["Lahore"])
    assert (gap.fraction, gap.matched.feedback) == (0, "Anything else")


def test_multi_response_adds_right_ticks_and_takes_off_wrong_ones():
    text = "{1:MULTIRESPONSE:=a~=b~c~d}"
    order = [[0, 1, 2, 3]]
    assert grade(text, [[0]], order) == D("0.5")
    assert grade(text, [[0, 1]], order) == 1
    assert grade(text, [[0, 1, 2]], order) == D("0.5")
    assert grade(text, [[0, 2]], order) == 0
    assert grade(text, [[0, 1, 2, 3]], order) == 0
    specific = "{1:MR:%50%a~%50%b~%-25%c}"
    assert grade(specific, [[0, 1, 2]], [[0, 1, 2]]) == D("0.75")


def test_choices_are_graded_by_the_position_in_the_order_shown():
    text = "{1:MCS:=right~wrong~other}"
    assert grade(text, [2], [[1, 2, 0]]) == 1
    assert grade(text, [0], [[1, 2, 0]]) == 0
    assert sorted(grading.cloze_draw(text)[0]) == [0, 1, 2]
    assert grading.cloze_draw("{1:MC:=x~y~z} {1:SA:=a}") == [[0, 1, 2], []]


# On the page ----------------------------------------------------------------------


@pytest.fixture
def cloze_quiz(client, make_learner, make_course):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    bank_import.import_bank(course, "bank.xml", moodle_xml(cloze(1, "Karachi")))
    quiz = authoring.create_quiz(
        course,
        "Karachi",
        [(course.question_categories.get(), 1)],
        show_answers="each_attempt",
    )
    client.force_login(learner)
    return learner, quiz


def right_form(attempt: QuizAttempt, wrong: tuple[int, ...] = ()) -> dict:
    """Form data: every gap right except the gap numbers in ``wrong``."""
    (item,) = attempt.questions
    question = Question.objects.get(pk=item["id"])
    form: dict[str, object] = {f"q{question.pk}": ""}
    for gap, order in zip(gaps_of(question.text), item["gaps"], strict=True):
        field = f"q{question.pk}_{gap.number}"
        if not gap.has_choices:
            answer = gap.answers[0]
            form[field] = "no" if gap.number in wrong else answer.text
            continue
        shown = [gap.answers[i] for i in order]
        picks = [
            str(p)
            for p, answer in enumerate(shown)
            if (answer.fraction > 0) != (gap.number in wrong)
        ]
        form[field] = picks if gap.kind == GapKind.MULTI_RESPONSE else picks[0]
    return form


def test_the_page_shows_inline_labelled_gaps_and_no_answer_or_feedback(
    client, cloze_quiz
):
    learner, quiz = cloze_quiz
    attempt = quizzes.start_attempt(learner, quiz, "en")
    html = client.get(reverse("courses:quiz_attempt", args=[attempt.pk])).content
    page = html.decode()
    for secret in (
        "Sindh#",
        "Right, Sindh.",
        "Nearly",
        "24.86",
        "KHI",
        "Kurrachee",
        "Use a capital K.",
        "That is in Balochistan.",
        "%50%",
        "SHORTANSWER",
        "Look at a map",
        "Sindh’s capital",
    ):
        assert secret not in page, secret
    assert "Karachi is in" in page and "degrees north and" in page
    # Choices are offered (they are the question), each gap labelled by number.
    assert ">Keamari</option>" in page and "<bdi>Indus</bdi>" in page
    assert len(re.findall(r'class="cloze-input"', page)) == 6
    assert len(re.findall(r"<select class=\"cloze-select\"", page)) == 3
    assert page.count('role="radiogroup"') == 4
    assert page.count('role="group"') == 3
    for number in range(1, 17):
        assert f'aria-label="Gap {number}"' in page
    assert page.count('inputmode="decimal"') == 2
    with translation.override("ur"):
        urdu = client.get(reverse("courses:quiz_attempt", args=[attempt.pk]))
    assert 'aria-label="خالی جگہ 1"' in urdu.content.decode()


def test_typed_and_chosen_gaps_are_saved_without_javascript(client, cloze_quiz):
    learner, quiz = cloze_quiz
    attempt = quizzes.start_attempt(learner, quiz, "en")
    form = right_form(attempt)
    client.post(reverse("courses:quiz_save", args=[attempt.pk]), form)
    attempt.refresh_from_db()
    (saved,) = attempt.answers.values()
    assert saved[0] == "Sindh" and saved[4] == "24.86" and len(saved) == 16
    page = client.get(reverse("courses:quiz_attempt", args=[attempt.pk])).content
    assert b'value="Sindh"' in page and page.count(b" selected>") == 3


def test_the_server_grades_each_gap_and_the_result_shows_its_feedback(
    client, cloze_quiz
):
    learner, quiz = cloze_quiz
    attempt = quizzes.start_attempt(learner, quiz, "en")
    # Gap 1 (weight 2) and gap 14 (weight 2) wrong: 15 of 19 marks.
    form = right_form(attempt, wrong=(1, 14))
    form[next(k for k in form if k.endswith("_2"))] = "karachi"  # half of 1 mark
    response = client.post(reverse("courses:quiz_submit", args=[attempt.pk]), form)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.points_possible == CLOZE_WEIGHT
    assert attempt.points_earned == D("14.50")  # (19 - 2 - 2 - 0.5) of 19
    assert attempt.responses.get().fraction == D("0.7631579")

    page = client.get(reverse("courses:quiz_result", args=[attempt.pk])).content
    html = page.decode()
    assert html.count('class="cloze-gap-result"') == 16
    gap_1 = re.search(r'id="q\d+_1-result">(.*?)</li>', html, re.S).group(1)
    assert "✗ Not right" in gap_1 and "Karachi is the capital of Sindh." in gap_1
    assert "Right answer: <bdi>Sindh</bdi>" in gap_1
    gap_2 = re.search(r'id="q\d+_2-result">(.*?)</li>', html, re.S).group(1)
    assert "½ Partly right" in gap_2 and "Use a capital K." in gap_2
    gap_5 = re.search(r'id="q\d+_5-result">(.*?)</li>', html, re.S).group(1)
    assert "✓ Right" in gap_5 and "Right." in gap_5
    assert "Karachi is Sindh’s capital." in html  # the general feedback
    with translation.override("ur"):
        urdu = client.get(reverse("courses:quiz_result", args=[attempt.pk]))
    assert "خالی جگہ 1" in urdu.content.decode()


def test_a_forged_form_cannot_choose_outside_a_gap_or_grow_the_response(
    client, cloze_quiz
):
    learner, quiz = cloze_quiz
    attempt = quizzes.start_attempt(learner, quiz, "en")
    (item,) = attempt.questions
    field = f"q{item['id']}"
    form = {field: "", f"{field}_7": "9", f"{field}_14": ["0", "7", "x"], "q999_1": "1"}
    client.post(reverse("courses:quiz_save", args=[attempt.pk]), form)
    attempt.refresh_from_db()
    saved = attempt.answers[str(item["id"])]
    assert len(saved) == 16 and saved[6] is None and saved[13] == [0]
    assert list(attempt.answers) == [str(item["id"])]


def test_an_exported_bank_with_cloze_imports_the_same(make_course):
    source, target = make_course(lessons=1), make_course(lessons=1)
    bank_import.import_bank(source, "bank.xml", moodle_xml(cloze(1, "Karachi")))
    category = QuestionCategory.objects.get(course=source)
    for file_format in ("xml", "gift"):
        data = banks.export_bank(banks.bank_questions(category), file_format)
        bank_import.import_bank(target, f"bank.{file_format}", data)
    copies = Question.objects.filter(category__course=target)
    assert [(q.kind, q.text, q.points) for q in copies] == [
        ("cloze", CLOZE_TEXT, D(CLOZE_WEIGHT))
    ] * 2


def test_a_hand_written_gift_cloze_is_worth_its_gaps_weights_unless_told():
    text = "Lahore is in \\{2:SA:=Punjab\\} and \\{1:MC:=Pakistan\\~India\\}."
    (question,) = parse_gift(f'// lms:{{"kind":"cloze"}}\n::Gaps::{text}\n')
    assert (question.kind, question.default_mark) == (QuestionKind.CLOZE, 3)
    assert question.text == "Lahore is in {2:SA:=Punjab} and {1:MC:=Pakistan~India}."
    assert '"points"' not in to_gift([question])
    question.default_mark = D(5)
    assert '"points":"5"' in to_gift([question])
    assert parse_gift(to_gift([question])) == [question]


def test_the_test_helper_answers_a_cloze_question_right_and_wrong(cloze_quiz):
    from .conftest import right_answers

    learner, quiz = cloze_quiz
    attempt = quizzes.start_attempt(learner, quiz, "en")
    wrong = quizzes.answers_from_form(attempt, FormData(right_answers(attempt, False)))
    assert grading.grade_cloze(
        Question.objects.get().text, attempt.questions[0]["gaps"], *wrong.values()
    )[0] == D(0)
    right = quizzes.answers_from_form(attempt, FormData(right_answers(attempt)))
    submission = quizzes.submit_attempt(learner, attempt.pk, right)
    assert submission.attempt.score == 100


class FormData(dict):
    def getlist(self, key):
        return self[key]
