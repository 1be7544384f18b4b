"""The course's offline manifest, the service worker, the web app manifest and
the offline page."""

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from wagtail.models import Page

from courses import services
from courses.quizzes import services as quizzes
from courses.tests.conftest import right_answers

pytestmark = pytest.mark.django_db


def _manifest_url(course):
    return f"/learning/offline/courses/{course.pk}/"


@pytest.fixture
def enrolled(client, make_learner, make_course, make_quiz):
    learner = make_learner()
    course = make_course(lessons=3)
    quiz = make_quiz(course, draw=3)
    course.final_assessment = quiz
    course.save_revision().publish()
    services.enrol(learner, course)
    client.force_login(learner)
    return learner, course, quiz


def test_the_manifest_lists_every_lesson_with_size_and_version(client, enrolled):
    _learner, course, quiz = enrolled
    body = client.get(_manifest_url(course)).json()
    lessons = list(course.lessons())
    assert [item["url"] for item in body["lessons"]] == [
        lesson.url for lesson in lessons
    ]
    assert [item["version"] for item in body["lessons"]] == [
        lesson.live_revision_id for lesson in lessons
    ]
    by_url = {entry["url"]: entry for entry in body["files"]}
    for lesson in lessons:
        assert by_url[lesson.url]["bytes"] > 500
    assert by_url["/static/css/site.css"]["bytes"] > 1000
    assert by_url["/static/offline/js/offline.js"]["kind"] == "script"
    assert body["total_bytes"] == sum(entry["bytes"] for entry in body["files"])
    [listed] = body["quizzes"]
    assert listed["id"] == quiz.pk and listed["offline"] and not listed["timed"]


def test_the_manifest_in_urdu_brings_the_nastaliq_font(client, enrolled):
    _learner, course, _quiz = enrolled
    body = client.get("/ur" + _manifest_url(course)).json()
    fonts = [entry for entry in body["files"] if entry["kind"] == "font"]
    assert fonts and all(entry["url"].endswith(".woff2") for entry in fonts)
    assert all(entry["bytes"] > 10_000 for entry in fonts)


def test_a_changed_lesson_gets_a_new_version(client, enrolled):
    _learner, course, _quiz = enrolled
    before = client.get(_manifest_url(course)).json()["lessons"][0]["version"]
    lesson = course.lessons().first().specific
    lesson.title = "Lesson 1, revised"
    lesson.save_revision().publish()
    after = client.get(_manifest_url(course)).json()["lessons"][0]
    assert after["version"] != before and after["title"] == "Lesson 1, revised"


def test_a_completed_course_still_has_a_manifest(client, enrolled):
    learner, course, quiz = enrolled
    for lesson in course.lessons():
        services.record_lesson_complete(learner, lesson.pk)
    attempt = quizzes.start_attempt(learner, quiz, "en")
    answers = quizzes.answers_from_form(attempt, _Form(right_answers(attempt)))
    quizzes.submit_attempt(learner, attempt.pk, answers)
    response = client.get(_manifest_url(course))
    assert response.status_code == 200
    assert response.json()["quizzes"][0]["offline"] is False  # passed already


def test_the_manifest_is_only_for_enrolled_learners(
    client, enrolled, make_learner, make_course
):
    _learner, course, _quiz = enrolled
    other = make_course(lessons=1)
    refused = client.get(_manifest_url(other))
    assert refused.status_code == 403 and refused.json()["error"]
    client.logout()
    assert client.get(_manifest_url(course)).status_code == 401
    assert client.get("/learning/offline/courses/999999/").status_code in (401, 404)


def test_a_draft_course_has_no_manifest(client, enrolled):
    _learner, course, _quiz = enrolled
    Page.objects.filter(pk=course.pk).update(live=False)
    assert client.get(_manifest_url(course)).status_code == 404


def test_the_service_worker_is_served_from_the_root_and_always_rechecked(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    assert '"ur": "/ur/offline/"' in text and '"en": "/offline/"' in text
    assert "__VERSION__" not in text
    assert "/ur/sw.js" not in text


def test_the_web_app_manifest_speaks_the_language_of_its_address(client):
    english = client.get("/manifest.webmanifest")
    urdu = client.get("/ur/manifest.webmanifest").json()
    assert english["Content-Type"] == "application/manifest+json"
    assert english.json()["name"] == "Alliance Learning"
    assert english.json()["start_url"] == "/learning/"
    assert urdu["lang"] == "ur" and urdu["dir"] == "rtl"
    assert urdu["start_url"] == "/ur/learning/"
    assert urdu["name"] != "Alliance Learning"
    sizes = {icon["sizes"] for icon in urdu["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in urdu["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_the_offline_page_is_in_the_learners_language(client):
    page = client.get("/ur/offline/").content.decode()
    assert 'dir="rtl"' in page and "آپ آف لائن ہیں" in page
    assert 'id="offline-saved"' in page
    assert "You are offline" in client.get("/offline/").content.decode()


def test_learner_pages_carry_the_manifest_and_the_offline_script(client, enrolled):
    _learner, course, _quiz = enrolled
    page = client.get(course.url).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert "offline/js/offline.js" in page and 'id="offline-save"' in page
    assert "<script>" not in page and "application/json" not in page
    catalogue = client.get("/courses/").content.decode()
    assert "offline.js" not in catalogue  # the worker registers on learner pages


@override_settings(LANGUAGE_CODE="en")
def test_a_course_page_without_enrolment_offers_no_saving(
    client, make_learner, make_course
):
    course = make_course(lessons=1)
    client.force_login(make_learner())
    assert 'id="offline-save"' not in client.get(course.url).content.decode()


class _Form(dict):
    def getlist(self, key):
        return self[key]


def test_versions_alone_render_no_page(client, enrolled, django_assert_max_num_queries):
    _learner, course, _quiz = enrolled
    with django_assert_max_num_queries(8):
        body = client.get(_manifest_url(course) + "?versions=1").json()
    assert set(body) == {"lessons"}
    assert [item["version"] for item in body["lessons"]] == [
        lesson.live_revision_id for lesson in course.lessons()
    ]


def test_logging_out_clears_what_the_phone_saved(client, enrolled):
    response = client.post("/accounts/logout/")
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_offline_scripts_stay_within_their_budget():
    """The worker and the page's offline scripts: at most 15 KB gzip together."""
    import gzip
    from pathlib import Path

    names = ("offline-queue.js", "offline.js", "service-worker.js")
    text = b"".join(
        Path(finders.find(f"offline/js/{name}")).read_bytes() for name in names
    )
    assert len(gzip.compress(text, 9)) <= 15 * 1024
