"""The events report: registrations, attendance per session, no-shows and the
breakdowns, counted only within the user's scope, and its downloads."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from events import services
from events.models import Attendance, Event
from lms.accounts import services as accounts
from lms.accounts.models import District
from reporting.event_reports import build_event_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(make_event, make_learner):
    """A Lahore workshop whose first session is over: three registered, two
    came to it (one woman, one man), one is waiting; and a Karachi one."""
    event = make_event(capacity=3, days=-0.5, sessions=2)
    people = [
        make_learner(gender="female"),
        make_learner(gender="male"),
        make_learner(gender="female"),
        make_learner(),
    ]
    for person in people:
        services.register(event, person)
    first = event.sessions.order_by("starts_at").first()
    for person in people[:2]:
        Attendance.objects.create(
            session=first,
            learner=person,
            checked_in_at=first.starts_at,
            method=Attendance.Method.LIST,
        )
    karachi = make_event(district_code="SD-KCS", title_en="Karachi event")
    return event, first, karachi


def test_counts_of_registrations_attendance_and_no_shows(held, django_user_model):
    event, first, _karachi = held
    root = django_user_model.objects.create_superuser("r@example.org", "pw-long-1234")
    tables = build_event_tables(root, event.pk)
    assert tables["events"].rows == [
        [event.title, "Lahore", "Published", 3, 3, 1, 0, 2, 1, 0]
    ]
    sessions = tables["sessions"].rows
    assert [row[3:] for row in sessions] == [[3, 2, 0, 1], [3, 0, 0, None]]
    gender = {row[0]: row[1:] for row in tables["gender"].rows}
    assert gender["Female"] == [2, 1]
    assert gender["Male"] == [1, 1]
    assert tables["district"].rows == [["Lahore", 3, 2]]


def test_a_karachi_coordinator_counts_only_karachi(held, make_coordinator, programme):
    event, _first, karachi = held
    coordinator = make_coordinator(
        programme, district=District.objects.get(code="SD-KCS")
    )
    tables = build_event_tables(coordinator)
    assert [row[0] for row in tables["events"].rows] == ["Karachi event"]
    # Naming Lahore's event by id gives nothing.
    assert build_event_tables(coordinator, event.pk)["events"].rows == []


def test_the_page_and_its_downloads(client, held, django_user_model):
    manager = django_user_model.objects.create_user("m@example.org", "pw-long-1234")
    manager.groups.add(Group.objects.get(name=accounts.PROGRAMME_MANAGERS_GROUP))
    Event.objects.filter(pk=held[0].pk).update(title_en="=HYPERLINK(1)")
    client.force_login(manager)
    page = client.get(reverse("reporting_events"))
    assert page.status_code == 200
    assert "Attendance per session" in page.content.decode()
    csv = client.get(reverse("reporting_event_export", args=["events", "csv"]))
    assert "'=HYPERLINK(1)" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("reporting_event_export", args=["gender", "xlsx"]))
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    assert (
        client.get(reverse("reporting_event_export", args=["nope", "csv"])).status_code
        == 404
    )


def test_learners_do_not_get_the_report(client, make_learner):
    client.force_login(make_learner())
    assert client.get(reverse("reporting_events")).status_code in (302, 403)


def test_certificates_by_attendance_are_counted_until_revoked(held, django_user_model):
    from certificates import services as certificates
    from certificates.models import Certificate
    from events.attendance.awards import override_certificate

    event, _first, karachi = held
    root = django_user_model.objects.create_superuser("r@example.org", "pw-long-1234")
    came = Attendance.objects.filter(session__event=event).order_by("pk")
    for attendance in came:
        override_certificate(
            event, attendance.learner, actor=root, reason="Came to the session held"
        )
    rows = {row[0]: row[-1] for row in build_event_tables(root)["events"].rows}
    assert rows == {event.title: 2, karachi.title: 0}

    certificates.revoke_certificate(
        Certificate.objects.filter(workshop__event=event).first(),
        reason="Issued in error",
        actor=root,
    )
    assert build_event_tables(root, event.pk)["events"].rows[0][-1] == 1
