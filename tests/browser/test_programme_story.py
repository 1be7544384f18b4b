"""The issue's acceptance story in one run, as the people in it see it.

A Lahore coordinator uploads a file of teachers (one known, one new, one from
another district), sees the progress and the row error, brings the figures up
to date, opens the dashboard scoped to Lahore, filters it by gender and
downloads the table as XLSX; the invited teacher opens the link of her
invitation on her phone, chooses a password, signs in and sees the cohort's
deadline; she does a lesson, goes quiet, and the daily run (the clock moved,
not waited for) sends her an inactivity reminder whose link stops them.

Screenshots for a person to look at go to /tmp/shots-ops/.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cohorts import messages
from cohorts.channels import TestChannel
from cohorts.models import (
    CohortMembership,
    CoordinatorAssignment,
    ReminderOptOut,
    ReminderRule,
)
from cohorts.services import join_cohort
from courses import services as courses
from courses.models import LessonProgress
from lms.accounts import services as accounts
from lms.accounts.models import District, User

from .conftest import PHONE, log_in
from .driver import expect
from .test_cohorts import DESKTOP, PASSWORD, lahore_cohort  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-ops")  # noqa: S108 - screenshots for a person, not data
FILE = (
    "email,name_en,name_ur,province,district,gender,sector,role,institution\n"
    "known.teacher@example.org,Known Teacher,,Punjab,Lahore,female,public,"
    "teacher,GHS\n"
    "ayesha@example.org,Ayesha Siddiqui,عائشہ صدیقی,پنجاب,لاہور,خاتون,"
    "سرکاری,استاد,GGHS Model Town\n"
    "far.away@example.org,Far Away,,Sindh,Karachi South,male,public,teacher,GBS\n"
)


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def path_of(link: str) -> str:
    """A link from an e-mail (written with SITE_URL) on the test's server."""
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_from_a_coordinators_file_to_a_teachers_reminder(
    browser,
    live_server,
    settings,
    make_learner,
    lahore_cohort,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    settings.COHORT_MESSAGE_CHANNEL = "cohorts.channels.TestChannel"
    TestChannel.outbox.clear()
    cohort = lahore_cohort
    course = cohort.courses.first()
    ReminderRule.objects.create(cohort=cohort, kind="inactive", days=5)
    coordinator = make_learner(email="coordinator@example.org", password=PASSWORD)
    coordinator.groups.add(Group.objects.get(name=accounts.COORDINATORS_GROUP))
    CoordinatorAssignment.objects.create(
        user=coordinator, programme=cohort.programme, district=cohort.district
    )
    make_learner(email="known.teacher@example.org", gender="female")
    join_cohort(make_learner(email="usman@example.org", gender="male"), cohort)
    karachi = District.objects.get(code="SD-KCS")
    courses.enrol(
        make_learner(
            email="karachi@example.org",
            gender="female",
            province=karachi.province,
            district=karachi,
        ),
        course,
    )

    staff = browser.new_context(
        viewport=DESKTOP, base_url=live_server.url, accept_downloads=True
    )
    page = staff.new_page()
    page.set_default_timeout(20000)
    try:
        # The upload: progress, and the row from another district refused.
        log_in(page, coordinator.email, PASSWORD)
        page.goto(reverse("cohorts_admin:inspect", args=[cohort.pk]))
        page.click("text=Enrol learners from a file")
        page.set_input_files(
            "input[type=file]",
            files=[
                {
                    "name": "lahore-teachers.csv",
                    "mimeType": "text/csv",
                    "buffer": FILE.encode("utf-8"),
                }
            ],
        )
        page.click("main button[type=submit]")
        expect(page.locator("[data-testid=run-progress]")).to_contain_text(
            "3 of 3 rows"
        )
        problems = page.locator("[data-testid=row-problems] tbody tr")
        expect(problems).to_have_count(1)
        expect(problems.first).to_contain_text("Karachi South")
        shot(page, "story-1-upload-progress")

        # The dashboard, scoped to Lahore, filtered by gender, as XLSX.
        page.goto(reverse("reporting_dashboard"))
        page.click("text=Bring the figures up to date")
        page.wait_for_url("**/admin/dashboard/")
        page.select_option("#id_gender", "female")
        page.click("text=Apply filters")
        page.wait_for_url("**gender=female**")
        genders = page.locator("#section-gender tbody tr")
        expect(genders).to_have_count(1)
        expect(genders.first).to_contain_text("Female")
        districts = page.locator("#section-district tbody tr")
        expect(districts).to_have_count(1)
        expect(districts.first).to_contain_text("Lahore")
        shown = " ".join(page.locator(".dashboard-section").all_inner_texts())
        assert "Karachi" not in shown
        shot(page, "story-2-dashboard-female")
        with page.expect_download() as download:
            page.locator("#section-gender a", has_text="XLSX").click()
        saved = tmp_path / "gender.xlsx"
        download.value.save_as(saved)
        sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
        assert sheet.cell(1, 1).value == "Gender"
        # The two women of Lahore the file enrolled; not Usman, not Karachi.
        assert [sheet.cell(2, column).value for column in (1, 2)] == ["Female", 2]
        assert sheet.max_row == 2
    finally:
        staff.close()

    # The invited teacher, on her phone: the link in her invitation.
    ayesha = User.objects.get(email="ayesha@example.org")
    assert CohortMembership.objects.filter(cohort=cohort, user=ayesha).exists()
    ((invitation),) = [m for email, m in TestChannel.outbox if email == ayesha.email]
    link = next(word for word in invitation.body.split() if "/password/reset/" in word)
    phone = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = phone.new_page()
    page.set_default_timeout(20000)
    try:
        page.goto(path_of(link))
        page.fill("#id_new_password1", "fresh-apricot-77")
        page.fill("#id_new_password2", "fresh-apricot-77")
        page.click("main button[type=submit]")
        page.wait_for_url("**/password/reset/complete/")
        log_in(page, ayesha.email, "fresh-apricot-77")
        page.wait_for_url("**/learning/")
        deadline = page.locator("[data-testid=cohort-deadline]").first
        expect(deadline).to_contain_text("۳۰ جون ۲۰۳۰")  # she chose Urdu
        shot(page, "story-3-teacher-deadline-ur")

        # A lesson, then a quiet week: the daily run reminds her once.
        courses.record_lesson_complete(ayesha, course.lessons()[0].pk)
        today = timezone.localdate()
        assert messages.queue_due_reminders(today) == 0
        LessonProgress.objects.filter(user=ayesha).update(
            completed_at=timezone.now() - datetime.timedelta(days=6)
        )
        TestChannel.outbox.clear()
        messages.queue_due_reminders(today)
        ((email, reminder),) = [
            (email, m) for email, m in TestChannel.outbox if email == ayesha.email
        ]
        assert f"کچھ عرصے سے آپ {cohort.name_ur} میں نظر نہیں آئے" in reminder.body
        page.goto(path_of(reminder.unsubscribe_url))
        page.click("main button[type=submit]")
        expect(page.locator("[role=status]")).to_be_visible()
        shot(page, "story-4-reminders-stopped-ur")
    finally:
        phone.close()
    assert ReminderOptOut.objects.filter(user=ayesha).exists()
    TestChannel.outbox.clear()
