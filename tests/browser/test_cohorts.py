"""A district coordinator enrols a file of teachers; a teacher sees the deadline.

Screenshots go to /tmp/cohorts-shots/ (outside the repository) for a person to
look at: the staff pages at 1280x800, the learner's deadline at 360x640.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale

from cohorts.models import Cohort, CohortMembership, CoordinatorAssignment
from cohorts.services import join_cohort
from courses import authoring
from lms.accounts import services as accounts
from lms.accounts.models import District, User

from .conftest import PHONE, log_in
from .driver import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
SHOTS = Path("/tmp/cohorts-shots")  # noqa: S108 - screenshots for a person, not data
PASSWORD = "green-mango-tree-42"


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def lahore_cohort(make_course):
    course = make_course(lessons=2, title="Assessment for learning")
    lahore = District.objects.get(code="PB-LHR")
    cohort = Cohort.objects.create(
        name_en="NTTP Lahore, spring",
        name_ur="این ٹی ٹی پی لاہور، بہار",
        programme=course.get_parent().specific,
        district=lahore,
        province=lahore.province,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2030, 6, 30),
    )
    cohort.courses.add(course)
    authoring.translate_page(course.get_parent(), "ur", title="این ٹی ٹی پی")
    authoring.translate_page(course, "ur", title="سیکھنے کے لیے جانچ")
    return cohort


def test_a_district_coordinator_uploads_teachers_and_sees_the_row_error(
    browser, live_server, make_learner, lahore_cohort
):
    coordinator = make_learner(email="coordinator@example.org", password=PASSWORD)
    coordinator.groups.add(Group.objects.get(name=accounts.COORDINATORS_GROUP))
    CoordinatorAssignment.objects.create(
        user=coordinator,
        programme=lahore_cohort.programme,
        district=lahore_cohort.district,
    )
    known = make_learner(email="known.teacher@example.org")
    csv_text = (
        "email,name_en,name_ur,province,district,gender,sector,role,institution\n"
        "known.teacher@example.org,Known Teacher,,Punjab,Lahore,female,public,"
        "teacher,GHS\n"
        "new.teacher@example.org,Ayesha Siddiqui,عائشہ صدیقی,پنجاب,لاہور,خاتون,"
        "سرکاری,استاد,GGHS Model Town\n"
        "far.away@example.org,Far Away,,Sindh,Karachi South,male,public,teacher,GBS\n"
    )
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        log_in(page, coordinator.email, PASSWORD)
        page.goto(reverse("cohorts_admin:inspect", args=[lahore_cohort.pk]))
        shot(page, "staff-cohort-en")
        page.click("text=Enrol learners from a file")
        page.set_input_files(
            "input[type=file]",
            files=[
                {
                    "name": "lahore-teachers.csv",
                    "mimeType": "text/csv",
                    "buffer": csv_text.encode("utf-8"),
                }
            ],
        )
        shot(page, "staff-upload-en")
        page.click("main button[type=submit]")
        expect(page.locator("[data-testid=run-progress]")).to_contain_text(
            "3 of 3 rows"
        )
        problems = page.locator("[data-testid=row-problems] tbody tr")
        expect(problems).to_have_count(1)
        expect(problems.first).to_contain_text("4")
        expect(problems.first).to_contain_text("Karachi South")
        shot(page, "staff-progress-en")
    finally:
        context.close()
    assert CohortMembership.objects.filter(cohort=lahore_cohort, user=known).exists()
    assert User.objects.filter(email="new.teacher@example.org").exists()
    assert not User.objects.filter(email="far.away@example.org").exists()


@pytest.mark.parametrize("prefix", ["", "/ur"])
def test_a_teacher_sees_the_cohort_deadline_on_the_phone(
    browser, live_server, make_learner, lahore_cohort, prefix
):
    learner = make_learner(email="teacher@example.org", password=PASSWORD)
    join_cohort(learner, lahore_cohort)
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        log_in(page, learner.email, PASSWORD, prefix=prefix)
        page.goto(f"{prefix}/learning/")
        deadline = page.locator("[data-testid=cohort-deadline]").first
        expect(deadline).to_be_visible()
        if prefix:
            expect(deadline).to_contain_text("۳۰ جون ۲۰۳۰")
        else:
            expect(deadline).to_contain_text("Finish by 30 June 2030")
        assert page.evaluate(
            "document.documentElement.scrollWidth <= "
            "document.documentElement.clientWidth"
        )
        shot(page, f"learner-deadline-{prefix.strip('/') or 'en'}")
        course = lahore_cohort.courses.first()
        if prefix:
            course = course.get_translation(Locale.objects.get(language_code="ur"))
        page.goto(course.url)
        expect(page.locator("[data-testid=cohort-deadline]")).to_be_visible()
        shot(page, f"learner-course-deadline-{prefix.strip('/') or 'en'}")
    finally:
        context.close()
