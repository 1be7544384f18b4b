"""Banks out and back in: GIFT and Moodle XML keep every stored field.

A bank with every supported kind and every setting kept from Moodle is exported
and imported into another course; each stored field of each question, answer
and category must come back the same.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from courses import services
from courses.models import AnswerOption, Question, QuestionCategory
from courses.quiz_formats import (
    MatchPair,
    NumericAnswer,
    ParsedChoice,
    ParsedQuestion,
    QuestionKind,
    TextAnswer,
    TextFormat,
)
from courses.quiz_formats.questions import true_false_choices
from courses.quizzes import authoring, bank_import, banks, grading
from courses.quizzes import services as quizzes

from .moodle_files import CLOZE_TEXT, CLOZE_WEIGHT

pytestmark = pytest.mark.django_db
D = Decimal

UNIT = "$course$/top/Unit 1"
WEEK = "$course$/top/Unit 1/Week 2"
DESCRIPTIONS = {
    UNIT: "<p>Everything of <b>unit 1</b>.</p>",
    WEEK: "Week 2: rules and routines",
}


def every_kind() -> list[ParsedQuestion]:
    return [
        ParsedQuestion(
            kind=QuestionKind.DESCRIPTION,
            name="Read first",
            text="<p>Read lesson 1 before you start.</p>",
            text_format=TextFormat.HTML,
            category=UNIT,
            default_mark=D(0),
        ),
        ParsedQuestion(
            kind=QuestionKind.SINGLE_CHOICE,
            name="How many rules",
            text="<p>How many rules on <b>day one</b>?</p>",
            text_format=TextFormat.HTML,
            choices=[
                ParsedChoice("One", D(0), "Too few"),
                ParsedChoice("Three to five", D(1), "Yes"),
                ParsedChoice("Twenty", D("-0.5"), "Too many: {a} #1 ~2 =3"),
            ],
            feedback_correct="Few enough to remember.",
            feedback_partial="",
            feedback_incorrect="Lesson 1 suggests three to five.",
            general_feedback="Short rules work.",
            category=UNIT,
            default_mark=D("2.5"),
            hints=["<p>Think of lesson 1.</p>", "Count them"],
            penalty=D("0.1"),
            shuffle_answers=False,
            idnumber="CM-1",
            tags=["rules", "unit 1"],
        ),
        ParsedQuestion(
            kind=QuestionKind.MULTIPLE_CHOICE,
            name="Good rules",
            text="Which rules are good?",
            text_format=TextFormat.PLAIN,
            choices=[
                ParsedChoice("Listen when someone speaks", D("0.3333333"), "Yes"),
                ParsedChoice("Raise a hand", D("0.3333333")),
                ParsedChoice("Be kind", D("0.3333334")),
                ParsedChoice("Never talk", D("-0.5"), "Too strict"),
                ParsedChoice("No rules", D("-0.5")),
            ],
            feedback_correct="All three.",
            feedback_partial="Some of them.",
            feedback_incorrect="None of them.",
            category=WEEK,
            penalty=D(0),
        ),
        ParsedQuestion(
            kind=QuestionKind.MULTIPLE_CHOICE,
            name="All or nothing",
            text="Tick **both** right ones.",
            text_format=TextFormat.MARKDOWN,
            choices=[
                ParsedChoice("A", D("0.5")),
                ParsedChoice("B", D("0.5")),
                ParsedChoice("C", D(0), "Not C"),
            ],
            partial_credit=False,
            category=WEEK,
        ),
        ParsedQuestion(
            kind=QuestionKind.TRUE_FALSE,
            name="Rules as do",
            text="Rules work best as things to do.",
            choices=true_false_choices(True),
            feedback_correct="Right: 'listen' beats 'don't talk'.",
            feedback_incorrect="Positive rules say what to do.",
            category=WEEK,
            tags=["rules"],
        ),
        ParsedQuestion(
            kind=QuestionKind.TRUE_FALSE,
            name="Answer feedback",
            text="اصول کم ہونے چاہییں۔",
            choices=true_false_choices(False, "غلط", "درست"),
            feedback_correct="بہت خوب",
            category=WEEK,
        ),
        ParsedQuestion(
            kind=QuestionKind.NUMERIC,
            name="Minutes",
            text="How many minutes for a routine?",
            numeric_answers=[
                NumericAnswer(D(5), D("0.5"), D(1), "Right"),
                NumericAnswer(D(10), D(2), D("0.5"), "Close"),
            ],
            feedback_correct="Well done",
            feedback_incorrect="Lesson 3 says five.",
            category=WEEK,
            default_mark=D(3),
        ),
        ParsedQuestion(
            kind=QuestionKind.SHORT_TEXT,
            name="Capital",
            text="Capital of Punjab?",
            text_answers=[
                TextAnswer("Lahore", D(1), "Yes"),
                TextAnswer("LHR", D("0.5"), "Write it out"),
            ],
            feedback_partial="Nearly",
            feedback_incorrect="It is Lahore.",
            case_sensitive=True,
            category=UNIT,
        ),
        ParsedQuestion(
            kind=QuestionKind.MATCHING,
            name="Provinces",
            text="Match each city with its province.",
            pairs=[
                MatchPair("Lahore", "Punjab"),
                MatchPair("Quetta", "Balochistan"),
                MatchPair("", "Sindh"),
            ],
            feedback_correct="All matched",
            feedback_partial="Some matched",
            feedback_incorrect="Look at the map",
            category=UNIT,
            shuffle_answers=False,
        ),
        ParsedQuestion(
            kind=QuestionKind.CLOZE,
            name="Karachi gaps",
            text=CLOZE_TEXT,
            text_format=TextFormat.HTML,
            general_feedback="<p>Karachi is Sindh's capital.</p>",
            hints=["<p>Look at a map.</p>"],
            feedback_correct="All right",
            feedback_partial="Some right",
            feedback_incorrect="Look at the map",
            penalty=D("0.1"),
            idnumber="CL-1",
            tags=["cloze", "maps"],
            default_mark=D(CLOZE_WEIGHT),
            category=WEEK,
        ),
    ]


def stored_bank(course) -> dict:
    """Every stored field of the course's categories, questions and answers."""
    categories = {
        c.name: (c.description, c.parent.name if c.parent else None)
        for c in QuestionCategory.objects.filter(course=course).select_related("parent")
    }
    questions = []
    for question in (
        Question.objects.filter(category__course=course)
        .select_related("category", "locale")
        .prefetch_related("options")
        .order_by("category__name", "pk")
    ):
        row = {
            field.name: getattr(question, field.attname)
            for field in Question._meta.concrete_fields
            if field.name not in ("id", "category", "locale", "translation_key")
        }
        row["category"] = question.category.name
        row["locale"] = question.locale.language_code
        row["options"] = [
            {
                field.name: getattr(option, field.attname)
                for field in AnswerOption._meta.concrete_fields
                if field.name not in ("id", "question")
            }
            for option in question.options.all()
        ]
        questions.append(row)
    return {"categories": categories, "questions": questions}


def test_the_bank_holds_every_field_it_is_compared_on(make_course):
    course = make_course(lessons=1)
    authoring.import_questions(course, every_kind(), category_descriptions=DESCRIPTIONS)
    bank = stored_bank(course)
    assert len(bank["questions"]) == 10
    assert set(bank["questions"][0]) >= {
        "hints",
        "penalty",
        "case_sensitive",
        "shuffle_answers",
        "idnumber",
        "tags",
        "partial_credit",
        "feedback_partial",
    }
    by_name = {row["name"]: row for row in bank["questions"]}
    assert by_name["How many rules"]["hints"] == [
        "<p>Think of lesson 1.</p>",
        "Count them",
    ]
    assert by_name["How many rules"]["penalty"] == D("0.1")
    assert by_name["Capital"]["case_sensitive"] is True
    assert by_name["All or nothing"]["partial_credit"] is False
    # Wrong options of all-or-nothing questions are not turned negative.
    assert [o["fraction"] for o in by_name["All or nothing"]["options"]] == [
        D("0.5"),
        D("0.5"),
        D(0),
    ]
    assert bank["categories"]["Unit 1/Week 2"] == (
        "Week 2: rules and routines",
        "Unit 1",
    )


@pytest.mark.parametrize("file_format", ["gift", "xml"])
def test_export_then_import_gives_an_identical_bank(make_course, file_format):
    source, target = make_course(lessons=1), make_course(lessons=1)
    authoring.import_questions(source, every_kind(), category_descriptions=DESCRIPTIONS)
    top = QuestionCategory.objects.get(course=source, name="Unit 1")
    data = banks.export_bank(banks.bank_questions(top), file_format)
    bank_import.import_bank(target, f"bank.{file_format}", data)
    assert stored_bank(target) == stored_bank(source)
    # And once more: the second export is byte for byte the first.
    again = QuestionCategory.objects.get(course=target, name="Unit 1")
    assert banks.export_bank(banks.bank_questions(again), file_format) == data


def test_gift_export_is_moodle_gift_with_comments_moodle_ignores(make_course):
    course = make_course(lessons=1)
    authoring.import_questions(course, every_kind(), category_descriptions=DESCRIPTIONS)
    top = QuestionCategory.objects.get(course=course, name="Unit 1")
    text = banks.export_bank(banks.bank_questions(top), "gift").decode()
    # True/false right and wrong feedback in GIFT's own syntax, which Moodle shows.
    assert "\tTRUE#Positive rules say what to do.#Right\\: 'listen'" in text
    assert "// [id:CM-1] [tag:rules] [tag:unit 1]\n" in text
    assert '// lms:{"description":"Week 2: rules and routines"}\n' in text


@pytest.mark.parametrize("file_format", ["gift", "xml"])
def test_the_demo_questions_keep_their_feedback_on_a_round_trip(
    demo_site, make_course, file_format
):
    call_command("seed_demo", stdout=io.StringIO())
    demo = list(Question.objects.order_by("pk"))
    with_feedback = [q for q in demo if q.feedback_correct and q.feedback_incorrect]
    assert len(with_feedback) == 18
    target = make_course(lessons=1)
    for language in ("en", "ur"):
        questions = [q for q in demo if q.locale.language_code == language]
        data = banks.export_bank(questions, file_format)
        bank_import.import_bank(target, f"demo.{file_format}", data, language=language)
    back = {
        (q.locale.language_code, q.name): q
        for q in Question.objects.filter(category__course=target)
    }
    assert len(back) == len(demo) == 18
    for question in demo:
        copy = back[(question.locale.language_code, question.name)]
        fields = (
            "kind",
            "text",
            "points",
            "feedback_correct",
            "feedback_partial",
            "feedback_incorrect",
            "general_feedback",
        )
        assert [getattr(copy, f) for f in fields] == [
            getattr(question, f) for f in fields
        ]
        assert [(o.text, o.fraction, o.feedback) for o in copy.options.all()] == [
            (o.text, o.fraction, o.feedback) for o in question.options.all()
        ]


def test_short_text_honours_case_sensitivity(make_course):
    course = make_course(lessons=1)
    sensitive, relaxed = authoring.import_questions(
        course,
        [
            ParsedQuestion(
                kind=QuestionKind.SHORT_TEXT,
                name=name,
                text="Capital of Punjab?",
                text_answers=[TextAnswer("Lahore")],
                case_sensitive=name == "Sensitive",
            )
            for name in ("Sensitive", "Relaxed")
        ],
    )
    assert grading.grade(sensitive, [], "  Lahore ").fraction == 1
    assert grading.grade(sensitive, [], "lahore").fraction == 0
    assert grading.grade(sensitive, [], "LAHORE").fraction == 0
    assert grading.grade(relaxed, [], "lahore").fraction == 1


def test_options_keep_their_order_when_shuffle_is_off(make_course, make_learner):
    course = make_course(lessons=1)
    category = authoring.category_for(course, "", "Ordered")
    choices = [ParsedChoice(f"Option {n}", D(1 if n == 1 else 0)) for n in range(8)]
    [question] = authoring.import_questions(
        course,
        [
            ParsedQuestion(
                kind=QuestionKind.SINGLE_CHOICE,
                name="Ordered",
                text="Which?",
                choices=choices,
                shuffle_answers=False,
            )
        ],
        category,
    )
    quiz = authoring.create_quiz(
        course, "Ordered quiz", [(category, 1)], max_attempts=None
    )
    learner = make_learner()
    services.enrol(learner, course)
    stored = list(question.options.order_by("sort_order").values_list("pk", flat=True))
    for _attempt in range(5):
        attempt = quizzes.start_attempt(learner, quiz, "en")
        assert attempt.questions[0]["options"] == stored
        quizzes.submit_attempt(learner, attempt.pk, {})
