"""Which events and sessions a trainer or coordinator may run attendance for.

The rule is cohorts.scoping's: a superuser or programme manager sees every
event; a coordinator assigned a programme sees its events; one narrowed to a
province or a district sees the events held for that place (the event's own
province or district, or a session's venue district there). A coordinator of
a single cohort only is given no events: an event is open to the whole
programme's learners, not to one cohort's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from cohorts import scoping

from ..models import Event, EventSession

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lms.accounts.models import User


def events_in_scope(user: User | AnonymousUser) -> QuerySet[Event]:
    if scoping.sees_everything(user):
        return Event.objects.all()
    which = Q(pk__in=[])
    for area in scoping.areas(user):
        if area.cohort_id is not None:
            continue
        here = Q(programme_id__in=area.programme_ids)
        if area.district_id:
            here &= Q(district_id=area.district_id) | Q(
                sessions__district_id=area.district_id
            )
        elif area.province_id:
            here &= (
                Q(province_id=area.province_id)
                | Q(district__province_id=area.province_id)
                | Q(sessions__district__province_id=area.province_id)
            )
        which |= here
    return Event.objects.filter(pk__in=Event.objects.filter(which).values("pk"))


def sessions_in_scope(user: User | AnonymousUser) -> QuerySet[EventSession]:
    return EventSession.objects.filter(event__in=events_in_scope(user))


def session_for_staff(user: User | AnonymousUser, session_id: int) -> EventSession:
    """The session, if ``user`` may run its attendance; ``DoesNotExist`` if not
    (the same answer as for a session that does not exist)."""
    return sessions_in_scope(user).select_related("event").get(pk=session_id)


def event_for_staff(user: User | AnonymousUser, event_id: int) -> Event:
    return events_in_scope(user).get(pk=event_id)
