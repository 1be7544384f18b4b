"""The quiz report CSV never hands a spreadsheet a formula from a trainer."""

import csv
import io

import pytest

from courses import services
from courses.models import Question
from courses.quizzes import analysis
from courses.quizzes import services as quizzes

pytestmark = pytest.mark.django_db

BANK = (
    '::=HYPERLINK("http://evil.example/","Open")::Pick yes {=yes ~no}\n\n'
    "::+1+cmd|' /C calc'!A0::Pick yes again {=yes ~no}\n\n"
    "::@SUM(1+1)::And once more {=yes ~no}\n\n"
    "::-2+3::And again {=yes ~no}\n"
)


def test_formulas_in_titles_and_names_are_written_as_text(
    make_learner, make_course, make_quiz
):
    course = make_course(lessons=1)
    quiz = make_quiz(course, gift=BANK, draw=4, title='=HYPERLINK("http://x/","y")')
    for right in (True, False, True, False):
        learner = make_learner()
        services.enrol(learner, course)
        attempt = quizzes.start_attempt(learner, quiz, "en")
        answers = {}
        for question_id in attempt.question_ids:
            item = next(i for i in attempt.questions if i["id"] == question_id)
            question = Question.objects.get(pk=question_id)
            wanted = "yes" if right else "no"
            position = next(
                n
                for n, option_id in enumerate(item["options"])
                if question.options.get(pk=option_id).text.strip() == wanted
            )
            answers[str(question_id)] = position
        quizzes.submit_attempt(learner, attempt.pk, answers)

    written = analysis.report_csv(analysis.quiz_report(quiz))
    rows = list(csv.reader(io.StringIO(written)))
    cells = [cell for row in rows for cell in row]

    assert rows[0] == ["quiz", '\'=HYPERLINK("http://x/","y")']
    for name in ('=HYPERLINK("http://evil.example/","Open")', "+1+cmd|' /C calc'!A0"):
        assert "'" + name in cells
        assert name not in cells
    assert "'@SUM(1+1)" in cells and "'-2+3" in cells
    # Numbers stay numbers.
    assert "4" in cells and "100.0" not in [c for c in cells if c.startswith("'")]
