"""The README's table of who may do what, held to what the site enforces.

The table is read from the README and each cell is checked for a user of that
role, through the same checks the admin and the learner pages make. A cell that
says "own programme" is checked both ways: the NTTP trainer may act on NTTP and
may not on the lecturers' programme.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from wagtail.models import Page

from courses import authoring
from courses.models import Enrolment, QuestionCategory
from courses.packages.admin_views import programmes_for_import
from courses.quizzes import access
from lms.accounts import services as accounts

pytestmark = pytest.mark.django_db

ROLES = [
    "public",
    "learner",
    "trainer",
    "reviewer",
    "district coordinator",
    "programme manager",
    "superuser",
]


def readme_table() -> dict[str, dict[str, str]]:
    """The rows of the "Who may do what" table: action → role → cell."""
    text = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = text.split("### Who may do what", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header == ["action", *ROLES]
    table = {}
    for line in rows[2:]:
        action, *cells = (cell.strip() for cell in line.strip("|").split("|"))
        table[action] = dict(zip(ROLES, cells, strict=True))
    return table


@pytest.fixture
def cohorts(rivals):
    """A cohort of NTTP in Lahore (the coordinator's district) and one in
    Karachi South (not theirs)."""
    import datetime

    from cohorts.models import Cohort
    from lms.accounts.models import District

    def cohort(code):
        district = District.objects.get(code=code)
        return Cohort.objects.create(
            name_en=code,
            programme=rivals.nttp,
            district=district,
            province=district.province,
            starts_on=datetime.date(2026, 1, 1),
        )

    return cohort("PB-LHR"), cohort("SD-KCS")


@pytest.fixture
def people(rivals, make_learner, django_user_model, cohorts):
    from cohorts.models import CoordinatorAssignment

    def member_of(*group_names):
        user = make_learner()
        user.groups.add(*Group.objects.filter(name__in=group_names))
        return user

    coordinator = member_of(accounts.COORDINATORS_GROUP)
    CoordinatorAssignment.objects.create(
        user=coordinator, programme=rivals.nttp, district=cohorts[0].district
    )
    return {
        "district coordinator": coordinator,
        "public": AnonymousUser(),
        "learner": make_learner(),
        "trainer": rivals.nttp_trainer,
        "reviewer": member_of(accounts.REVIEWERS_GROUP),
        "programme manager": member_of(accounts.PROGRAMME_MANAGERS_GROUP),
        "superuser": django_user_model.objects.create_superuser(
            "root@example.org", "a-long-test-password-42"
        ),
    }


def sees_dashboard_of(client, user, district) -> bool:
    """The dashboard, narrowed to ``district``, and its funnel download open."""
    if not user.is_authenticated:
        return False
    client.force_login(user)
    query = {"district": district.pk}
    page = client.get(reverse("reporting_dashboard"), query)
    table = client.get(reverse("reporting_export", args=["funnel", "csv"]), query)
    client.logout()
    shown = page.status_code == 200 and page.context["dashboard"] is not None
    return shown and table.status_code == 200


def both_ways(own: bool, other: bool, own_label: str = "own programme") -> str:
    """The cell that a check on NTTP (``own``) and on the lecturers' programme
    (``other``) gives for the NTTP trainer, or for any other role (and the same
    for the coordinator's district and another, with ``own_label``)."""
    if own and other:
        return "all"
    if own:
        return own_label
    assert not other, "may act on the other programme but not its own"
    return "no"


def yes_no(allowed: bool) -> str:
    return "yes" if allowed else "no"


def enrols(client, user, course) -> str:
    if user.is_authenticated:
        client.force_login(user)
    client.post(reverse("courses:enrol", args=[course.pk]))
    client.logout()
    return yes_no(
        user.is_authenticated
        and Enrolment.objects.filter(user=user, course=course).exists()
    )


def sends_for_approval(rivals, user) -> str:
    """Whether ``user`` may hold a package for each programme, as the upload
    form's service decides."""
    from content.services import ApprovalRefused, send_package_for_approval
    from content.tests import h5p_builders

    if not user.is_authenticated:
        return "no"

    def may_send(programme) -> bool:
        # A library no other test installs: the package always needs approval.
        library = h5p_builders.activity_library()
        library.machine_name = "H5P.AllianceRolesTable"
        package = h5p_builders.zip_files(
            h5p_builders.activity_package_files(main=library)
        )
        try:
            send_package_for_approval(package, user, programme)
        except ApprovalRefused:
            return False
        return True

    return both_ways(may_send(rivals.nttp), may_send(rivals.lecturers))


def decides_on_held_package(rivals, user) -> str:
    from content.models import H5PHeldPackage
    from content.services import may_decide

    if not user.is_authenticated:
        return "no"
    held = H5PHeldPackage(programme=rivals.nttp, submitted_by=rivals.lecturer_trainer)
    held.storage_name = f"h5p/held/roles-{user.pk}.h5p"
    held.save()
    return yes_no(may_decide(user, held))


def works_with_cohort(client, user, cohort) -> bool:
    """The cohort's page (its learners), its upload page and its announcement
    page all open for ``user``."""
    if not user.is_authenticated:
        return False
    client.force_login(user)
    statuses = {
        client.get(reverse(f"cohorts_admin:{view}", args=[cohort.pk])).status_code
        for view in ("inspect", "enrol", "announce")
    }
    client.logout()
    return statuses == {200}


def answers(client, rivals, user, action: str, cohorts=None) -> str:
    nttp, lecturers = rivals.nttp_course, rivals.lecturer_course
    if action == "verify a certificate":
        if user.is_authenticated:
            client.force_login(user)
        status = client.get(reverse("certificates:verify_start")).status_code
        client.logout()
        return yes_no(status == 200)
    if action == "enrol, learn, take quizzes, download own certificates":
        return enrols(client, user, nttp)
    if action == "edit pages (saved as drafts)":
        return both_ways(
            nttp.permissions_for_user(user).can_edit(),
            lecturers.permissions_for_user(user).can_edit(),
        )
    if action == "question banks and quizzes":
        if not user.is_authenticated or not user.has_perm("courses.change_question"):
            return "no"
        banks = access.scoped(user, QuestionCategory.objects.all())
        return both_ways(
            banks.filter(pk=rivals.nttp_category.pk).exists(),
            banks.filter(pk=rivals.lecturer_category.pk).exists(),
        )
    if action == "import a course package (as a draft)":
        if not user.is_authenticated:
            return "no"
        allowed = programmes_for_import(user)
        return both_ways(
            allowed.filter(pk=rivals.nttp.pk).exists(),
            allowed.filter(pk=rivals.lecturers.pk).exists(),
        )
    if action == "approve a submitted page (it goes live)":
        task = Page.get_first_root_node().get_children().first().get_workflow()
        task = task.tasks.first().specific
        page = nttp.specific
        return yes_no(user.is_authenticated and bool(task.get_actions(page, user)))
    if action == "publish a page at once":
        return yes_no(
            nttp.permissions_for_user(user).can_publish()
            and lecturers.permissions_for_user(user).can_publish()
        )
    if action == "certificate templates, workshops, revoke, reissue":
        return yes_no(
            user.has_perm("certificates.change_certificatetemplate")
            and user.has_perm("certificates.change_workshop")
            and user.has_perm("certificates.change_certificate")
        )
    if action == "install H5P libraries (and their updates)":
        return yes_no(user.has_perm("content.install_h5plibrary"))
    if action == "send an H5P package that needs new libraries for approval":
        return sends_for_approval(rivals, user)
    if action == "approve or decline an H5P package sent for approval":
        return decides_on_held_package(rivals, user)
    if action == "see failed background tasks and try them again":
        return yes_no(user.has_perm("django_tasks_database.change_dbtaskresult"))
    if action == "add and edit cohorts, name coordinators and their scopes":
        return yes_no(
            user.has_perm("cohorts.add_cohort")
            and user.has_perm("cohorts.change_cohort")
            and user.has_perm("cohorts.change_coordinatorassignment")
        )
    if action == "see a cohort's learners, enrol them from a file, announce to them":
        own, other = cohorts
        return both_ways(
            works_with_cohort(client, user, own),
            works_with_cohort(client, user, other),
            own_label="own district",
        )
    if action == "see the programme dashboard and download its tables":
        own, other = (cohort.district for cohort in cohorts)
        return both_ways(
            sees_dashboard_of(client, user, own),
            sees_dashboard_of(client, user, other),
            own_label="own district",
        )
    if action == (
        "create awards, issue them to teachers (one by one or from a file), revoke them"
    ):
        from awards.services import may_issue_awards

        return yes_no(
            user.is_authenticated
            and user.has_perm("awards.add_award")
            and may_issue_awards(user)
            and user.has_perm("awards.change_issuedaward")
        )
    if action == "register for an event, cancel own place":
        return registers_for_event(client, user, event_in(rivals.nttp, "PB-LHR"))
    if action == "add and edit events":
        return yes_no(
            user.has_perm("events.add_event") and user.has_perm("events.change_event")
        )
    if action == "see an event's registrations, register walk-ins, cancel a place":
        own, other = (cohort.district for cohort in cohorts)
        return both_ways(
            works_with_event(client, user, event_in(rivals.nttp, own.code)),
            works_with_event(client, user, event_in(rivals.nttp, other.code)),
            own_label="own district",
        )
    if action == "run a session's check-in screen, issue certificates by attendance":
        own, other = (cohort.district for cohort in cohorts)
        return both_ways(
            runs_attendance(client, user, event_in(rivals.nttp, own.code)),
            runs_attendance(client, user, event_in(rivals.nttp, other.code)),
            own_label="own district",
        )
    raise AssertionError(f"The README names an action no test checks: {action!r}")


def event_in(programme, district_code: str):
    """A published two-session workshop of ``programme`` in the district."""
    import datetime

    from django.utils import timezone

    from events.models import Event, EventSession
    from lms.accounts.models import District

    district = District.objects.get(code=district_code)
    event, created = Event.objects.get_or_create(
        slug=f"roles-{district_code.lower()}",
        defaults={
            "title_en": f"Workshop in {district_code}",
            "programme": programme,
            "province": district.province,
            "district": district,
            "capacity": 50,
            "status": Event.Status.PUBLISHED,
        },
    )
    if created:
        start = timezone.now() + datetime.timedelta(days=3)
        EventSession.objects.create(
            event=event,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            venue="Hall",
            district=district,
        )
    return event


def registers_for_event(client, user, event) -> str:
    from events.models import Registration

    if user.is_authenticated:
        client.force_login(user)
    client.post(reverse("events:register", args=[event.slug]))
    client.logout()
    return yes_no(
        user.is_authenticated
        and Registration.objects.filter(event=event, learner=user).exists()
    )


def works_with_event(client, user, event) -> bool:
    """The event's admin page (its registrations) opens for ``user``, who may
    register walk-ins and cancel places."""
    if not user.is_authenticated:
        return False
    client.force_login(user)
    status = client.get(reverse("events_admin:inspect", args=[event.pk])).status_code
    client.logout()
    return (
        status == 200
        and user.has_perm("events.add_registration")
        and user.has_perm("events.change_registration")
    )


def runs_attendance(client, user, event) -> bool:
    """The event's check-in screen and its certificates page open for ``user``."""
    if not user.is_authenticated:
        return False
    client.force_login(user)
    session = event.sessions.first()
    screen = client.get(reverse("attendance:screen", args=[session.pk])).status_code
    awards = client.get(
        reverse("attendance:event_certificates", args=[event.pk])
    ).status_code
    client.logout()
    return screen == 200 and awards == 200


def test_the_readme_table_is_what_the_site_enforces(client, rivals, people, cohorts):
    authoring.ensure_review_workflow(
        Page.get_first_root_node().get_children().first(),
        Group.objects.get(name=accounts.REVIEWERS_GROUP),
    )
    table = readme_table()
    assert len(table) >= 9
    enforced = {
        action: {
            role: answers(client, rivals, people[role], action, cohorts)
            for role in ROLES
        }
        for action in table
    }
    assert enforced == table


def test_the_table_reader_sees_every_row():
    table = readme_table()
    assert "publish a page at once" in table
    assert all(
        re.fullmatch(r"yes|no|all|own programme|own district", cell)
        for row in table.values()
        for cell in row.values()
    )
