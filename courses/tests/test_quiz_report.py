"""The trainer's report: pass rate, distribution, facility and discrimination."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Question
from courses.quizzes import analysis
from courses.quizzes import authoring as quiz_authoring
from courses.quizzes import services as quizzes

from .conftest import right_answers

pytestmark = pytest.mark.django_db

BANK = "::Hard::Hard one {=yes ~no}\n\n::Easy::Easy one {=yes ~no}\n"


def take(learner, quiz, hard_right: bool):
    attempt = quizzes.start_attempt(learner, quiz, "en")
    answers = {}
    for name, right in (("Hard", hard_right), ("Easy", True)):
        question = Question.objects.get(name=name, pk__in=attempt.question_ids)
        form = right_answers(attempt, right=right)
        answers[str(question.pk)] = int(form[f"q{question.pk}"][0])
    return quizzes.submit_attempt(learner, attempt.pk, answers).attempt


@pytest.fixture
def results(make_learner, make_course, make_quiz):
    def build(learners: int):
        course = make_course(lessons=1)
        quiz = make_quiz(course, gift=BANK, draw=2, pass_mark=60)
        for index in range(learners):
            learner = make_learner()
            services.enrol(learner, course)
            take(learner, quiz, hard_right=index < learners // 2)
        return quiz

    return build


def test_report_figures(results):
    quiz = results(10)
    report = analysis.quiz_report(quiz)
    assert report.attempts == 10 and report.learners == 10
    assert report.pass_rate == 50 and report.mean_score == 75
    assert dict(report.distribution) == {
        **{label: 0 for label, _count in report.distribution},
        "50–59": 5,
        "90–100": 5,
    }
    items = {item.question.name: item for item in report.items}
    assert items["Hard"].facility == 0.5 and items["Easy"].facility == 1
    # Top 3 and bottom 3 of 10 (27%): all right against all wrong.
    assert items["Hard"].discrimination == 1
    assert items["Easy"].discrimination == 0
    csv_text = analysis.report_csv(report)
    assert "Hard,Bank" in csv_text and ",10,0.50,1.00" in csv_text


def test_discrimination_needs_four_responses():
    assert analysis.discrimination_index([(100, 1), (0, 0), (50, 1)]) is None
    assert analysis.discrimination_index([(100, 1), (0, 0), (50, 1), (20, 0)]) == 1


def test_report_page_queries_do_not_grow_with_attempts(
    client, results, django_user_model
):
    admin = django_user_model.objects.create_superuser("boss@example.org", "pw-long-42")
    client.force_login(admin)
    counts = []
    for learners in (2, 12):
        quiz = results(learners)
        url = reverse("courses_quiz_report", args=[quiz.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert "Hard" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 25


def test_trainers_author_only_their_own_programmes_banks(
    client, make_course, make_learner, make_bank, home_page
):
    from django.contrib.auth.models import Group

    from courses import authoring
    from courses.models import ProgrammePage, Quiz

    course = make_course(lessons=1)
    category = make_bank(course, BANK)
    quiz = quiz_authoring.create_quiz(course, "Mine", [(category, 2)])
    own = Group.objects.create(name="Own trainers")
    authoring.grant_programme_to_group(ProgrammePage.objects.get(), own)
    other_programme = authoring.create_programme(
        home_page, "Other", "other", audience=ProgrammePage.Audience.LECTURERS
    )
    others = Group.objects.create(name="Other trainers")
    authoring.grant_programme_to_group(other_programme, others)
    trainer, outsider = make_learner(), make_learner()
    trainer.groups.add(own)
    outsider.groups.add(others)
    question = Question.objects.filter(category=category).first()
    edit_question = reverse("wagtailsnippets_courses_question:edit", args=[question.pk])
    edit_quiz = reverse("wagtailsnippets_courses_quiz:edit", args=[quiz.pk])
    questions = reverse("wagtailsnippets_courses_question:list")
    quizzes_list = reverse("wagtailsnippets_courses_quiz:list")

    client.force_login(trainer)
    for url in (
        edit_question,
        edit_quiz,
        reverse("wagtailsnippets_courses_question:add"),
        reverse("wagtailsnippets_courses_quiz:add"),
        reverse("courses_quiz_import"),
    ):
        assert client.get(url).status_code == 200, url
    assert question.name in client.get(questions).content.decode()
    report_url = reverse("courses_quiz_report", args=[quiz.pk])
    assert report_url in client.get(quizzes_list).content.decode()

    client.force_login(outsider)
    assert client.get(edit_question).status_code != 200
    assert client.get(edit_quiz).status_code != 200
    assert question.name not in client.get(questions).content.decode()
    add_form = client.get(reverse("wagtailsnippets_courses_question:add"))
    assert add_form.status_code == 200
    assert category.name not in add_form.content.decode()
    response = client.post(edit_quiz, {"title": "Taken over"})
    assert Quiz.objects.get(pk=quiz.pk).title == "Mine"
    assert response.status_code != 200


def add_question_in_the_admin(client, django_user_model, category, fields, options):
    """Post Wagtail's "add question" form as a superuser; ``options`` are
    (text, fraction) pairs. Returns the response."""
    admin = django_user_model.objects.create_superuser("boss@example.org", "pw-long-42")
    client.force_login(admin)
    data = {
        "category": category.pk,
        "text_format": "plain",
        "points": "1",
        "response_lines": "15",  # shown (with this default) for every type
        "penalty": "0.3333333",
        "shuffle_answers": "on",
        **fields,
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for index, (text, fraction) in enumerate(options):
        data |= {
            f"options-{index}-text": text,
            f"options-{index}-value": "",
            f"options-{index}-tolerance": "0",
            f"options-{index}-fraction": fraction,
            f"options-{index}-feedback": "",
            f"options-{index}-ORDER": str(index + 1),
            f"options-{index}-DELETE": "",
            f"options-{index}-id": "",
        }
    return client.post(
        reverse("wagtailsnippets_courses_question:add") + "?locale=en", data
    )


def test_a_trainer_writes_a_question_in_the_admin(
    client, make_course, make_bank, django_user_model
):
    category = make_bank(make_course(lessons=1), BANK)
    fields = {
        "kind": "short_text",
        "name": "Teacher",
        "text": "Urdu for teacher?",
        "partial_credit": "on",
        "feedback_correct": "Yes",
        "feedback_partial": "",
        "feedback_incorrect": "No",
        "general_feedback": "",
    }
    response = add_question_in_the_admin(
        client, django_user_model, category, fields, [("استاد", "1"), ("معلم", "1")]
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(name="Teacher")
    assert list(question.options.values_list("text", flat=True)) == ["استاد", "معلم"]


def test_the_admin_refuses_a_choice_question_with_no_right_option(
    client, make_course, make_bank, django_user_model
):
    category = make_bank(make_course(lessons=1), BANK)
    fields = {"kind": "single_choice", "name": "Nothing right", "text": "Pick one"}
    options = [("Option 0", "0"), ("Option 1", "0")]
    response = add_question_in_the_admin(
        client, django_user_model, category, fields, options
    )
    assert response.status_code == 200
    assert "no option is marked correct" in response.content.decode()
    assert not Question.objects.filter(name="Nothing right").exists()


def test_hints_and_tags_are_edited_in_the_admin_and_kept_when_untouched(
    client, make_course, make_bank, django_user_model
):
    category = make_bank(make_course(lessons=1), BANK)
    fields = {
        "kind": "short_text",
        "name": "Teacher",
        "text": "Urdu for teacher?",
        "hints": "Think of school.\r\n\r\n<p>It starts with alif.</p>\r\n",
        "tags": "vocabulary\r\n  unit 1 \r\n\r\n",
    }
    response = add_question_in_the_admin(
        client, django_user_model, category, fields, [("استاد", "1")]
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(name="Teacher")
    assert question.hints == ["Think of school.", "<p>It starts with alif.</p>"]
    assert question.tags == ["vocabulary", "unit 1"]

    # An imported hint holding an empty line survives an edit that leaves it be.
    Question.objects.filter(pk=question.pk).update(hints=["One.\n\nStill one."])
    edit = reverse("wagtailsnippets_courses_question:edit", args=[question.pk])
    form = client.get(edit).context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else ""
        for name in form.fields
    }
    data = {k: v for k, v in data.items() if v is not False}
    data["hints"] = form["hints"].value()
    option = question.options.get()
    data |= {
        "options-TOTAL_FORMS": "1",
        "options-INITIAL_FORMS": "1",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-id": option.pk,
        "options-0-text": option.text,
        "options-0-match_text": "",
        "options-0-value": "",
        "options-0-tolerance": "0",
        "options-0-fraction": "1",
        "options-0-feedback": "",
        "options-0-ORDER": "1",
        "options-0-DELETE": "",
        "tags": "vocabulary\nunit 1\n" + "x" * 101,
    }
    response = client.post(edit, data)
    assert "at most 100 characters" in response.content.decode()
    data["tags"] = "vocabulary\nunit 2"
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    assert question.hints == ["One.\n\nStill one."]
    assert question.tags == ["vocabulary", "unit 2"]


@pytest.mark.parametrize(
    ("text", "options", "error"),
    [
        ("Lahore is in {1:SA:=Punjab} and {1:MC:=Pakistan~India}.", [], None),
        ("Lahore is in {1:SA:=Punjab", [], "gap 1: the gap&#x27;s { is not closed"),
        ("Lahore is in {1:SA:=Punjab}.", [("Punjab", "1")], "answers in its text"),
    ],
)
def test_a_trainer_writes_a_cloze_question_in_the_admin(
    client, make_course, make_bank, django_user_model, text, options, error
):
    category = make_bank(make_course(lessons=1), BANK)
    fields = {"kind": "cloze", "name": "Lahore gaps", "text": text}
    response = add_question_in_the_admin(
        client, django_user_model, category, fields, options
    )
    if error is None:
        assert response.status_code == 302, response.content.decode()[:3000]
        question = Question.objects.get(name="Lahore gaps")
        assert question.display_text == "Lahore is in [1] and [2]."
    else:
        assert response.status_code == 200
        assert error in response.content.decode()
        assert not Question.objects.filter(name="Lahore gaps").exists()
