"""The catalogue lists each course once, in the reader's language when it can."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import authoring
from courses.models import ProgrammePage


def titles(html):
    return re.findall(r"<h2><a href=\"[^\"]+\">([^<]+)</a></h2>", html)


@pytest.fixture
def courses(make_course):
    translated = make_course(lessons=1, title="Classroom management")
    authoring.translate_page(translated.get_parent(), "ur", title="ٹیسٹ پروگرام")
    authoring.translate_page(translated, "ur", title="کمرۂ جماعت کا انتظام")
    english_only = make_course(lessons=1, title="Assessment for learning")
    urdu_programme = ProgrammePage.objects.get(
        translation_key=translated.get_parent().translation_key,
        locale__language_code="ur",
    )
    urdu_first = authoring.create_course(
        urdu_programme,
        "اردو میں تحقیق",
        "urdu-research",
        summary="اردو میں لکھا گیا کورس۔",
    )
    return translated, english_only, urdu_first


@pytest.mark.django_db
def test_each_course_once_in_the_page_language_or_its_source(client, courses):
    html = client.get("/courses/").content.decode()
    assert titles(html) == [
        "Classroom management",
        "Assessment for learning",
        "اردو میں تحقیق",
    ]
    assert "3 courses" in html

    html = client.get("/ur/courses/").content.decode()
    assert titles(html) == [
        "کمرۂ جماعت کا انتظام",
        "Assessment for learning",
        "اردو میں تحقیق",
    ]
    # The untranslated course keeps its own language and says so.
    card = html.split("Assessment for learning")[0].rsplit('<li class="card">', 1)[1]
    assert '<div lang="en" dir="ltr">' in card
    assert "Classroom management" not in html


@pytest.mark.django_db
def test_cards_say_which_languages_a_course_is_available_in(client, courses):
    html = client.get("/courses/").content.decode()
    cards = html.split('<li class="card">')[1:]
    assert '<span lang="en">English</span>' in cards[0]
    assert '<span lang="ur">اردو</span>' in cards[0]
    assert '<span lang="ur">' not in cards[1].split("Available in:")[1]
    assert "Not yet translated into English." in cards[2]
    assert "Not yet translated" not in cards[0]


@pytest.mark.django_db
def test_language_filter_shows_courses_readable_in_that_language(client, courses):
    html = client.get("/courses/", {"language": "ur"}).content.decode()
    assert titles(html) == ["کمرۂ جماعت کا انتظام", "اردو میں تحقیق"]
    html = client.get("/courses/", {"language": "sd"}).content.decode()
    assert titles(html) == []


@pytest.mark.django_db
def test_programme_filter_covers_the_programme_in_every_language(client, courses):
    translated, _english_only, _urdu_first = courses
    programme = translated.get_parent()
    html = client.get("/ur/courses/", {"programme": programme.pk}).content.decode()
    assert len(titles(html)) == 3
    # The programme is offered once, in the page's language.
    assert "ٹیسٹ پروگرام</option>" in html and "Test programme</option>" not in html
    html = client.get("/courses/").content.decode()
    assert html.count("Test programme</option>") == 1
    assert "ٹیسٹ پروگرام</option>" not in html


@pytest.mark.django_db
def test_search_finds_a_lesson_typed_with_arabic_kaf(client, make_course):
    course = make_course(lessons=0, title="Reading together")
    authoring.create_lesson(
        course,
        "Reading corner",
        "reading-corner",
        # Typed on an Arabic keyboard: Arabic kaf (U+0643) and yeh (U+064A).
        body=[("text", "<p>ہر بچے کے لیے ایك كتاب اور ايك كہانی۔</p>")],
    )
    make_course(lessons=1, title="Assessment")
    html = client.get("/courses/", {"q": "کتاب"}).content.decode()
    assert titles(html) == ["Reading together"]
    html = client.get("/ur/courses/", {"q": "ایک کہانی"}).content.decode()
    assert titles(html) == ["Reading together"]


@pytest.mark.django_db
def test_catalogue_queries_do_not_grow_with_courses_or_languages(
    client, make_course, django_assert_max_num_queries
):
    def add_courses(count):
        for _ in range(count):
            course = make_course(lessons=1)
            authoring.translate_page(course.get_parent(), "ur")
            authoring.translate_page(course, "ur")
            authoring.translate_page(course, "sd")

    add_courses(2)
    client.get("/ur/courses/")  # warm Wagtail's site-root cache
    with CaptureQueriesContext(connection) as few:
        client.get("/ur/courses/")
    add_courses(10)
    with django_assert_max_num_queries(len(few)):
        html = client.get("/ur/courses/").content.decode()
    assert len(titles(html)) == 12
    assert html.count('<span lang="sd">سنڌي</span>') == 12
