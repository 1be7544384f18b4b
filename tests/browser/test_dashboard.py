"""A programme manager opens the dashboard, filters it and downloads a table."""

import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from courses import services as learning
from lms.accounts.models import District, Province
from lms.accounts.services import PROGRAMME_MANAGERS_GROUP
from reporting.summaries import refresh_summaries

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
STAFF = {"width": 1280, "height": 800}


def test_a_manager_filters_the_dashboard_and_downloads_xlsx(
    browser, live_server, make_learner, make_course, tmp_path
):
    course = make_course(lessons=2, title="Classroom management")
    lahore = District.objects.get(code="PB-LHR")
    karachi = District.objects.get(code="SD-KCS")
    for number, district in enumerate([lahore, lahore, lahore, karachi]):
        learner = make_learner(
            email=f"teacher{number}@example.org",
            province=district.province,
            district=district,
        )
        learning.enrol(learner, course)
        if number % 2 == 0:
            for lesson in course.lessons():
                learning.record_lesson_complete(learner, lesson.pk)
    manager = make_learner(
        email="manager@example.org",
        password="amber-river-stone-77",
        province=Province.objects.get(code="PB"),
    )
    manager.groups.add(Group.objects.get(name=PROGRAMME_MANAGERS_GROUP))
    refresh_summaries(full=True)

    context = browser.new_context(
        viewport=STAFF, base_url=live_server.url, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto("/admin/login/")
        page.fill("#id_username", "manager@example.org")
        page.fill("#id_password", "amber-river-stone-77")
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        # The admin's home page leads with the programme at a glance.
        assert "Programme at a glance" in page.inner_text("main")
        page.click("text=Open the programme dashboard")
        page.wait_for_url("**/admin/dashboard/")
        figures = page.locator(".dashboard-figures").inner_text()
        assert "4" in figures and "Enrolments" in figures
        page.select_option("#id_district", str(lahore.pk))
        page.click("text=Apply filters")
        page.wait_for_url(f"**district={lahore.pk}**")
        district_rows = page.locator("#section-district tbody tr")
        assert district_rows.count() == 1
        assert "Lahore" in district_rows.first.inner_text()
        shown = " ".join(page.locator(".dashboard-section").all_inner_texts())
        assert "Karachi" not in shown
        with page.expect_download() as download_info:
            page.locator("#section-district a", has_text="XLSX").click()
        path = tmp_path / "district.xlsx"
        download_info.value.save_as(path)
        sheet = load_workbook(io.BytesIO(path.read_bytes())).active
        assert sheet.cell(1, 1).value == "District"
        assert [sheet.cell(2, column).value for column in range(1, 5)] == [
            "Lahore",
            3,
            2,
            2,
        ]
        assert sheet.max_row == 2
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0
    finally:
        context.close()
