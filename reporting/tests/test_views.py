"""The dashboard page, its filters, who may see it, its downloads and its
query count."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from courses import services as learning
from courses.models import Enrolment
from lms.accounts.models import District
from reporting.summaries import refresh_summaries
from reporting.wagtail_hooks import DashboardPanel, add_dashboard_panel

pytestmark = pytest.mark.django_db
DASHBOARD = "/admin/dashboard/"


def export(client, slug: str, file_format: str, query: str = ""):
    url = reverse("reporting_export", args=[slug, file_format])
    return client.get(f"{url}?{query}" if query else url)


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def figure(rows, name: str) -> str:
    return next(row[1] for row in rows if row[0] == name)


def test_a_manager_sees_the_dashboard_first_and_in_full(client, programme):
    client.force_login(programme.manager)
    home = client.get("/admin/")
    assert home.status_code == 200
    panel = home.content.decode()
    assert "Programme at a glance" in panel
    assert reverse("reporting_dashboard") in panel
    # Above every other panel of the admin's home page (under Wagtail's
    # one-line site summary).
    request = RequestFactory().get("/admin/")
    request.user = programme.manager
    panels = [object()]
    add_dashboard_panel(request, panels)
    assert isinstance(panels[0], DashboardPanel)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "From enrolment to certificate",
        "By province",
        "By district",
        "By gender",
        "By sector",
        "By role",
        "Week by week",
        "Courses that lose most learners",
        "Lessons where learners stop",
    ):
        assert heading in page
    assert page.count('<svg class="chart"') == 9
    assert page.count('<table class="listing">') == 9
    assert " style=" not in page.split('id="dashboard-filters"')[1]
    assert "<script>" not in page


@pytest.mark.parametrize(
    "who", ["trainer", "learner", "anonymous"], ids=["trainer", "learner", "anon"]
)
def test_trainers_and_learners_get_no_dashboard(client, programme, who):
    if who == "trainer":
        client.force_login(programme.trainer)
    elif who == "learner":
        client.force_login(programme.learners["certified"])
    for url in (DASHBOARD, reverse("reporting_export", args=["district", "csv"])):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Karachi" not in response.content
    response = client.post(reverse("reporting_refresh"))
    assert response.status_code in (302, 403)
    if who == "trainer":
        # Wagtail turns the refusal into a message on the admin's home page.
        assert client.get(DASHBOARD, follow=True).redirect_chain[-1][0] == "/admin/"
        assert b"Programme at a glance" not in client.get("/admin/").content


def test_filters_narrow_every_figure_and_download(client, programme):
    client.force_login(programme.manager)
    lahore = District.objects.get(code="PB-LHR")
    query = f"district={lahore.pk}&course={programme.first.pk}"
    response = client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200
    head = response.context["dashboard"].headline
    raw = Enrolment.objects.filter(
        user__profile__district=lahore, course=programme.first
    )
    assert head.enrolments == raw.count() == 4
    assert head.completed == raw.filter(completed_at__isnull=False).count() == 1
    rows = csv_rows(export(client, "figures", "csv", query))
    assert figure(rows, "Enrolments") == "4"
    assert figure(rows, "Completed") == "1"
    districts = csv_rows(export(client, "district", "csv", query))
    assert [row[0] for row in districts[1:]] == ["Lahore"]
    # Gender, sector and a date range: each narrows as the raw rows do.
    female = client.get(f"{DASHBOARD}?gender=female").context["dashboard"]
    assert female.headline.enrolments == (
        Enrolment.objects.filter(user__profile__gender="female").count()
    )
    recent = client.get(f"{DASHBOARD}?date_from=2000-01-01&date_to=2999-12-31")
    assert recent.context["dashboard"].headline.enrolments == 7
    private = client.get(f"{DASHBOARD}?sector=private&programme=")
    assert private.context["dashboard"].headline.enrolments == 2
    programme_page = programme.first.get_parent()
    whole = client.get(f"{DASHBOARD}?programme={programme_page.pk}")
    assert whole.context["dashboard"].headline.enrolments == 7
    assert (
        client.get(f"{DASHBOARD}?date_to=2000-01-01")
        .context["dashboard"]
        .headline.enrolments
        == 0
    )


@pytest.mark.parametrize(
    "query",
    [
        "district=999999",
        "course=999999",
        "province=abc",
        "gender=robot",
        "date_from=2026-02-01&date_to=2026-01-01",
        "date_from=not-a-date",
    ],
)
def test_bad_or_unknown_filters_are_refused_with_a_message(client, programme, query):
    client.force_login(programme.manager)
    response = client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200
    assert response.context["dashboard"] is None
    assert response.context["form"].errors
    assert b'role="alert"' in response.content
    assert export(client, "figures", "csv", query).status_code == 400


def district_coordinator(staff, programme, district):
    """A coordinator of ``district`` in the programme of the fixture's courses."""
    from cohorts.models import CoordinatorAssignment
    from lms.accounts.services import COORDINATORS_GROUP

    person = staff(COORDINATORS_GROUP, f"coordinator-{district.code}@example.org")
    CoordinatorAssignment.objects.create(
        user=person, programme=programme.first.get_parent().specific, district=district
    )
    return person


def test_a_district_coordinator_sees_only_their_district_on_every_figure_and_download(
    client, programme, staff
):
    """A coordinator of Lahore asks for Karachi: refused; without filters, no
    Karachi figure, row or download."""
    lahore = District.objects.get(code="PB-LHR")
    karachi = District.objects.get(code="SD-KCS")
    client.force_login(district_coordinator(staff, programme, lahore))
    refused = client.get(f"{DASHBOARD}?district={karachi.pk}")
    assert refused.context["dashboard"] is None
    assert "district" in refused.context["form"].errors
    assert export(client, "district", "csv", f"district={karachi.pk}").status_code == (
        400
    )
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    in_lahore = Enrolment.objects.filter(user__profile__district=lahore)
    assert 0 < in_lahore.count() < Enrolment.objects.count()
    assert page.context["dashboard"].headline.enrolments == in_lahore.count()
    assert b"Karachi" not in page.content
    assert b">Sindh<" not in page.content
    for slug in ("district", "province", "courses", "lessons", "gender", "funnel"):
        for file_format in ("csv", "xlsx"):
            body = export(client, slug, file_format).content
            assert b"Karachi" not in body and b"Sindh," not in body, slug


def test_someone_with_no_scope_gets_no_dashboard_even_in_the_coordinators_group(
    client, programme, staff
):
    from lms.accounts.services import COORDINATORS_GROUP

    client.force_login(staff(COORDINATORS_GROUP, "nobody@example.org"))
    assert client.get(DASHBOARD).status_code in (302, 403)
    assert export(client, "funnel", "csv").status_code in (302, 403)


def test_the_cohort_filter_counts_its_members_and_refuses_a_cohort_out_of_scope(
    client, programme, staff
):
    import datetime

    from cohorts.models import Cohort, CohortMembership

    nttp = programme.first.get_parent().specific
    lahore = District.objects.get(code="PB-LHR")
    karachi = District.objects.get(code="SD-KCS")
    cohort = Cohort.objects.create(
        name_en="Lahore spring",
        programme=nttp,
        district=lahore,
        starts_on=datetime.date(2026, 3, 1),
    )
    elsewhere = Cohort.objects.create(
        name_en="Karachi spring",
        programme=nttp,
        district=karachi,
        starts_on=datetime.date(2026, 3, 1),
    )
    members = [programme.learners["started"], programme.learners["certified"]]
    for learner in members:
        CohortMembership.objects.create(cohort=cohort, user=learner)
    client.force_login(programme.manager)

    page = client.get(f"{DASHBOARD}?cohort={cohort.pk}")

    expected = Enrolment.objects.filter(user__in=members).count()
    assert page.context["dashboard"].headline.enrolments == expected
    client.force_login(district_coordinator(staff, programme, lahore))
    refused = client.get(f"{DASHBOARD}?cohort={elsewhere.pk}")
    assert "cohort" in refused.context["form"].errors


def test_downloads_hold_the_table_with_formulas_neutralised(client, programme):
    client.force_login(programme.manager)
    rows = csv_rows(export(client, "courses", "csv"))
    assert rows[0][:2] == ["Course", "Enrolled"]
    titles = {row[0] for row in rows[1:]}
    assert "'=Assessment for learning (en)" in titles
    assert "Classroom management (en)" in titles
    response = export(client, "courses", "xlsx")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    assert "'=Assessment for learning (en)" in cells
    row = cells["Classroom management (en)"]
    assert [sheet.cell(row, column).value for column in range(2, 6)] == [5, 4, 2, 3]
    assert all(sheet.cell(r, 1).data_type == "s" for r in range(1, sheet.max_row + 1))
    funnel = load_workbook(io.BytesIO(export(client, "funnel", "xlsx").content)).active
    assert [funnel.cell(r, 2).value for r in range(2, 7)] == [7, 5, 4, 3, 2]
    assert export(client, "nothing", "csv").status_code == 404
    assert export(client, "funnel", "pdf").status_code == 404


def test_the_dashboard_reads_the_same_number_of_queries_whatever_the_data(
    client, programme, make_learner
):
    client.force_login(programme.manager)
    lahore = District.objects.get(code="PB-LHR")
    filtered = (
        f"{DASHBOARD}?district={lahore.pk}&course={programme.first.pk}"
        f"&province={lahore.province_id}&gender=female&date_from=2000-01-01"
    )

    def tables_read(url: str) -> str:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return " ".join(query["sql"] for query in queries.captured_queries)

    def count(url: str) -> int:
        client.get(url)  # warm the session and the site's caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = (count(DASHBOARD), count(filtered))
    assert before[0] == before[1]
    # Programme-wide, the figures come from the per-course rollups; filtered
    # finer, from the summary rows.
    assert "reporting_courserollup" in tables_read(DASHBOARD)
    assert "reporting_courserollup" not in tables_read(filtered)
    lessons = list(programme.first.lessons())
    for number in range(8):
        learner = make_learner(email=f"more{number}@example.org", gender="female")
        learning.enrol(learner, programme.first)
        for lesson in lessons[: number % 5]:
            learning.record_lesson_complete(learner, lesson.pk)
    refresh_summaries()
    assert (count(DASHBOARD), count(filtered)) == before


def test_a_manager_can_ask_for_fresh_figures(client, programme):
    client.force_login(programme.manager)
    learner = programme.learners["enrolled"]
    learning.record_lesson_complete(learner, programme.first.lessons().first().pk)
    before = client.get(DASHBOARD).context["dashboard"].headline.started
    assert client.get(reverse("reporting_refresh")).status_code == 405
    response = client.post(reverse("reporting_refresh"))
    assert response.status_code == 302
    after = client.get(DASHBOARD).context["dashboard"].headline.started
    assert after == before + 1
