"""Which sessions a trainer or coordinator may run attendance for: those of
the events ``events.scoping`` gives them (one rule for the whole app)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Event, EventSession
from ..scoping import events_in_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from lms.accounts.models import User

__all__ = ["event_for_staff", "events_in_scope", "session_for_staff"]


def session_for_staff(user: User | AnonymousUser, session_id: int) -> EventSession:
    """The session, if ``user`` may run its attendance; ``DoesNotExist`` if not
    (the same answer as for a session that does not exist)."""
    return (
        EventSession.objects.filter(event__in=events_in_scope(user))
        .select_related("event")
        .get(pk=session_id)
    )


def event_for_staff(user: User | AnonymousUser, event_id: int) -> Event:
    return events_in_scope(user).get(pk=event_id)
