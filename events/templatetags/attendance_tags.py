"""The learner's personal check-in code and join links, for *My learning*."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from ..attendance import reads
from ..models import EventSession, Registration

register = template.Library()


@register.inclusion_tag("events/attendance/includes/my_attendance.html")
def my_event_attendance(user) -> dict[str, Any]:
    """Shown only to a learner registered for an event with sessions to come
    (two queries); nothing otherwise."""
    if not getattr(user, "is_authenticated", False):
        return {"show": False}
    online = list(
        EventSession.objects.filter(
            event__registrations__learner=user,
            event__registrations__status=Registration.Status.REGISTERED,
            ends_at__gte=timezone.now(),
            mode=EventSession.Mode.ONLINE,
        )
        .select_related("event")
        .order_by("starts_at")[:5]
    )
    if not online and not reads.has_coming_sessions(user):
        return {"show": False}
    return {
        "show": True,
        "code": reads.personal_code_for(user),
        "online": [(session, reads.join_url(session, user)) for session in online],
    }


@register.simple_tag
def attendance_join_url(session: EventSession, user: Any) -> str:
    """The learner's own join link of an online session (it records attendance)."""
    return reads.join_url(session, user)
