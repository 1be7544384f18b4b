"""Certificates earned by attendance: issued once to those who meet the rule,
a "what is missing" e-mail once to the others after the last session, and the
staff override with its reason in the audit log."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent
from events.attendance import awards, services
from events.models import Attendance, Event, Registration

pytestmark = pytest.mark.django_db


def attend(session, learner, *, minutes_in=0, minutes_out=None, method="list"):
    """Record attendance as it would have been recorded during the session."""
    attendance = Attendance.objects.create(
        session=session,
        learner=learner,
        registration=Registration.objects.get(event=session.event, learner=learner),
        checked_in_at=session.starts_at + datetime.timedelta(minutes=minutes_in),
        checked_out_at=None
        if minutes_out is None
        else session.starts_at + datetime.timedelta(minutes=minutes_out),
        method=method,
    )
    return attendance


@pytest.fixture
def ended_workshop(make_event, make_learner, register):
    """Two sessions of 2 hours, both over; one learner at both, one at one."""
    event = make_event(((-60 * 26, 120), (-180, 120)))
    both = make_learner(email="both@example.org")
    one = make_learner(email="one@example.org", preferred_language="ur")
    register(event, both)
    register(event, one)
    first, second = event.sessions.order_by("starts_at")
    attend(first, both)
    attend(second, both)
    attend(first, one)
    return event, both, one


def test_those_at_every_session_get_one_certificate(
    ended_workshop, django_capture_on_commit_callbacks
):
    event, both, one = ended_workshop
    with django_capture_on_commit_callbacks(execute=True):
        report = awards.award_event_certificates(event)
    assert [c.email for c in report.issued] == ["both@example.org"]
    certificate = Certificate.objects.get(email="both@example.org")
    assert certificate.kind == Certificate.Kind.WORKSHOP
    assert certificate.user == both
    assert certificate.signature
    event.refresh_from_db()
    assert certificate.workshop == event.certificate_workshop
    assert certificate.cpd_hours == event.cpd_hours
    with django_capture_on_commit_callbacks(execute=True):
        again = awards.award_event_certificates(event)
    assert again.issued == []
    assert Certificate.objects.filter(email="both@example.org").count() == 1


def test_those_short_are_told_what_is_missing_once_in_their_language(
    ended_workshop, django_capture_on_commit_callbacks
):
    event, _both, one = ended_workshop
    with django_capture_on_commit_callbacks(execute=True):
        report = awards.award_event_certificates(event)
        awards.award_event_certificates(event)
    assert report.notified == 1
    shortfall = [m for m in mail.outbox if m.to == ["one@example.org"]]
    assert len(shortfall) == 1
    assert shortfall[0].extra_headers["Content-Language"] == "ur"
    assert not Certificate.objects.filter(email="one@example.org").exists()
    second = event.sessions.order_by("starts_at").last()
    assert timezone.localtime(second.starts_at).strftime("%H:%M") in shortfall[0].body


def test_nobody_is_told_of_a_shortfall_before_the_last_session(
    make_event, make_learner, register, django_capture_on_commit_callbacks
):
    event = make_event(((-180, 120), (60 * 24, 120)))
    learner = make_learner()
    register(event, learner)
    with django_capture_on_commit_callbacks(execute=True):
        report = awards.award_event_certificates(event)
    assert report.notified == 0 and report.waiting == 1
    assert mail.outbox == []


def test_share_of_time_rule_counts_check_out_and_online_leave(
    make_event, make_learner, register
):
    event = make_event(
        ((-300, 100), (-150, 100)),
        needs_checkout=True,
        attendance_rule=Event.AttendanceRule.MIN_SHARE,
        attendance_percent=80,
    )
    enough, short, no_out = (make_learner() for _ in range(3))
    for learner in (enough, short, no_out):
        register(event, learner)
    first, second = event.sessions.order_by("starts_at")
    attend(first, enough, minutes_in=0, minutes_out=100)
    attend(second, enough, minutes_in=30, minutes_out=100)  # 170 of 200 min
    attend(first, short, minutes_in=0, minutes_out=100)
    attend(second, short, minutes_in=50, minutes_out=100)  # 150 of 200 min
    attend(first, no_out, minutes_in=0)
    attend(second, no_out, minutes_in=0)  # never checked out: nothing counted
    standing = {s.learner: s for s in awards.standings(event)}
    assert standing[enough].meets_rule
    assert not standing[short].meets_rule
    assert standing[short].missing_minutes == 10
    assert standing[no_out].attended_seconds == 0
    assert [s.missing_check_out for s in standing[no_out].sessions] == [True, True]


def test_online_join_counts_until_leave_or_the_end(make_event):
    event = make_event(((-200, 100),), online=True)
    session = event.sessions.get()
    joined = Attendance(
        session=session,
        checked_in_at=session.starts_at + datetime.timedelta(minutes=10),
        method=Attendance.Method.ONLINE_LINK,
    )
    assert awards.seconds_attended(session, joined) == 90 * 60
    joined.checked_out_at = session.starts_at + datetime.timedelta(minutes=40)
    assert awards.seconds_attended(session, joined) == 30 * 60
    dialled = Attendance(
        session=session,
        checked_in_at=session.starts_at + datetime.timedelta(minutes=50),
        method=Attendance.Method.SESSION_CODE,
    )
    assert awards.seconds_attended(session, dialled) == 100 * 60


def test_linked_course_must_be_passed_when_required(
    make_event, make_learner, register, make_course, django_capture_on_commit_callbacks
):
    from courses import services as learning

    course = make_course(lessons=1)
    event = make_event(((-180, 120),), course=course, course_required=True)
    learner = make_learner()
    register(event, learner)
    attend(event.sessions.get(), learner)
    with django_capture_on_commit_callbacks(execute=True):
        awards.award_event_certificates(event)
    assert not Certificate.objects.filter(workshop__isnull=False).exists()
    body = mail.outbox[-1].body
    assert course.title in body
    learning.enrol(learner, course)
    learning.record_lesson_complete(learner, course.lessons()[0].pk)
    awards.award_event_certificates(event)
    assert Certificate.objects.filter(
        email=learner.email, workshop__isnull=False
    ).exists()


def test_override_needs_a_reason_and_keeps_it_in_the_audit_log(ended_workshop, staff):
    event, _both, one = ended_workshop
    with pytest.raises(awards.AwardRefused):
        awards.override_certificate(event, one, actor=staff, reason="  ")
    assert not Certificate.objects.filter(email=one.email).exists()
    certificate = awards.override_certificate(
        event, one, actor=staff, reason="Attended the second day at another venue"
    )
    entry = CertificateEvent.objects.get(
        certificate=certificate, action=CertificateEvent.Action.ISSUED
    )
    assert entry.actor == staff
    assert entry.details["override"] is True
    assert entry.details["reason"] == "Attended the second day at another venue"


def test_override_refuses_a_learner_not_registered(ended_workshop, staff, make_learner):
    event, _both, _one = ended_workshop
    with pytest.raises(awards.AwardRefused):
        awards.override_certificate(event, make_learner(), actor=staff, reason="x")
    assert not Certificate.objects.filter(workshop__isnull=False).exists()


def test_command_awards_events_whose_sessions_just_ended(
    ended_workshop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("award_event_certificates")
    assert Certificate.objects.filter(email="both@example.org").count() == 1


def test_staff_page_lists_standings_and_issues_on_demand(
    client, staff, ended_workshop, django_assert_max_num_queries
):
    event, _both, one = ended_workshop
    client.force_login(staff)
    url = reverse("attendance:event_certificates", kwargs={"event_id": event.pk})
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert "Falls short" in page.content.decode()
    client.post(url, {"action": "award"})
    assert Certificate.objects.filter(email="both@example.org").exists()
    refused = client.post(
        url, {"action": "override", "learner": one.pk, "reason": ""}, follow=True
    )
    assert "Give the reason" in refused.content.decode()
    assert not Certificate.objects.filter(email=one.email).exists()
    client.post(url, {"action": "override", "learner": one.pk, "reason": "Medical"})
    assert Certificate.objects.filter(email=one.email).exists()


def test_staff_page_is_404_for_a_learner(client, ended_workshop):
    event, both, _one = ended_workshop
    client.force_login(both)
    url = reverse("attendance:event_certificates", kwargs={"event_id": event.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "award"}).status_code == 404
    assert not Certificate.objects.filter(workshop__isnull=False).exists()


def test_cancelled_registration_gets_neither_certificate_nor_mail(
    ended_workshop, django_capture_on_commit_callbacks
):
    event, both, _one = ended_workshop
    Registration.objects.filter(learner=both).update(
        status=Registration.Status.CANCELLED
    )
    with django_capture_on_commit_callbacks(execute=True):
        awards.award_event_certificates(event)
    assert not Certificate.objects.filter(email=both.email).exists()
    assert not [m for m in mail.outbox if m.to == [both.email]]


def test_record_check_in_service_is_idempotent(make_event, make_learner, register):
    event = make_event()
    learner = make_learner()
    register(event, learner)
    session = event.sessions.get()
    first = services.record_check_in(session, learner, method="list")
    second = services.record_check_in(session, learner, method="personal_qr")
    assert first.created and not second.created
    assert second.attendance.pk == first.attendance.pk
