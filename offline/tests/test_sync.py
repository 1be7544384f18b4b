"""The sync endpoint applies each queued action once, grades on the server, and
refuses forged, replayed-for-someone-else or not-allowed items without change."""

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from courses import services
from courses.models import LessonProgress, QuizAttempt
from courses.quizzes import services as quizzes
from courses.tests.conftest import right_answers
from offline.models import OfflineAction, OfflineQuizPaper
from offline.services import NO_ATTEMPTS_LEFT, OPEN_ELSEWHERE

pytestmark = pytest.mark.django_db

SYNC = "/learning/offline/sync/"


def _send(client, *items, raw=None):
    body = raw if raw is not None else json.dumps({"items": list(items)})
    return client.post(SYNC, body, content_type="application/json")


def _lesson_item(user, lesson, client_id=None):
    return {
        "id": str(client_id or uuid.uuid4()),
        "user": user.pk,
        "kind": "lesson_complete",
        "lesson": lesson.pk,
    }


def _quiz_item(user, attempt, answers, client_id=None):
    return {
        "id": str(client_id or uuid.uuid4()),
        "user": user.pk,
        "kind": "quiz_submit",
        "attempt": attempt.pk,
        "answers": answers,
    }


@pytest.fixture
def learning(client, make_learner, make_course, make_quiz):
    learner = make_learner()
    course = make_course(lessons=2)
    quiz = make_quiz(course, draw=3)
    services.enrol(learner, course)
    client.force_login(learner)
    return learner, course, quiz


def test_a_queued_lesson_completion_is_recorded_once_however_often_it_is_sent(
    client, learning
):
    learner, course, _quiz = learning
    lesson = course.lessons().first()
    item = _lesson_item(learner, lesson)

    first = _send(client, item).json()["results"][0]
    assert first["status"] == "done" and first["lesson"] == lesson.pk
    for _replay in range(2):
        again = _send(client, item).json()["results"][0]
        assert again["status"] == "duplicate"
    assert LessonProgress.objects.filter(user=learner).count() == 1
    assert OfflineAction.objects.filter(user=learner).count() == 1


def test_a_queued_quiz_is_graded_on_the_server_once_and_the_grade_returned(
    client, learning
):
    learner, course, quiz = learning
    attempt = quizzes.start_attempt(learner, quiz, "en")
    item = _quiz_item(learner, attempt, right_answers(attempt))

    result = _send(client, item).json()["results"][0]
    assert result["status"] == "done"
    assert result["score"] == "100" and result["passed"] is True
    assert result["result_url"] == f"/learning/attempts/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.passed
    graded_at = attempt.submitted_at

    replay = _send(client, item).json()["results"][0]
    assert replay["status"] == "duplicate" and replay["score"] == "100"
    # A second id for the same attempt (another phone) finds it graded.
    other_phone = _send(client, _quiz_item(learner, attempt, {})).json()["results"][0]
    assert other_phone["status"] == "done" and other_phone["score"] == "100"
    attempt.refresh_from_db()
    assert attempt.submitted_at == graded_at
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert attempt.responses.count() == 3


def test_the_answer_never_carries_correct_answers_or_feedback(client, learning):
    learner, _course, quiz = learning
    attempt = quizzes.start_attempt(learner, quiz, "en")
    body = _send(client, _quiz_item(learner, attempt, right_answers(attempt))).content
    assert b"Right" not in body and b"reasoned" not in body and b"Think" not in body


def test_an_item_queued_by_another_learner_on_the_same_phone_is_refused(
    client, learning, make_learner
):
    learner, course, _quiz = learning
    other = make_learner()
    services.enrol(other, course)
    lesson = course.lessons().first()

    result = _send(client, _lesson_item(other, lesson)).json()["results"][0]
    assert result["status"] == "refused"
    assert "another learner" in result["message"]
    assert not LessonProgress.objects.exists()
    assert not OfflineAction.objects.exists()


def test_another_learners_attempt_is_refused_and_stays_open(
    client, learning, make_learner
):
    learner, course, quiz = learning
    other = make_learner()
    services.enrol(other, course)
    theirs = quizzes.start_attempt(other, quiz, "en")

    result = _send(client, _quiz_item(learner, theirs, right_answers(theirs))).json()[
        "results"
    ][0]
    assert result["status"] == "refused"
    theirs.refresh_from_db()
    assert theirs.is_open
    assert not OfflineAction.objects.exists()


def test_a_lesson_of_a_course_not_enrolled_in_is_refused(client, learning, make_course):
    learner, _course, _quiz = learning
    elsewhere = make_course(lessons=1)
    item = _lesson_item(learner, elsewhere.lessons().first())

    result = _send(client, item).json()["results"][0]
    assert result["status"] == "refused"
    assert result["message"] == "Enrol in the course first."
    assert not LessonProgress.objects.exists()
    # Refused items leave no row: once enrolled, the same item is accepted.
    services.enrol(learner, elsewhere)
    assert _send(client, item).json()["results"][0]["status"] == "done"


@pytest.mark.parametrize(
    "forged",
    [
        {"id": "not-a-uuid", "kind": "lesson_complete", "lesson": "@lesson"},
        {"id": None, "kind": "lesson_complete", "lesson": "@lesson"},
        {"kind": "delete_everything", "lesson": "@lesson"},
        {"kind": "lesson_complete", "lesson": True},
        {"kind": "lesson_complete", "lesson": "1"},
        {"kind": "quiz_submit", "attempt": "@attempt", "answers": {"q1": "0"}},
        {"kind": "quiz_submit", "attempt": "@attempt", "answers": {"q1": [0]}},
        {"kind": "quiz_submit", "attempt": "@attempt", "answers": ["0"]},
        "just a string",
        ["a", "list"],
    ],
)
def test_forged_items_are_refused_and_change_nothing(client, learning, forged):
    learner, course, quiz = learning
    attempt = quizzes.start_attempt(learner, quiz, "en")
    if isinstance(forged, dict):
        forged = {"id": str(uuid.uuid4()), "user": learner.pk, **forged}
        if forged.get("lesson") == "@lesson":
            forged["lesson"] = course.lessons().first().pk
        if forged.get("attempt") == "@attempt":
            forged["attempt"] = attempt.pk
        if forged["id"] is None:
            del forged["id"]
    result = _send(client, forged).json()["results"][0]
    assert result["status"] == "refused"
    assert not LessonProgress.objects.exists()
    assert not OfflineAction.objects.exists()
    attempt.refresh_from_db()
    assert attempt.is_open


def test_a_body_that_is_not_a_queue_is_refused(client, learning):
    assert _send(client, raw="{not json").status_code == 400
    assert _send(client, raw=json.dumps({"items": "x"})).status_code == 400
    learner, course, _quiz = learning
    lesson = course.lessons().first()
    too_many = [_lesson_item(learner, lesson) for _ in range(21)]
    response = _send(client, *too_many)
    assert response.status_code == 400
    assert not LessonProgress.objects.exists()


def test_a_body_over_the_size_limit_is_refused(client, learning):
    learner, _course, quiz = learning
    attempt = quizzes.start_attempt(learner, quiz, "en")
    huge = {f"q{n}": ["x" * 9000] for n in range(12)}
    response = _send(client, _quiz_item(learner, attempt, huge))
    assert response.status_code == 413
    attempt.refresh_from_db()
    assert attempt.is_open


def test_signed_out_phone_is_asked_to_log_in(client, learning):
    client.logout()
    learner, course, _quiz = learning
    response = _send(client, _lesson_item(learner, course.lessons().first()))
    assert response.status_code == 401
    assert response.json()["login_url"] == reverse("accounts:login")
    assert client.get(SYNC).status_code == 401
    assert not LessonProgress.objects.exists()


def test_get_gives_the_signed_in_learner_and_a_csrf_token(client, learning):
    learner, _course, _quiz = learning
    body = client.get(SYNC).json()
    assert body["user"] == learner.pk and len(body["csrf"]) >= 32
    assert "no-store" in client.get(SYNC)["Cache-Control"]


def test_sync_is_rate_limited(client, learning, counting_cache, set_limit):
    set_limit("offline_sync", learner=(2, 60), address=(100, 60))
    learner, course, _quiz = learning
    lessons = list(course.lessons())
    assert _send(client, _lesson_item(learner, lessons[0])).status_code == 200
    assert _send(client, _lesson_item(learner, lessons[1])).status_code == 200
    refused = _send(client, _lesson_item(learner, lessons[1]))
    assert refused.status_code == 429 and refused["Retry-After"]
    assert OfflineAction.objects.filter(user=learner).count() == 2


def test_a_timed_quiz_cannot_be_prepared_or_sent_offline(
    client, make_learner, make_course, make_quiz
):
    learner = make_learner()
    course = make_course(lessons=1)
    quiz = make_quiz(course, draw=3, time_limit_minutes=10)
    services.enrol(learner, course)
    client.force_login(learner)

    prepared = client.post(f"/learning/offline/quizzes/{quiz.pk}/prepare/")
    assert prepared.status_code == 409
    assert "time limit" in prepared.json()["error"]
    assert not QuizAttempt.objects.exists()

    attempt = quizzes.start_attempt(learner, quiz, "en")
    result = _send(client, _quiz_item(learner, attempt, right_answers(attempt))).json()[
        "results"
    ][0]
    assert result["status"] == "refused"
    attempt.refresh_from_db()
    assert attempt.is_open


def _prepare(client, quiz, prefix=""):
    return client.post(f"{prefix}/learning/offline/quizzes/{quiz.pk}/prepare/")


def _paper_item(user, paper, answers, client_id=None):
    return {
        "id": str(client_id or uuid.uuid4()),
        "user": user.pk,
        "kind": "quiz_submit",
        "paper": paper.pk,
        "answers": answers,
    }


def test_saving_an_untimed_quiz_uses_no_attempt_and_keeps_one_paper(client, learning):
    learner, _course, quiz = learning
    first = _prepare(client, quiz).json()
    again = _prepare(client, quiz).json()
    paper = OfflineQuizPaper.objects.get(user=learner)
    assert first == again == {"page_url": f"/learning/offline/papers/{paper.pk}/"}
    assert not QuizAttempt.objects.exists()
    assert len(paper.questions) == 3 and paper.attempts_before == 0


def test_the_paper_page_shows_the_questions_but_never_answers_or_feedback(
    client, learning
):
    _learner, _course, quiz = learning
    url = _prepare(client, quiz).json()["page_url"]
    page = client.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert html.count('class="quiz-question"') == 3
    assert 'action="/learning/offline/papers/' in html and "quiz-autosave" not in html
    # Option texts, in the drawn order; nothing says which is right.
    assert "Right 1" in html or "Right 2" in html or "Right 3" in html
    assert "reasoned" not in html and "Think" not in html
    assert "fraction" not in html and "correct" not in html.lower()
    assert not QuizAttempt.objects.exists()


def test_an_open_attempt_is_kept_for_offline_instead_of_a_paper(client, learning):
    learner, _course, quiz = learning
    attempt = quizzes.start_attempt(learner, quiz, "en")
    body = _prepare(client, quiz).json()
    assert body == {"page_url": f"/learning/attempts/{attempt.pk}/"}
    assert not OfflineQuizPaper.objects.exists()


def test_a_queued_paper_becomes_one_graded_attempt_when_it_arrives(client, learning):
    learner, _course, quiz = learning
    _prepare(client, quiz)
    paper = OfflineQuizPaper.objects.get()
    item = _paper_item(learner, paper, right_answers(paper))

    result = _send(client, item).json()["results"][0]
    assert result["status"] == "done" and result["score"] == "100"
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.questions == paper.questions and attempt.passed
    assert result["result_url"] == f"/learning/attempts/{attempt.pk}/result/"
    assert _send(client, item).json()["results"][0]["status"] == "duplicate"
    # The same paper saved on a second phone: its answers find the attempt made.
    other_phone = _send(client, _paper_item(learner, paper, {})).json()["results"][0]
    assert other_phone["status"] == "done" and other_phone["score"] == "100"
    assert "already been submitted" in other_phone["message"]
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    # The next save draws a new paper for the next attempt.
    _prepare(client, quiz)
    assert OfflineQuizPaper.objects.filter(attempt__isnull=True).count() == 1
    assert OfflineQuizPaper.objects.latest("pk").attempts_before == 1


def test_a_paper_sent_online_makes_and_grades_the_attempt(client, learning):
    learner, _course, quiz = learning
    _prepare(client, quiz)
    paper = OfflineQuizPaper.objects.get()
    response = client.post(
        f"/learning/offline/papers/{paper.pk}/submit/", right_answers(paper)
    )
    attempt = QuizAttempt.objects.get(user=learner)
    assert response.status_code == 302
    assert response["Location"] == f"/learning/attempts/{attempt.pk}/result/"
    assert attempt.passed
    # Its page now leads to the attempt (and on to the result).
    assert client.get(f"/learning/offline/papers/{paper.pk}/")["Location"] == (
        f"/learning/attempts/{attempt.pk}/"
    )


def _use_last_attempt_elsewhere(learner, quiz):
    attempt = quizzes.start_attempt(learner, quiz, "en")
    answers = quizzes.answers_from_form(attempt, _Form(right_answers(attempt, False)))
    quizzes.submit_attempt(learner, attempt.pk, answers)


@pytest.mark.parametrize("prefix", ["", "/ur"])
def test_a_paper_arriving_after_the_last_attempt_was_used_elsewhere_is_refused(
    client, make_learner, make_course, make_quiz, prefix
):
    learner = make_learner()
    course = make_course(lessons=1)
    quiz = make_quiz(course, draw=3, max_attempts=1)
    services.enrol(learner, course)
    client.force_login(learner)
    _prepare(client, quiz)
    paper = OfflineQuizPaper.objects.get()
    _use_last_attempt_elsewhere(learner, quiz)  # on her other phone, online

    item = _paper_item(learner, paper, right_answers(paper))
    response = client.post(
        f"{prefix}{SYNC}",
        json.dumps({"items": [item]}),
        content_type="application/json",
    )
    result = response.json()["results"][0]
    assert result["status"] == "refused"
    with translation.override(prefix.strip("/") or "en"):
        assert result["message"] == str(NO_ATTEMPTS_LEFT)
    if prefix:
        assert "attempts" not in result["message"]  # in Urdu, not English
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert not QuizAttempt.objects.get(user=learner).passed
    assert not OfflineAction.objects.exists()
    paper.refresh_from_db()
    assert paper.attempt is None
    # And once all attempts are used, saving keeps no paper for the quiz.
    assert _prepare(client, quiz).status_code == 409


def test_a_paper_arriving_while_another_attempt_is_open_is_refused(client, learning):
    learner, _course, quiz = learning
    _prepare(client, quiz)
    paper = OfflineQuizPaper.objects.get()
    elsewhere = quizzes.start_attempt(learner, quiz, "en")
    if elsewhere.questions == paper.questions:  # the same draw by chance
        pytest.skip("the bank drew the same paper twice")
    result = _send(client, _paper_item(learner, paper, right_answers(paper))).json()[
        "results"
    ][0]
    assert result["status"] == "refused"
    assert result["message"] == str(OPEN_ELSEWHERE)
    elsewhere.refresh_from_db()
    assert elsewhere.is_open and elsewhere.answers == {}
    assert QuizAttempt.objects.count() == 1 and not OfflineAction.objects.exists()


def test_another_learners_paper_is_refused_and_not_shown(
    client, learning, make_learner
):
    learner, course, quiz = learning
    other = make_learner()
    services.enrol(other, course)
    client.force_login(other)
    _prepare(client, quiz)
    theirs = OfflineQuizPaper.objects.get(user=other)
    client.force_login(learner)

    result = _send(client, _paper_item(learner, theirs, right_answers(theirs))).json()[
        "results"
    ][0]
    assert result["status"] == "refused"
    assert client.get(f"/learning/offline/papers/{theirs.pk}/").status_code == 404
    submitted = client.post(f"/learning/offline/papers/{theirs.pk}/submit/", {})
    assert submitted.status_code == 404
    assert not QuizAttempt.objects.exists() and not OfflineAction.objects.exists()


def test_an_item_naming_both_an_attempt_and_a_paper_is_refused(client, learning):
    learner, _course, quiz = learning
    _prepare(client, quiz)
    paper = OfflineQuizPaper.objects.get()
    item = {**_paper_item(learner, paper, {}), "attempt": 1}
    assert _send(client, item).json()["results"][0]["status"] == "refused"
    assert not QuizAttempt.objects.exists()


def test_refusals_are_in_the_learners_language(client, learning, make_learner):
    learner, course, _quiz = learning
    other = make_learner()
    item = _lesson_item(other, course.lessons().first())
    response = client.post(
        "/ur/learning/offline/sync/",
        json.dumps({"items": [item]}),
        content_type="application/json",
    )
    message = response.json()["results"][0]["message"]
    assert message and "another learner" not in message


class _Form(dict):
    def getlist(self, key):
        return self[key]
