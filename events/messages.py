"""E-mails about registrations, in the learner's language, through the task
queue and the cohorts' channel (e-mail by default), each with the learner's
sessions as an ``.ics`` file where they hold a place.

- ``registered``: a place is theirs (also staff walk-ins);
- ``waitlisted``: the event is full, they are on the waiting list;
- ``promoted``: a place came free and is now theirs;
- ``reminder``: a session of theirs starts tomorrow (``queue_session_reminders``,
  run daily by ``send_event_reminders`` or its task; one per registration and
  session, a unique constraint, so a second run sends nothing).

Each task checks the registration still stands as it did when queued: a
learner who cancelled in between gets nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from cohorts.channels import Message, current_channel
from lms.accounts.models import User
from lms.background.retry import DATABASE_FAULTS, NETWORK_FAULTS, retried
from lms.background.services import enqueue_with_change

from .calendar import calendar_for, personal_join_url
from .models import Event, EventSession, Registration, SessionReminder

KINDS_WITH_PLACE = {"registered", "promoted", "reminder"}
CALENDAR_TYPE = "text/calendar"


def language_of(user: User) -> str:
    return getattr(getattr(user, "profile", None), "preferred_language", "") or "en"


def event_url(event: Event, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("events:detail", args=[event.slug])


def calendar_file(registration: Registration, language: str) -> str:
    sessions = list(registration.event.sessions.all())
    with translation.override(language):
        return calendar_for(
            registration, sessions, url=event_url(registration.event, language)
        )


def render_message(
    kind: str, registration: Registration, session: EventSession | None = None
) -> Message:
    learner = registration.learner
    language = language_of(learner)
    sessions = list(registration.event.sessions.all())
    if kind in KINDS_WITH_PLACE:
        # Online sessions: the learner's own join link, which records their
        # attendance (people on the waiting list get none).
        for each in [*sessions, *([session] if session else [])]:
            if each.mode == EventSession.Mode.ONLINE:
                each.join_link = personal_join_url(registration, each)
    with translation.override(language):
        context = {
            "user": learner,
            "event": registration.event,
            "sessions": sessions,
            "session": session,
            "position": waiting_position(registration),
            "link": event_url(registration.event, language),
        }
        subject = render_to_string(f"events/email/{kind}_subject.txt", context)
        body = render_to_string(f"events/email/{kind}_body.txt", context)
    attachments: tuple[tuple[str, str, str], ...] = ()
    if kind in KINDS_WITH_PLACE:
        attachments = (
            (
                f"{registration.event.slug}.ics",
                calendar_file(registration, language),
                CALENDAR_TYPE,
            ),
        )
    return Message(" ".join(subject.split()), body, attachments=attachments)


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in the queue; None when not waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = (
        Registration.objects.filter(
            event_id=registration.event_id, status=Registration.Status.WAITLISTED
        )
        .filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


_EXPECTED_STATUS = {
    "registered": Registration.Status.REGISTERED,
    "promoted": Registration.Status.REGISTERED,
    "reminder": Registration.Status.REGISTERED,
    "waitlisted": Registration.Status.WAITLISTED,
}


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def send_registration_email(registration_id: int, kind: str) -> str:
    registration = Registration.objects.select_related("learner__profile", "event").get(
        pk=registration_id
    )
    if registration.status != _EXPECTED_STATUS[kind]:
        return ""  # changed since the mail was queued
    current_channel().send(registration.learner, render_message(kind, registration))
    return registration.learner.email


def queue_registration_email(registration: Registration, kind: str) -> None:
    """Queue ``kind``'s e-mail with the current change (see enqueue_with_change)."""
    enqueue_with_change(send_registration_email, registration.pk, kind)


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def deliver_session_reminder(reminder_id: int) -> str:
    reminder = SessionReminder.objects.select_related(
        "registration__learner__profile", "registration__event", "session"
    ).get(pk=reminder_id)
    registration = reminder.registration
    if registration.status != Registration.Status.REGISTERED:
        return ""
    message = render_message("reminder", registration, reminder.session)
    current_channel().send(registration.learner, message)
    return registration.learner.email


def queue_session_reminders(now: datetime.datetime | None = None) -> int:
    """Queue a reminder for every place held at a published event's session
    that starts tomorrow (Pakistan time); returns how many were queued."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time()))
    end = start + datetime.timedelta(days=1)
    sessions = EventSession.objects.filter(
        starts_at__gte=start,
        starts_at__lt=end,
        event__status=Event.Status.PUBLISHED,
    )
    places = [
        (registration_id, session_id)
        for session_id, event_id in sessions.values_list("pk", "event_id")
        for registration_id in Registration.objects.filter(
            event_id=event_id, status=Registration.Status.REGISTERED
        ).values_list("pk", flat=True)
    ]
    queued = 0
    for registration_id, session_id in places:
        try:
            with transaction.atomic():
                reminder = SessionReminder.objects.create(
                    registration_id=registration_id, session_id=session_id
                )
                enqueue_with_change(deliver_session_reminder, reminder.pk)
        except IntegrityError:  # queued by an earlier run
            continue
        queued += 1
    return queued


@retried(*DATABASE_FAULTS)
@task()
def send_session_reminders() -> int:
    """The daily reminder run, for a scheduler that queues tasks."""
    return queue_session_reminders()
