"""Quiz pages: nothing right is served before submission; rules hold over HTTP."""

import json
import re

import pytest
from django.urls import reverse

from courses import authoring, services
from courses.models import AnswerOption, Question, Quiz, QuizAttempt
from courses.quizzes import services as quizzes

from .conftest import mixed_gift, page_queries, right_answers

pytestmark = pytest.mark.django_db


def secrets_of(quiz):
    """Every right answer and feedback text of the quiz's bank."""
    category = quiz.draw_rules.get().category
    found = set()
    for question in Question.objects.filter(category=category):
        found |= {
            question.feedback_correct,
            question.feedback_incorrect,
            question.feedback_partial,
            question.general_feedback,
        }
        for option in AnswerOption.objects.filter(question=question):
            found.add(option.feedback)
            if question.kind == Question.Kind.SHORT_TEXT:
                found.add(option.text)
            if question.kind == Question.Kind.NUMERIC:
                found.add(str(option.value.normalize()))
    return {text for text in found if text}


@pytest.fixture
def mixed(client, make_learner, make_course, make_quiz):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    quiz = make_quiz(course, gift=mixed_gift(), draw=24)
    client.force_login(learner)
    return learner, course, quiz


def test_no_right_answer_or_feedback_is_served_before_submission(client, mixed):
    learner, course, quiz = mixed
    lesson = course.lessons()[0]
    lesson.body = [("quiz", {"quiz": quiz, "heading": "", "intro": ""})]
    lesson.save_revision().publish()
    course.final_assessment = quiz
    course.save_revision().publish()

    served = [client.get(course.url), client.get(lesson.url)]
    served.append(client.get(reverse("courses:quiz", args=[quiz.pk])))
    start = client.post(reverse("courses:quiz_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get(user=learner)
    assert start.url == reverse("courses:quiz_attempt", args=[attempt.pk])
    served.append(client.get(start.url))
    form = right_answers(attempt)
    served.append(
        client.post(
            reverse("courses:quiz_save", args=[attempt.pk]),
            form,
            HTTP_ACCEPT="application/json",
        )
    )
    assert served[-1].json()["saved"] is True
    served.append(client.get(start.url))  # the page again, answers filled in

    secrets = secrets_of(quiz)
    assert len(secrets) > 40
    for number, response in enumerate(served):
        assert response.status_code == 200
        body = response.content.decode()
        if number == len(served) - 1:
            # The learner's own saved text answers are filled in again, rightly.
            body = re.sub(r'value="[^"]*"', "", body)
        leaked = [s for s in secrets if s in body]
        assert not leaked, (response.request["PATH_INFO"], leaked[:3])
        assert "SECRET" not in body and "fraction" not in body
    # The options carry nothing but their shown position.
    page = served[-1].content.decode()
    inputs = re.findall(r'<input type="(?:radio|checkbox)"[^>]*>', page)
    assert inputs and all(
        re.fullmatch(r'<input type="\w+" name="q\d+" value="\d+"( checked)?>', i)
        for i in inputs
    )
    assert "accepted" not in json.dumps(served[4].json())


def test_results_show_answers_only_as_the_policy_allows(client, mixed):
    learner, _course, quiz = mixed
    Quiz.objects.filter(pk=quiz.pk).update(show_answers=Quiz.ShowAnswers.NEVER)
    attempt = quizzes.start_attempt(learner, quiz, "en")
    client.post(
        reverse("courses:quiz_submit", args=[attempt.pk]),
        right_answers(attempt, right=False),
    )
    page = client.get(reverse("courses:quiz_result", args=[attempt.pk]))
    assert "SECRET" not in page.content.decode()
    assert "quiz-correct-option" not in page.content.decode()

    Quiz.objects.filter(pk=quiz.pk).update(
        show_answers=Quiz.ShowAnswers.AFTER_EACH_ATTEMPT
    )
    page = client.get(reverse("courses:quiz_result", args=[attempt.pk]))
    # Every multiple-choice question was answered with its one wrong option.
    assert "SECRET bad" in page.content.decode()
    assert "quiz-correct-option" in page.content.decode()
    assert "accepted4" in page.content.decode()  # a short text's right answer

    Quiz.objects.filter(pk=quiz.pk).update(show_answers=Quiz.ShowAnswers.AFTER_PASSING)
    page = client.get(reverse("courses:quiz_result", args=[attempt.pk]))
    assert "SECRET" not in page.content.decode()  # not passed yet


def test_someone_elses_attempt_is_not_found(client, mixed, make_learner):
    learner, _course, quiz = mixed
    attempt = quizzes.start_attempt(learner, quiz, "en")
    client.force_login(make_learner())
    for name in ("quiz_attempt", "quiz_result"):
        assert (
            client.get(reverse(f"courses:{name}", args=[attempt.pk])).status_code == 404
        )
    for name in ("quiz_save", "quiz_submit"):
        url = reverse(f"courses:{name}", args=[attempt.pk])
        assert client.post(url, {}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers == {}


def test_direct_posts_cannot_open_a_second_attempt_or_pass_the_limit(
    client, make_learner, make_course, make_quiz
):
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    quiz = make_quiz(course, max_attempts=2)
    client.force_login(learner)
    start = reverse("courses:quiz_start", args=[quiz.pk])
    first = client.post(start)
    assert client.post(start).url == first.url  # resumes the open one
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    attempt = QuizAttempt.objects.get(user=learner)
    client.post(reverse("courses:quiz_submit", args=[attempt.pk]), {})
    second = QuizAttempt.objects.get(
        pk=int(client.post(start).url.rstrip("/").split("/")[-1])
    )
    client.post(reverse("courses:quiz_submit", args=[second.pk]), {})
    refused = client.post(start, follow=True)
    assert QuizAttempt.objects.filter(user=learner).count() == 2
    assert "used all your attempts" in refused.content.decode()


def test_a_learner_not_enrolled_cannot_start_by_post(
    client, make_learner, make_course, make_quiz
):
    quiz = make_quiz(make_course(lessons=1))
    client.force_login(make_learner())
    response = client.post(reverse("courses:quiz_start", args=[quiz.pk]))
    assert response.status_code == 403
    assert not QuizAttempt.objects.exists()


def test_saving_or_submitting_after_the_deadline_is_refused(client, mixed):
    learner, _course, quiz = mixed
    Quiz.objects.filter(pk=quiz.pk).update(time_limit_minutes=1)
    quiz.refresh_from_db()
    attempt = quizzes.start_attempt(learner, quiz, "en")
    from datetime import timedelta

    from django.utils import timezone

    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(minutes=5)
    )
    save = client.post(
        reverse("courses:quiz_save", args=[attempt.pk]),
        right_answers(attempt),
        HTTP_ACCEPT="application/json",
    )
    assert save.status_code == 409 and save.json()["saved"] is False
    submit = client.post(
        reverse("courses:quiz_submit", args=[attempt.pk]), right_answers(attempt)
    )
    attempt.refresh_from_db()
    assert submit.status_code == 302 and attempt.score == 0
    assert attempt.answers == {}


def test_the_page_saves_without_javascript(client, mixed):
    learner, _course, quiz = mixed
    attempt = quizzes.start_attempt(learner, quiz, "en")
    form = right_answers(attempt)
    response = client.post(reverse("courses:quiz_save", args=[attempt.pk]), form)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert len(attempt.answers) == 24
    page = client.get(reverse("courses:quiz_attempt", args=[attempt.pk])).content
    assert page.decode().count(" checked>") >= 12


def test_short_text_accepts_arabic_letter_variants(
    client, make_learner, make_course, make_quiz
):
    gift = (
        "::Teacher::Teacher in Urdu? {=استاد =ٹیچر}\n\n"
        "::Book::Book in Urdu? {=کتاب}\n\n"
        "::Pi::Pi to two places {#3.14:0.005}\n"
    )
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    quiz = make_quiz(course, gift=gift, draw=3)
    attempt = quizzes.start_attempt(learner, quiz, "ur")
    ids = {Question.objects.get(pk=i).name: i for i in attempt.question_ids}
    client.force_login(learner)
    client.post(
        reverse("courses:quiz_submit", args=[attempt.pk]),
        {
            # Arabic yeh (U+064A) for Urdu yeh, tatweel and a zabar.
            f"q{ids['Teacher']}": "  ٹيچـر ",
            # Arabic kaf (U+0643) and a presentation form of beh.
            f"q{ids['Book']}": "كتاﺏ",
            # Urdu digits.
            f"q{ids['Pi']}": "۳.۱۴",
        },
    )
    attempt.refresh_from_db()
    assert attempt.score == 100
    second = quizzes.start_attempt(learner, quiz, "ur")
    teacher = next(i for i in second.question_ids if i == ids["Teacher"])
    result = quizzes.submit_attempt(learner, second.pk, {str(teacher): "اُستاد"})
    assert result.attempt.responses.get(question_id=teacher).fraction == 1


def test_multiple_choice_with_and_without_partial_credit(
    make_learner, make_course, make_quiz
):
    gift = "::M::Which are right? {~%50%A ~%50%B ~%-100%C ~D}\n"
    learner, course = make_learner(), make_course(lessons=1)
    services.enrol(learner, course)
    quiz = make_quiz(course, gift=gift, draw=1, pass_mark=100)
    question = Question.objects.get(name="M")
    labels = dict(
        AnswerOption.objects.filter(question=question).values_list("pk", "text")
    )

    def take(chosen):
        attempt = quizzes.start_attempt(learner, quiz, "en")
        order = [labels[oid] for oid in attempt.questions[0]["options"]]
        positions = [order.index(label) for label in chosen]
        return quizzes.submit_attempt(
            learner, attempt.pk, {str(question.pk): sorted(positions)}
        ).attempt.score

    assert take(["A"]) == 50
    assert take(["A", "B"]) == 100
    assert take(["A", "B", "C"]) == 0
    Question.objects.filter(pk=question.pk).update(partial_credit=False)
    assert take(["A"]) == 0
    assert take(["A", "B"]) == 100
    assert take(["A", "B", "D"]) == 0


def test_quiz_pages_issue_the_same_queries_for_5_and_24_questions(
    client, make_learner, make_course, make_quiz, django_assert_max_num_queries
):
    counts = {}
    # Every question of the bank is drawn, so both attempts hold every type
    # (a random draw of a few might hold no choice question and skip a query).
    for draw in (5, 24):
        learner, course = make_learner(), make_course(lessons=1)
        services.enrol(learner, course)
        quiz = make_quiz(course, gift=mixed_gift(draw), draw=draw)
        course.final_assessment = quiz
        course.save_revision().publish()
        client.force_login(learner)
        done = quizzes.start_attempt(learner, quiz, "en")
        quizzes.submit_attempt(learner, done.pk, {})
        attempt = quizzes.start_attempt(learner, quiz, "en")
        counts[draw] = {
            "quiz": page_queries(client, reverse("courses:quiz", args=[quiz.pk])),
            "attempt": page_queries(
                client, reverse("courses:quiz_attempt", args=[attempt.pk])
            ),
            "result": page_queries(
                client, reverse("courses:quiz_result", args=[done.pk])
            ),
            "course": page_queries(client, course.url),
        }
    assert counts[5] == counts[24], counts
    with django_assert_max_num_queries(12):
        client.get(reverse("courses:quiz_attempt", args=[attempt.pk]))


def test_trainer_sees_only_their_programmes_reports(
    client, make_learner, make_course, make_quiz, home_page
):
    from django.contrib.auth.models import Group

    from courses.models import ProgrammePage

    course = make_course(lessons=1)
    quiz = make_quiz(course)
    own = Group.objects.create(name="Test trainers")
    authoring.grant_programme_to_group(ProgrammePage.objects.get(), own)
    other_programme = authoring.create_programme(
        home_page, "Other", "other", audience=ProgrammePage.Audience.LECTURERS
    )
    other = Group.objects.create(name="Other trainers")
    authoring.grant_programme_to_group(other_programme, other)
    trainer, outsider, learner = make_learner(), make_learner(), make_learner()
    trainer.groups.add(own)
    outsider.groups.add(other)
    url = reverse("courses_quiz_report", args=[quiz.pk])
    for user, allowed in ((trainer, True), (outsider, False), (learner, False)):
        client.force_login(user)
        response = client.get(url)
        # Wagtail answers a refusal with a redirect to the dashboard or login.
        assert (response.status_code == 200) is allowed, user
        assert ("Discrimination" in response.content.decode()) is allowed
    client.force_login(trainer)
    csv_response = client.get(reverse("courses_quiz_report_csv", args=[quiz.pk]))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "discrimination" in csv_response.content.decode("utf-8-sig")


@pytest.mark.parametrize("language", ["en", "ur"])
def test_a_timed_quiz_page_says_it_needs_a_connection(client, mixed, language):
    from django.utils import translation

    _learner, _course, quiz = mixed
    with translation.override(language):
        url = reverse("courses:quiz", args=[quiz.pk])
        expected = translation.gettext(
            "This quiz has a time limit, so it needs a connection; "
            "it cannot be taken offline."
        )
    assert "quiz-needs-connection" not in client.get(url).content.decode()
    Quiz.objects.filter(pk=quiz.pk).update(time_limit_minutes=20)
    page = client.get(url).content.decode()
    assert "quiz-needs-connection" in page
    assert expected in page
    if language == "ur":
        assert "time limit" not in expected  # the Urdu sentence, not the English
