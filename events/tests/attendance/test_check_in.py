"""Checking in by the rotating QR, the session code and the join link: each
bad input gets a clear answer and records nothing; nothing is recorded twice."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.attendance import codes, services
from events.models import Attendance, Registration

pytestmark = pytest.mark.django_db


def check_in_url(session, token=None):
    token = token or codes.rotating_token(session.pk)
    return reverse(
        "attendance:check_in", kwargs={"session_id": session.pk, "token": token}
    )


@pytest.fixture
def workshop_now(make_event, make_learner, register):
    event = make_event()
    learner = make_learner()
    register(event, learner)
    return event, event.sessions.get(), learner


def test_get_asks_to_confirm_and_records_nothing(client, workshop_now):
    _event, session, learner = workshop_now
    client.force_login(learner)
    response = client.get(check_in_url(session))
    assert response.status_code == 200
    assert b"checkin-confirm" in response.content
    assert not Attendance.objects.exists()


def test_post_checks_in_once_and_a_second_time_says_so(client, workshop_now):
    _event, session, learner = workshop_now
    client.force_login(learner)
    url = check_in_url(session)
    first = client.post(url, {"action": "check_in"}, follow=True)
    assert "You are checked in" in first.content.decode()
    second = client.post(url, {"action": "check_in"}, follow=True)
    assert "already checked in" in second.content.decode()
    attendance = Attendance.objects.get()
    assert attendance.learner == learner
    assert attendance.method == Attendance.Method.ROTATING_QR


def test_forged_code_is_refused_and_records_nothing(client, workshop_now):
    _event, session, learner = workshop_now
    client.force_login(learner)
    response = client.post(check_in_url(session, "abcde-aaaaaaaaaa"))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not Attendance.objects.exists()


def test_code_of_another_session_is_refused(client, make_event, workshop_now):
    _event, session, learner = workshop_now
    other = make_event().sessions.get()
    client.force_login(learner)
    response = client.post(check_in_url(session, codes.rotating_token(other.pk)))
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_screenshot_of_an_old_code_is_refused_as_expired(client, workshop_now):
    _event, session, learner = workshop_now
    old = codes.rotating_token(session.pk, codes.current_window() - 2)
    client.force_login(learner)
    page = client.get(check_in_url(session, old))
    assert page.status_code == 400
    assert "expired" in page.content.decode()
    response = client.post(check_in_url(session, old))
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_code_of_the_previous_window_is_still_accepted(client, workshop_now):
    _event, session, learner = workshop_now
    previous = codes.rotating_token(session.pk, codes.current_window() - 1)
    client.force_login(learner)
    client.post(check_in_url(session, previous))
    assert Attendance.objects.filter(learner=learner).count() == 1


def test_signing_in_on_the_spot_keeps_the_code_valid_for_the_learner(
    client, workshop_now
):
    _event, session, learner = workshop_now
    url = check_in_url(session)
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    client.force_login(learner)  # (keeps the session's data, as a login does)
    # By the time they are signed in the code on the screen has moved on.
    old = codes.rotating_token(session.pk, codes.current_window() - 3)
    client.post(check_in_url(session, old))
    assert Attendance.objects.filter(learner=learner).count() == 1


def test_grant_from_one_session_does_not_open_another(
    client, make_event, register, workshop_now
):
    _event, session, learner = workshop_now
    other = make_event().sessions.get()
    register(other.event, learner)
    client.force_login(learner)
    client.get(check_in_url(session))
    old = codes.rotating_token(other.pk, codes.current_window() - 3)
    response = client.post(check_in_url(other, old))
    assert response.status_code == 400
    assert not Attendance.objects.filter(session=other).exists()


def test_session_not_registered_for_is_refused(client, make_event, make_learner):
    session = make_event().sessions.get()
    stranger = make_learner()
    client.force_login(stranger)
    response = client.post(check_in_url(session))
    assert response.status_code == 400
    assert "not registered" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Registration.Status.WAITLISTED, "waiting list"),
        (Registration.Status.CANCELLED, "cancelled"),
    ],
)
def test_waitlisted_or_cancelled_registration_is_refused(
    client, make_event, make_learner, register, status, words
):
    event = make_event()
    learner = make_learner()
    register(event, learner, status=status)
    client.force_login(learner)
    response = client.post(check_in_url(event.sessions.get()))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("sessions", "words"),
    [(((45, 60),), "opens 30 minutes before"), (((-120, 60),), "has ended")],
)
def test_outside_the_sessions_time_is_refused(
    client, make_event, make_learner, register, sessions, words
):
    event = make_event(sessions)
    learner = make_learner()
    register(event, learner)
    client.force_login(learner)
    response = client.post(check_in_url(event.sessions.get()))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Attendance.objects.exists()


def test_check_in_opens_thirty_minutes_early(make_event, make_learner, register):
    event = make_event(((20, 60),))
    learner = make_learner()
    register(event, learner)
    result = services.check_in_by_code(
        event.sessions.get(), learner, codes.rotating_token(event.sessions.get().pk)
    )
    assert result.created


def test_refusal_is_in_the_learners_language(
    client, make_event, make_learner, register
):
    event = make_event(((-120, 60),))
    learner = make_learner(preferred_language="ur")
    register(event, learner)
    client.force_login(learner)
    url = check_in_url(event.sessions.get())
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/ur/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'lang="ur"' in html
    assert "یہ سیشن ختم ہو چکا ہے" in html
    assert "has ended" not in html


def test_check_out_records_time_once(make_event, make_learner, register):
    event = make_event(needs_checkout=True)
    learner = make_learner()
    register(event, learner)
    session = event.sessions.get()
    services.check_in_by_code(session, learner, codes.rotating_token(session.pk))
    first = services.check_out(session, learner)
    later = services.check_out(
        session, learner, first.checked_out_at + datetime.timedelta(minutes=5)
    )
    assert later.checked_out_at == first.checked_out_at


def test_check_out_needs_a_check_in_and_a_session_that_asks(
    make_event, make_learner, register
):
    event = make_event()
    learner = make_learner()
    register(event, learner)
    with pytest.raises(services.CheckInRefused):
        services.check_out(event.sessions.get(), learner)
    asks = make_event(needs_checkout=True)
    register(asks, learner)
    with pytest.raises(services.CheckInRefused):
        services.check_out(asks.sessions.get(), learner)


def test_session_code_checks_in_those_who_dial_in(
    client, make_event, make_learner, register
):
    event = make_event(online=True)
    learner = make_learner()
    register(event, learner)
    session = event.sessions.get()
    client.force_login(learner)
    url = reverse("attendance:session_code", kwargs={"session_id": session.pk})
    wrong = client.post(
        url,
        {"code": "000000" if codes.session_code(session.pk) != "000000" else "111111"},
    )
    assert wrong.status_code == 400
    assert not Attendance.objects.exists()
    client.post(url, {"code": codes.session_code(session.pk)})
    client.post(url, {"code": codes.session_code(session.pk)})
    assert Attendance.objects.get().method == Attendance.Method.SESSION_CODE


def test_join_link_records_join_and_leave_and_goes_to_the_meeting(
    client, make_event, make_learner, register
):
    event = make_event(online=True)
    learner = make_learner()
    register(event, learner)
    session = event.sessions.get()
    url = reverse(
        "attendance:join", kwargs={"token": codes.join_token(session.pk, learner.pk)}
    )
    assert client.get(url).status_code == 200
    assert not Attendance.objects.exists()
    response = client.post(url, {"action": "join"})
    assert response["Location"] == "https://meet.example.org/abc"
    client.post(url, {"action": "leave"})
    attendance = Attendance.objects.get()
    assert attendance.method == Attendance.Method.ONLINE_LINK
    assert attendance.checked_out_at is not None
    client.post(url, {"action": "join"})
    assert Attendance.objects.count() == 1


def test_tampered_join_link_is_refused(client, make_event, make_learner, register):
    event = make_event(online=True)
    learner = make_learner()
    register(event, learner)
    token = codes.join_token(event.sessions.get().pk, learner.pk)
    url = reverse("attendance:join", kwargs={"token": token[:-3] + "abc"})
    assert client.post(url, {"action": "join"}).status_code == 404
    assert not Attendance.objects.exists()


def test_check_in_is_rate_limited(client, workshop_now, set_limit):
    _event, session, learner = workshop_now
    set_limit("check_in", learner=(2, 60), address=(100, 60))
    client.force_login(learner)
    url = check_in_url(session, "abcde-aaaaaaaaaa")
    client.post(url)
    client.post(url)
    response = client.post(check_in_url(session))
    assert response.status_code == 429
    assert not Attendance.objects.exists()


def test_draft_event_sessions_are_not_found(client, make_event, make_learner, register):
    from events.models import Event

    event = make_event(status=Event.Status.DRAFT)
    learner = make_learner()
    register(event, learner)
    client.force_login(learner)
    assert client.post(check_in_url(event.sessions.get())).status_code == 404
    assert not Attendance.objects.exists()


def test_cancelled_event_refuses_check_in(make_event, make_learner, register):
    from events.models import Event

    event = make_event(status=Event.Status.CANCELLED)
    learner = make_learner()
    register(event, learner)
    session = event.sessions.get()
    with pytest.raises(services.CheckInRefused):
        services.record_check_in(
            session, learner, method="rotating_qr", at=timezone.now()
        )
