"""Fair partial credit: Moodle's rule. Option weights may be negative, the grade
is the sum of the ticked options' weights held between 0 and 1, and ticking
every option no longer pays."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from courses.models import AnswerOption, Question
from courses.quiz_formats import parse_gift, parse_moodle_xml
from courses.quiz_formats.questions import penalise_free_wrong_options
from courses.quizzes import authoring, banks
from courses.quizzes.grading import grade

from .test_quiz_report import add_question_in_the_admin

pytestmark = pytest.mark.django_db

# Moodle's documented example: two right options at 50%, two wrong at -50%.
MOODLE_EXAMPLE = """::Primes::Which of these are prime numbers? {
~%50%2
~%50%3
~%-50%4
~%-50%6
}
"""
# As many banks in the wild are written: wrong options weigh nothing.
FREE_WRONG = """::Calm::Which are calm responses? {
~%50%Move closer
~%50%Remind of the rule
~Shout
~Send everyone out
~Ignore it
}
"""


def import_one(course, gift: str) -> Question:
    category = authoring.category_for(course, "", "Bank")
    (question,) = authoring.import_questions(course, parse_gift(gift), category)
    return question


def grade_ticking(question: Question, texts: list[str]) -> Decimal:
    shown = list(question.options.all())
    chosen = [i for i, option in enumerate(shown) if option.text in texts]
    return grade(question, shown, chosen).fraction


def test_the_moodle_example_grades_as_in_moodle(make_course):
    question = import_one(make_course(lessons=1), MOODLE_EXAMPLE)
    assert [o.fraction for o in question.options.all()] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("-0.5"),
        Decimal("-0.5"),
    ]
    assert grade_ticking(question, ["2", "3"]) == 1
    assert grade_ticking(question, ["2"]) == Decimal("0.5")
    assert grade_ticking(question, ["2", "4"]) == 0
    assert grade_ticking(question, ["2", "3", "4"]) == Decimal("0.5")
    # Below zero is held at zero.
    assert grade_ticking(question, ["4", "6"]) == 0
    assert grade_ticking(question, ["2", "3", "4", "6"]) == 0


def test_ticking_every_option_of_an_imported_bank_earns_nothing(make_course):
    question = import_one(make_course(lessons=1), FREE_WRONG)
    fractions = [o.fraction for o in question.options.all()]
    assert fractions[:2] == [Decimal("0.5"), Decimal("0.5")]
    assert fractions[2:] == [
        Decimal("-0.3333333"),
        Decimal("-0.3333333"),
        Decimal("-0.3333334"),
    ]
    everything = [o.text for o in question.options.all()]
    assert grade_ticking(question, everything) == 0
    assert grade_ticking(question, ["Move closer", "Remind of the rule"]) == 1
    assert grade_ticking(question, ["Move closer", "Shout"]) == Decimal("0.1666667")


def test_the_penalty_leaves_single_answers_and_set_weights_alone():
    one, zero = Decimal(1), Decimal(0)
    assert penalise_free_wrong_options([one, zero]) == [one, Decimal(-1)]
    kept = [Decimal("0.5"), Decimal("0.5"), Decimal("-1")]
    assert penalise_free_wrong_options(kept) == kept
    assert penalise_free_wrong_options([zero, zero]) == [zero, zero]


@pytest.mark.parametrize("file_format", ["gift", "xml"])
def test_negative_weights_survive_export_and_import(make_course, file_format):
    question = import_one(make_course(lessons=1), FREE_WRONG)
    exported = banks.export_bank([question], file_format)
    if file_format == "gift":
        assert "~%-33.33333%Shout" in exported.decode()
        (parsed,) = parse_gift(exported.decode())
    else:
        assert b'fraction="-33.33333"' in exported
        (parsed,) = parse_moodle_xml(exported)
    assert [c.fraction for c in parsed.choices] == [
        o.fraction for o in question.options.all()
    ]


def test_the_migration_makes_ticking_everything_earn_nothing(make_course):
    from importlib import import_module

    migration = import_module(
        "courses.migrations.0006_wrong_options_subtract_in_partial_credit"
    )
    question = import_one(make_course(lessons=1), MOODLE_EXAMPLE)
    # A bank saved before the fix: the wrong options weigh nothing.
    AnswerOption.objects.filter(question=question, fraction__lt=0).update(fraction=0)
    exact = import_one(make_course(lessons=1), MOODLE_EXAMPLE)
    Question.objects.filter(pk=exact.pk).update(partial_credit=False)
    AnswerOption.objects.filter(question=exact, fraction__lt=0).update(fraction=0)

    migration.penalise_free_wrong_options(apps, None)
    assert [o.fraction for o in question.options.all()] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("-0.5"),
        Decimal("-0.5"),
    ]
    question = Question.objects.get(pk=question.pk)
    assert grade_ticking(question, ["2", "3", "4", "6"]) == 0
    # Without partial credit only the exact set earns marks; nothing to change.
    assert sorted(o.fraction for o in exact.options.all()) == [0, 0, 0.5, 0.5]


MULTIPLE = {
    "kind": "multiple_choice",
    "name": "Calm responses",
    "text": "Which are calm?",
    "partial_credit": "on",
    "feedback_correct": "",
    "feedback_partial": "",
    "feedback_incorrect": "",
    "general_feedback": "",
}


def test_the_admin_refuses_wrong_options_that_cost_nothing(
    client, make_course, make_bank, django_user_model
):
    category = make_bank(make_course(lessons=1))
    options = [("Closer", "0.5"), ("Rule", "0.5"), ("Shout", "0"), ("Out", "0")]
    response = add_question_in_the_admin(
        client, django_user_model, category, MULTIPLE, options
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ticking every option would earn full marks" in html
    assert "such as -50%" in html
    assert not Question.objects.filter(name="Calm responses").exists()


def test_the_admin_refuses_right_options_not_adding_up(
    client, make_course, make_bank, django_user_model
):
    category = make_bank(make_course(lessons=1))
    options = [("Closer", "0.5"), ("Rule", "0.4"), ("Shout", "-1")]
    response = add_question_in_the_admin(
        client, django_user_model, category, MULTIPLE, options
    )
    assert response.status_code == 200
    assert "the right options add up to 90%, not 100%" in response.content.decode()
    assert not Question.objects.filter(name="Calm responses").exists()


def test_the_admin_saves_negative_weights(
    client, make_course, make_bank, django_user_model
):
    category = make_bank(make_course(lessons=1))
    options = [("Closer", "0.5"), ("Rule", "0.5"), ("Shout", "-1")]
    response = add_question_in_the_admin(
        client, django_user_model, category, MULTIPLE, options
    )
    assert response.status_code == 302
    question = Question.objects.get(name="Calm responses")
    assert grade_ticking(question, ["Closer", "Rule", "Shout"]) == 0


def test_the_model_check_speaks_urdu(make_course, make_bank):
    question = Question(
        category=make_bank(make_course(lessons=1)),
        kind=Question.Kind.MULTIPLE_CHOICE,
        name="Calm",
        text="Which are calm?",
        partial_credit=True,
        options=[
            AnswerOption(text="Closer", fraction=Decimal(1)),
            AnswerOption(text="Shout", fraction=Decimal(0)),
        ],
    )
    with translation.override("ur"), pytest.raises(ValidationError) as refused:
        question.full_clean(exclude=["translation_key", "locale"])
    with translation.override("ur"):
        message = " ".join(refused.value.messages)
    assert "ہر غلط" in message and "-100%" in message
