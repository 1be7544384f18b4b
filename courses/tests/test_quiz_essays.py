"""Essay questions: imported and exported, answered, waiting, marked by a trainer
of the programme only, and completing the course exactly once."""

from __future__ import annotations

import types
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from courses import authoring as pages
from courses import services as learning
from courses.models import Enrolment, ProgrammePage, Question, QuizAttempt
from courses.quiz_formats import (
    QuestionFormatError,
    QuestionKind,
    parse_gift,
    parse_moodle_xml,
    to_gift,
    to_moodle_xml,
)
from courses.quizzes import authoring, bank_import, banks
from courses.quizzes import services as quizzes

from .conftest import page_queries, right_answers

D = Decimal

ESSAY_GIFT = """\
::Right one::Which is right? {=Right ~Wrong}

::My classroom::Describe your classroom. {}

::Why plan::[html]<p>Why plan a lesson?</p>{
\t####Good answers mention time and goals.
}
"""

ESSAY_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Essays</text></category>
  </question>
  <question type="essay">
    <name><text>Lesson plan</text></name>
    <questiontext format="html"><text><![CDATA[<p>Write a lesson plan.</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>5.0000000</defaultgrade>
    <penalty>0.0000000</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <responseformat>editor</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>10</responsefieldlines>
    <minwordlimit></minwordlimit>
    <maxwordlimit></maxwordlimit>
    <attachments>0</attachments>
    <attachmentsrequired>0</attachmentsrequired>
    <maxbytes>0</maxbytes>
    <filetypeslist></filetypeslist>
    <graderinfo format="html"><text><![CDATA[<p>Look for goals.</p>]]></text>
    </graderinfo>
    <responsetemplate format="html"><text>Goals:</text></responsetemplate>
  </question>
</quiz>
"""


# Formats -------------------------------------------------------------------------


def test_gift_empty_braces_import_as_essays_and_export_back_the_same(make_course):
    course = make_course(lessons=1)
    result = bank_import.import_bank(course, "bank.gift", ESSAY_GIFT.encode())
    essays = Question.objects.filter(kind=Question.Kind.ESSAY).order_by("name")
    assert [q.name for q in essays] == ["My classroom", "Why plan"]
    assert essays[1].general_feedback == "Good answers mention time and goals."
    assert not result.skipped
    exported = banks.export_bank(banks.bank_questions(essays[0].category), "gift")
    again = parse_gift(exported.decode() if isinstance(exported, bytes) else exported)
    assert [(q.kind, q.name, q.text, q.general_feedback) for q in again] == [
        (QuestionKind(q.kind), q.name, q.text, q.general_feedback)
        for q in parse_gift(ESSAY_GIFT)
    ]


def test_moodle_xml_essays_keep_lines_template_and_marker_notes_both_ways(
    make_course,
):
    course = make_course(lessons=1)
    bank_import.import_bank(course, "bank.xml", ESSAY_XML)
    essay = Question.objects.get(kind=Question.Kind.ESSAY)
    assert (essay.points, essay.response_lines, essay.response_template) == (
        D("5.00"),
        10,
        "Goals:",
    )
    assert essay.grader_info == "<p>Look for goals.</p>"
    exported = banks.export_bank(banks.bank_questions(essay.category), "xml")
    assert b'<question type="essay">' in exported
    assert parse_moodle_xml(exported) == parse_moodle_xml(ESSAY_XML)


def test_gift_keeps_an_essays_box_template_and_marker_notes():
    (essay,) = parse_moodle_xml(ESSAY_XML)
    essay.default_mark = D(1)
    written = to_gift([essay])
    assert "{\n}" in written  # Moodle reads the block as an essay
    (back,) = parse_gift(written)
    assert (back.kind, back.response_lines, back.response_template) == (
        essay.kind,
        10,
        "Goals:",
    )
    assert back.grader_info == essay.grader_info


def test_a_broken_essay_setting_refuses_the_file_and_writes_nothing(make_course):
    course = make_course(lessons=1)
    broken = ESSAY_XML.replace(b">10<", b">ten<")
    with pytest.raises(QuestionFormatError, match="responsefieldlines"):
        bank_import.import_bank(course, "bank.xml", broken)
    assert not Question.objects.exists()
    assert to_moodle_xml(parse_moodle_xml(ESSAY_XML)).count(b"graderinfo") == 2


# Attempts and marking ------------------------------------------------------------


@pytest.fixture
def essay_course(home_page, make_learner, make_bank):
    """Two programmes with a trainer each; the teachers' course has one lesson and
    a required quiz of a choice question (1 point) and an essay (2 points)."""

    def programme_with_trainer(title, slug):
        programme = pages.create_programme(
            home_page, title, slug, audience=ProgrammePage.Audience.TEACHERS
        )
        group = Group.objects.create(name=f"{title} trainers")
        pages.grant_programme_to_group(programme, group)
        trainer = make_learner()
        trainer.groups.add(group)
        return programme, trainer

    programme, trainer = programme_with_trainer("NTTP", "nttp")
    other, rival = programme_with_trainer("Lecturers", "lecturers")
    pages.create_course(other, "Lecturing", "lecturing")
    course = pages.create_course(programme, "Planning", "planning", cpd_hours=D(4))
    lesson = pages.create_lesson(
        course, "Welcome", "welcome", body=[("text", "<p>Hi</p>")]
    )
    gift = (
        "::Right one::Which is right? {=Right ~Wrong}\n\n"
        "::My classroom::Describe your classroom. {}\n"
    )
    category = make_bank(course, gift)
    Question.objects.filter(kind=Question.Kind.ESSAY).update(points=D(2))
    quiz = authoring.create_quiz(
        course, "Planning check", [(category, 2)], pass_mark=60
    )
    learner = make_learner()
    learning.enrol(learner, course)
    learning.record_lesson_complete(learner, lesson.pk)
    return types.SimpleNamespace(
        course=course, quiz=quiz, learner=learner, trainer=trainer, rival=rival
    )


def essay_id(attempt: QuizAttempt) -> int:
    return next(
        item["id"]
        for item in attempt.questions
        if Question.objects.get(pk=item["id"]).is_essay
    )


class FormData(dict):
    """Submitted form values, as ``request.POST`` gives them."""

    def getlist(self, key):
        return self[key]


def submit_with_essay(setup, text="My classroom has forty children."):
    attempt = quizzes.start_attempt(setup.learner, setup.quiz, "en")
    answers = {
        key: value
        for key, value in right_answers(attempt).items()
        if key != f"q{essay_id(attempt)}"
    }
    answers[f"q{essay_id(attempt)}"] = [text]
    parsed = quizzes.answers_from_form(attempt, FormData(answers))
    return quizzes.submit_attempt(setup.learner, attempt.pk, parsed)


def test_an_attempt_with_an_answered_essay_waits_and_the_course_is_not_complete(
    client, essay_course
):
    submission = submit_with_essay(essay_course)
    attempt = submission.attempt
    assert attempt.awaiting_marking and attempt.submitted_at is not None
    assert (attempt.score, attempt.passed) == (None, None)
    assert (attempt.points_earned, attempt.points_possible) == (D("1.00"), D("3.00"))
    assert not submission.course_completed_now
    enrolment = Enrolment.objects.get(user=essay_course.learner)
    assert enrolment.completed_at is None
    # Not passed yet, so the required quiz still holds the course.
    assert quizzes.unmet_quiz_requirements(essay_course.learner, essay_course.course)

    client.force_login(essay_course.learner)
    page = client.get(reverse("courses:quiz_result", args=[attempt.pk]))
    assert "Waiting for marking" in page.content.decode()
    assert "My classroom has forty children." in page.content.decode()
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    assert "waiting for marking by a trainer" in dashboard
    with translation.override("ur"):
        urdu = client.get(reverse("courses:quiz_result", args=[attempt.pk]))
    assert "نمبروں کا انتظار" in urdu.content.decode()


def test_an_unanswered_essay_earns_nothing_and_needs_no_marking(essay_course):
    submission = submit_with_essay(essay_course, text="   ")
    assert not submission.attempt.awaiting_marking
    assert submission.attempt.score == D("33.33")
    assert submission.attempt.passed is False


def test_an_essay_over_the_limit_is_refused_with_a_message_and_nothing_saved(
    client, essay_course
):
    attempt = quizzes.start_attempt(essay_course.learner, essay_course.quiz, "en")
    client.force_login(essay_course.learner)
    field = f"q{essay_id(attempt)}"
    url = reverse("courses:quiz_save", args=[attempt.pk])
    response = client.post(url, {field: "x" * 10_001}, follow=True)
    assert "at most 10,000 characters" in response.content.decode()
    json = client.post(url, {field: "x" * 10_001}, HTTP_ACCEPT="application/json")
    assert json.status_code == 413 and "10,000" in json.json()["error"]
    submit = client.post(
        reverse("courses:quiz_submit", args=[attempt.pk]), {field: "x" * 10_001}
    )
    assert submit.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers == {}
    client.post(url, {field: "x" * 10_000})
    attempt.refresh_from_db()
    assert len(attempt.answers[field[1:]]) == 10_000
    page = client.get(reverse("courses:quiz_attempt", args=[attempt.pk]))
    assert 'maxlength="10000"' in page.content.decode()
    assert 'dir="auto"' in page.content.decode()


def mark_url(attempt):
    return reverse("courses_marking:mark", args=[attempt.pk])


def test_a_trainer_marks_the_essay_and_the_course_completes_with_one_certificate(
    client, essay_course, django_capture_on_commit_callbacks
):
    from certificates.models import Certificate

    attempt = submit_with_essay(essay_course).attempt
    question_id = essay_id(attempt)
    client.force_login(essay_course.trainer)
    queue = client.get(reverse("courses_marking:index"))
    assert queue.status_code == 200 and mark_url(attempt) in queue.content.decode()
    form = client.get(mark_url(attempt))
    assert "My classroom has forty children." in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            mark_url(attempt),
            {
                f"points_{question_id}": "1.5",
                f"comment_{question_id}": "Good detail; say how you group them.",
            },
        )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert not attempt.awaiting_marking and attempt.marked_by == essay_course.trainer
    assert (attempt.points_earned, attempt.score, attempt.passed) == (
        D("2.50"),
        D("83.33"),
        True,
    )
    enrolment = Enrolment.objects.get(user=essay_course.learner)
    assert enrolment.completed_at is not None
    assert Certificate.objects.filter(user=essay_course.learner).count() == 1

    # Marking again, through the service or the form, changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = quizzes.mark_attempt(
            essay_course.trainer, attempt.pk, {question_id: quizzes.EssayMark(D(0))}
        )
        client.post(mark_url(attempt), {f"points_{question_id}": "0"})
    assert not again.marked_now and not again.course_completed_now
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (D("83.33"), True)
    assert Certificate.objects.filter(user=essay_course.learner).count() == 1
    assert attempt.responses.get(question_id=question_id).points == D("1.50")

    client.force_login(essay_course.learner)
    page = client.get(reverse("courses:quiz_result", args=[attempt.pk])).content
    assert b"Good detail; say how you group them." in page
    assert b"1.50 / 2" in page and b"Waiting for marking" not in page


def test_a_failing_mark_fails_the_attempt_and_completes_nothing(essay_course):
    attempt = submit_with_essay(essay_course).attempt
    marking = quizzes.mark_attempt(
        essay_course.trainer,
        attempt.pk,
        {essay_id(attempt): quizzes.EssayMark(D("0.5"), "Too short.")},
    )
    assert marking.marked_now and not marking.course_completed_now
    assert (marking.attempt.score, marking.attempt.passed) == (D("50.00"), False)
    assert Enrolment.objects.get(user=essay_course.learner).completed_at is None


def test_another_programmes_trainer_and_the_learner_cannot_mark(client, essay_course):
    attempt = submit_with_essay(essay_course).attempt
    question_id = essay_id(attempt)
    marks = {f"points_{question_id}": "2"}
    client.force_login(essay_course.rival)
    queue = client.get(reverse("courses_marking:index"))
    assert queue.status_code == 200 and mark_url(attempt) not in queue.content.decode()
    assert client.get(mark_url(attempt)).status_code == 404
    assert client.post(mark_url(attempt), marks).status_code == 404
    with pytest.raises(quizzes.MarkingRefused):
        quizzes.mark_attempt(
            essay_course.rival, attempt.pk, {question_id: quizzes.EssayMark(D(2))}
        )

    client.force_login(essay_course.learner)
    assert client.post(mark_url(attempt), marks).status_code in (302, 403, 404)
    with pytest.raises(quizzes.MarkingRefused):
        quizzes.mark_attempt(
            essay_course.learner, attempt.pk, {question_id: quizzes.EssayMark(D(2))}
        )
    attempt.refresh_from_db()
    assert attempt.awaiting_marking and attempt.score is None


@pytest.mark.parametrize("points", ["2.01", "-1", "abc", ""])
def test_a_mark_out_of_range_is_refused_and_changes_nothing(
    client, essay_course, points
):
    attempt = submit_with_essay(essay_course).attempt
    client.force_login(essay_course.trainer)
    response = client.post(mark_url(attempt), {f"points_{essay_id(attempt)}": points})
    assert response.status_code == 200
    assert response.context["form"].errors
    attempt.refresh_from_db()
    assert attempt.awaiting_marking and attempt.score is None


def test_the_service_refuses_a_missing_or_too_large_mark(essay_course):
    attempt = submit_with_essay(essay_course).attempt
    with pytest.raises(quizzes.MarkingRefused, match="has none"):
        quizzes.mark_attempt(essay_course.trainer, attempt.pk, {})
    with pytest.raises(quizzes.MarkingRefused, match="from 0 to 2"):
        quizzes.mark_attempt(
            essay_course.trainer,
            attempt.pk,
            {essay_id(attempt): quizzes.EssayMark(D(3))},
        )
    attempt.refresh_from_db()
    assert attempt.awaiting_marking and not attempt.responses.exclude(comment="")


def test_the_queue_lists_oldest_first_filters_by_quiz_in_flat_queries(
    client, essay_course, make_learner, make_bank
):
    other_quiz = authoring.create_quiz(
        essay_course.course,
        "Second check",
        [(make_bank(essay_course.course, "::E2::Why? {}\n"), 1)],
    )
    client.force_login(essay_course.trainer)
    url = reverse("courses_marking:index")

    def waiting_learner(quiz):
        learner = make_learner()
        learning.enrol(learner, essay_course.course)
        attempt = quizzes.start_attempt(learner, quiz, "en")
        field = str(essay_id(attempt))
        quizzes.save_answers(learner, attempt.pk, {field: "An answer."})
        return quizzes.submit_attempt(learner, attempt.pk, None).attempt

    first = waiting_learner(essay_course.quiz)
    second = waiting_learner(other_quiz)
    few = page_queries(client, url)
    for _ in range(3):
        waiting_learner(essay_course.quiz)
    assert page_queries(client, url) == few
    page = client.get(url).content.decode()
    assert page.index(mark_url(first)) < page.index(mark_url(second))
    filtered = client.get(url, {"quiz": other_quiz.pk}).content.decode()
    assert mark_url(second) in filtered and mark_url(first) not in filtered


ADMIN_ESSAY = {
    "kind": "essay",
    "name": "Reflection",
    "text": "What did you change this week?",
    "points": "3",
    "response_lines": "8",
    "response_template": "This week I…",
    "grader_info": "Look for one concrete change.",
}


def test_a_trainer_writes_an_essay_in_the_admin_with_its_settings(
    client, make_course, make_bank, django_user_model
):
    from .test_quiz_report import add_question_in_the_admin

    category = make_bank(make_course(lessons=1))
    response = add_question_in_the_admin(
        client, django_user_model, category, ADMIN_ESSAY, []
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    essay = Question.objects.get(name="Reflection")
    assert (essay.kind, essay.points, essay.response_lines) == ("essay", D(3), 8)
    assert essay.grader_info == "Look for one concrete change."


def test_the_admin_refuses_an_essay_with_answers(
    client, make_course, make_bank, django_user_model
):
    from .test_quiz_report import add_question_in_the_admin

    category = make_bank(make_course(lessons=1))
    refused = add_question_in_the_admin(
        client, django_user_model, category, ADMIN_ESSAY, [("An answer", "1")]
    )
    assert refused.status_code == 200
    assert "an essay question cannot have answers" in refused.content.decode()
    assert not Question.objects.filter(name="Reflection").exists()


def test_a_csv_row_of_type_essay_is_an_essay_and_answers_in_it_are_refused():
    from courses.quiz_formats import CSV_TEMPLATE_HEADER, parse_csv

    (essay,) = parse_csv(f"{CSV_TEMPLATE_HEADER}\nessay,,Reflect,Why?,,,,,,,,,,,,2\n")
    assert (essay.kind, essay.default_mark) == (QuestionKind.ESSAY, D(2))
    with pytest.raises(QuestionFormatError, match='does not use "correct"'):
        parse_csv(f"{CSV_TEMPLATE_HEADER}\nessay,,Reflect,Why?,,,,,,,yes,,,,,2\n")


def test_a_course_package_carries_an_essays_settings(make_course):
    from courses.packages.export import _question_record
    from courses.packages.manifest import QuestionRecord

    course = make_course(lessons=1)
    bank_import.import_bank(course, "bank.xml", ESSAY_XML)
    essay = Question.objects.select_related("locale").get(kind=Question.Kind.ESSAY)
    record = QuestionRecord.model_validate(_question_record(essay))
    assert (record.kind, record.response_lines, record.response_template) == (
        "essay",
        10,
        "Goals:",
    )
    assert record.grader_info == "<p>Look for goals.</p>"


def start_url_of(quiz) -> str:
    return reverse("courses:quiz_start", args=[quiz.pk])


def test_no_new_attempt_starts_while_an_essay_waits_for_marking(client, essay_course):
    attempt = submit_with_essay(essay_course).attempt
    with pytest.raises(quizzes.AwaitingMarking):
        quizzes.start_attempt(essay_course.learner, essay_course.quiz, "en")
    client.force_login(essay_course.learner)
    quiz_url = reverse("courses:quiz", args=[essay_course.quiz.pk])
    page = client.get(quiz_url).content.decode()
    assert "waiting for a trainer to mark your written answers" in page
    # No start button (the offline script's messages may say "Try again").
    assert start_url_of(essay_course.quiz) not in page
    assert ">Try again</button>" not in page
    # The server refuses a start sent anyway, with the message in the learner's
    # language.
    with translation.override("ur"):
        start = reverse("courses:quiz_start", args=[essay_course.quiz.pk])
        urdu_quiz_url = reverse("courses:quiz", args=[essay_course.quiz.pk])
    response = client.post(start, follow=True)
    assert response.redirect_chain[-1][0] == urdu_quiz_url
    assert "نمبر ملنے کے بعد آپ دوبارہ کوشش" in response.content.decode()
    assert QuizAttempt.objects.filter(user=essay_course.learner).count() == 1

    quizzes.mark_attempt(
        essay_course.trainer,
        attempt.pk,
        {essay_id(attempt): quizzes.EssayMark(D("0.5"), "Say more.")},
    )
    again = quizzes.start_attempt(essay_course.learner, essay_course.quiz, "en")
    assert again.number == 2 and again.is_open
