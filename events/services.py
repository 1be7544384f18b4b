"""Registering for events and cancelling: every write about a place.

``register`` and ``cancel`` lock the event's row (``select_for_update``) for
their whole transaction, so on PostgreSQL concurrent requests for the same
event take their turn: the count of places taken is read and written by one
at a time, and 60 learners asking at once for 50 places get exactly 50 places
and 10 places in the queue. SQLite serialises writers anyway.

Errors are raised in the active language (the learner's page, or the staff
member's admin) and change nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import User

from .messages import queue_registration_email
from .models import Event, Registration
from .scoping import can_manage_event, may_register_walk_in


class RegistrationError(Exception):
    """Why a registration or cancellation was refused, for the person asking."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class EventTimes:
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None


def event_times(event: Event) -> EventTimes:
    times = event.sessions.aggregate(starts_at=Min("starts_at"), ends_at=Max("ends_at"))
    return EventTimes(times["starts_at"], times["ends_at"])


def check_open(event: Event) -> None:
    """Raise unless learners may register for ``event`` now."""
    if event.status == Event.Status.CANCELLED:
        raise RegistrationError(_("This event has been cancelled."))
    if event.status != Event.Status.PUBLISHED:
        raise RegistrationError(_("This event is not open for registration."))
    ends_at = event_times(event).ends_at
    if ends_at is None or ends_at <= timezone.now():
        raise RegistrationError(_("This event is over; registration has closed."))


def places_taken(event: Event) -> int:
    return Registration.objects.filter(
        event=event, status=Registration.Status.REGISTERED
    ).count()


@transaction.atomic
def register(event: Event, learner: User, by: User | None = None) -> Registration:
    """Give ``learner`` a place at ``event``, or a place on its waiting list
    when it is full. ``by``: the staff member registering a walk-in (who must
    have the event and the learner in their scope). Raises
    ``RegistrationError`` when the event is closed or the learner already
    holds a place or a place in the queue."""
    if (
        by is not None
        and by.pk != learner.pk
        and not may_register_walk_in(by, event, learner)
    ):
        raise RegistrationError(_("You may not register this learner for this event."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    check_open(event)
    registration = (
        Registration.objects.select_for_update()
        .filter(event=event, learner=learner)
        .first()
    )
    if registration is not None and registration.is_active:
        if registration.status == Registration.Status.WAITLISTED:
            raise RegistrationError(_("You are already on the waiting list."))
        raise RegistrationError(_("You are already registered for this event."))
    now = timezone.now()
    if registration is None:
        registration = Registration(event=event, learner=learner)
    registration.registered_by = by if by is not None and by.pk != learner.pk else None
    registration.cancelled_at = None
    if places_taken(event) < event.capacity:
        registration.status = Registration.Status.REGISTERED
        registration.registered_at = now
        registration.waitlisted_at = None
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.registered_at = None
        registration.waitlisted_at = now
    registration.save()
    queue_registration_email(
        registration,
        "registered"
        if registration.status == Registration.Status.REGISTERED
        else "waitlisted",
    )
    return registration


def _promote_waiting(event: Event) -> list[Registration]:
    """Give free places to the first in the queue (event row already locked)."""
    free = event.capacity - places_taken(event)
    if free <= 0:
        return []
    waiting = list(
        Registration.objects.select_for_update()
        .filter(event=event, status=Registration.Status.WAITLISTED)
        .order_by("waitlisted_at", "pk")[:free]
    )
    now = timezone.now()
    for registration in waiting:
        registration.status = Registration.Status.REGISTERED
        registration.registered_at = now
        registration.save(update_fields=["status", "registered_at", "updated_at"])
        queue_registration_email(registration, "promoted")
    return waiting


@dataclass(frozen=True)
class Cancellation:
    registration: Registration
    promoted: list[Registration]


@transaction.atomic
def cancel(registration: Registration, by: User) -> Cancellation:
    """Cancel ``registration`` (by its learner, or by staff who manage the
    event) and give its place to the first on the waiting list, once."""
    if by.pk != registration.learner_id and not can_manage_event(
        by, registration.event
    ):
        raise RegistrationError(_("You may not cancel this registration."))
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise RegistrationError(_("This registration was already cancelled."))
    ends_at = event_times(event).ends_at
    if ends_at is not None and ends_at <= timezone.now():
        raise RegistrationError(_("This event is over; it can no longer be cancelled."))
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    promoted = _promote_waiting(event)
    return Cancellation(registration, promoted)


@transaction.atomic
def fill_free_places(event: Event) -> list[Registration]:
    """After staff raise an event's capacity: move the queue up into the new
    places (each promoted learner is e-mailed)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.PUBLISHED:
        return []
    return _promote_waiting(event)
