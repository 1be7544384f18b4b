"""Registration, the waiting list and cancellation, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from events import services
from events.messages import queue_session_reminders, waiting_position
from events.models import Event, EventSession, Registration, SessionReminder
from lms.accounts.models import District

pytestmark = pytest.mark.django_db


def test_places_then_waiting_list_in_order(make_event, make_learner, outbox, sent):
    event = make_event(capacity=2)
    learners = [make_learner() for _ in range(4)]
    with sent():
        registrations = [services.register(event, learner) for learner in learners]
    assert [r.status for r in registrations] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
    ]
    assert [waiting_position(r) for r in registrations] == [None, None, 1, 2]
    subjects = [message.subject for _to, message in outbox]
    assert subjects[0].startswith("Your place at")
    assert subjects[2].startswith("You are on the waiting list")
    # A place's mail carries the calendar; the queue's does not.
    assert outbox[0][1].attachments[0][0] == f"{event.slug}.ics"
    assert "BEGIN:VCALENDAR" in outbox[0][1].attachments[0][1]
    assert outbox[2][1].attachments == ()


def test_cancelling_moves_the_first_waiting_up_once(
    make_event, make_learner, outbox, sent
):
    event = make_event(capacity=1)
    first, second, third = (make_learner() for _ in range(3))
    place = services.register(event, first)
    services.register(event, second)
    services.register(event, third)
    with sent():
        result = services.cancel(place, by=first)
    assert [r.learner_id for r in result.promoted] == [second.pk]
    statuses = dict(
        Registration.objects.filter(event=event).values_list("learner_id", "status")
    )
    assert statuses == {
        first.pk: "cancelled",
        second.pk: "registered",
        third.pk: "waitlisted",
    }
    assert [to for to, _message in outbox] == [second.email]
    assert outbox[0][1].subject.startswith("A place at")
    # Cancelling again is refused and moves nobody else up.
    with pytest.raises(services.RegistrationError, match="already cancelled"):
        services.cancel(place, by=first)
    assert Registration.objects.get(learner=third, event=event).status == "waitlisted"


def test_cancelling_a_place_in_the_queue_promotes_nobody(make_event, make_learner):
    event = make_event(capacity=1)
    first, second, third = (make_learner() for _ in range(3))
    services.register(event, first)
    waiting = services.register(event, second)
    services.register(event, third)
    assert services.cancel(waiting, by=second).promoted == []
    assert Registration.objects.get(learner=third).status == "waitlisted"
    assert waiting_position(Registration.objects.get(learner=third)) == 1


def test_registering_twice_is_refused(make_event, make_learner):
    event = make_event()
    learner = make_learner()
    services.register(event, learner)
    with pytest.raises(services.RegistrationError, match="already registered"):
        services.register(event, learner)
    assert Registration.objects.filter(event=event).count() == 1


def test_registering_again_after_cancelling_reuses_the_row(make_event, make_learner):
    event = make_event(capacity=1)
    learner, other = make_learner(), make_learner()
    first = services.register(event, learner)
    services.cancel(first, by=learner)
    services.register(event, other)
    again = services.register(event, learner)
    assert again.pk == first.pk
    assert again.status == "waitlisted"
    assert again.cancelled_at is None


def test_no_registration_after_the_event_or_when_unpublished(make_event, make_learner):
    learner = make_learner()
    over = make_event(days=-3)
    draft = make_event(status=Event.Status.DRAFT)
    cancelled = make_event(status=Event.Status.CANCELLED)
    with pytest.raises(services.RegistrationError, match="over"):
        services.register(over, learner)
    with pytest.raises(services.RegistrationError, match="not open"):
        services.register(draft, learner)
    with pytest.raises(services.RegistrationError, match="cancelled"):
        services.register(cancelled, learner)
    assert not Registration.objects.exists()


def test_the_refusal_is_in_the_learners_language(make_event, make_learner):
    event = make_event(days=-3)
    with (
        translation.override("ur"),
        pytest.raises(services.RegistrationError) as refused,
    ):
        services.register(event, make_learner())
    assert refused.value.message != "This event is over; registration has closed."
    assert any("\u0600" <= c <= "\u06ff" for c in refused.value.message)


def test_an_event_whose_first_session_passed_is_open_until_its_last_ends(
    make_event, make_learner
):
    event = make_event(days=-1, sessions=3)  # yesterday, today, tomorrow
    assert services.register(event, make_learner()).status == "registered"


def test_cancelling_someone_elses_registration_is_refused(make_event, make_learner):
    event = make_event()
    owner, stranger = make_learner(), make_learner()
    registration = services.register(event, owner)
    with pytest.raises(services.RegistrationError, match="may not cancel"):
        services.cancel(registration, by=stranger)
    registration.refresh_from_db()
    assert registration.status == "registered"


def test_walk_ins_only_within_the_coordinators_district(
    make_event, make_learner, make_coordinator
):
    lahore_event = make_event()
    karachi = District.objects.get(code="SD-KCS")
    karachi_event = make_event(district_code="SD-KCS")
    coordinator = make_coordinator(
        karachi_event.programme, district=karachi, province=None
    )
    karachi_teacher = make_learner(province=karachi.province, district=karachi)
    lahore_teacher = make_learner()
    walk_in = services.register(karachi_event, karachi_teacher, by=coordinator)
    assert walk_in.registered_by == coordinator
    with pytest.raises(services.RegistrationError, match="may not register"):
        services.register(lahore_event, karachi_teacher, by=coordinator)
    with pytest.raises(services.RegistrationError, match="may not register"):
        services.register(karachi_event, lahore_teacher, by=coordinator)
    with pytest.raises(services.RegistrationError, match="may not cancel"):
        services.cancel(services.register(lahore_event, lahore_teacher), by=coordinator)
    assert Registration.objects.filter(event=lahore_event).count() == 1


def test_raising_capacity_fills_places_from_the_queue(make_event, make_learner):
    event = make_event(capacity=1)
    learners = [make_learner() for _ in range(3)]
    for learner in learners:
        services.register(event, learner)
    Event.objects.filter(pk=event.pk).update(capacity=2)
    promoted = services.fill_free_places(event)
    assert [r.learner_id for r in promoted] == [learners[1].pk]


def test_reminders_for_sessions_tomorrow_are_queued_once(
    make_event, make_learner, outbox, sent
):
    event = make_event(days=1.5, sessions=1)
    other = make_event(days=5, sessions=1)
    learner = make_learner()
    services.register(event, learner)
    services.register(other, learner)
    session = EventSession.objects.get(event=event)
    now = session.starts_at - datetime.timedelta(days=1)
    with sent():
        assert queue_session_reminders(now) == 1
    assert queue_session_reminders(now) == 0
    assert SessionReminder.objects.count() == 1
    assert len(outbox) == 1
    assert outbox[0][1].subject.startswith("Tomorrow:")
    assert timezone.localtime(session.starts_at).strftime("%H:%M") in outbox[0][1].body


def test_the_email_carries_the_calendar_file(
    settings, make_event, make_learner, sent, mailoutbox
):
    settings.COHORT_MESSAGE_CHANNEL = "cohorts.channels.EmailChannel"
    event = make_event()
    learner = make_learner(preferred_language="ur")
    with sent():
        services.register(event, learner)
    (mail,) = mailoutbox
    assert mail.to == [learner.email]
    assert event.title_ur in mail.subject
    name, content, mimetype = mail.attachments[0]
    assert (name, mimetype) == (f"{event.slug}.ics", "text/calendar")
    assert content.count("BEGIN:VEVENT") == 2
    message = mail.message().as_string()
    assert "Content-Type: text/calendar" in message


def test_an_online_session_reaches_the_learner_by_their_own_join_link(
    make_event, make_learner, outbox, sent
):
    from events.attendance.codes import read_join_token

    event = make_event(sessions=1)
    session = event.sessions.get()
    session.mode = EventSession.Mode.ONLINE
    session.online_link = "https://meet.example.org/nttp-secret-room"
    session.save()
    learner, waiting = make_learner(), make_learner()
    Event.objects.filter(pk=event.pk).update(capacity=1)
    event.refresh_from_db()
    with sent():
        services.register(event, learner)
        services.register(event, waiting)
    (_to, placed), (_to2, queued) = outbox
    calendar = placed.attachments[0][1].replace("\r\n ", "")
    for text in (placed.body, calendar):
        assert "nttp-secret-room" not in text  # the meeting's bare link
        token = text.split("/events/join/")[1].split("/")[0]
        link = read_join_token(token)
        assert (link.session_id, link.user_id) == (session.pk, learner.pk)
    # Someone on the waiting list is given no way in.
    assert "/events/join/" not in queued.body
    assert "nttp-secret-room" not in queued.body
