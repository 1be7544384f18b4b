import io

import pytest
from django.core.management import call_command

from courses.models import CoursePage, LessonPage


@pytest.mark.django_db
def test_demo_has_a_sindhi_lesson_and_seeding_twice_adds_nothing(client):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    lessons = LessonPage.objects.live().filter(locale__language_code="sd")
    assert [lesson.url for lesson in lessons] == [
        "/sd/nttp/classroom-management/expectations/"
    ]
    course = CoursePage.objects.get(locale__language_code="sd")
    html = client.get(course.url).content.decode()
    assert '<html lang="sd" dir="rtl">' in html
    assert "ڪلاس روم جو انتظام" in html and "css/naskh.css" in html
