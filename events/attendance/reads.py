"""What the attendance pages show: read-only, a few queries each."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation

from ..models import Attendance, Event, EventSession, Registration
from . import codes, scope, services

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from lms.accounts.models import User

STAFF_LIST_DAYS = 7


def learner_name(learner: User) -> str:
    profile = getattr(learner, "profile", None)
    if profile is not None:
        name = profile.certificate_name_en or profile.certificate_name_ur
        if name:
            return name
    return learner.get_full_name() or learner.email


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a ``data:`` address for an ``<img>`` (no inline markup)."""
    return segno.make_qr(text, error="m", boost_error=False).svg_data_uri(
        scale=8, border=4
    )


def attendee_state(session: EventSession, learner: User) -> dict[str, Any]:
    """The attendee's standing at ``session``: checked in (when), or why not yet."""
    attendance = Attendance.objects.filter(session=session, learner=learner).first()
    problem = None
    if attendance is None:
        try:
            services.check_session_open(session, timezone.now())
            services.check_registered(
                Registration.objects.filter(
                    event_id=session.event_id, learner=learner
                ).first()
            )
        except services.CheckInRefused as error:
            problem = error.message
    may_leave = bool(
        attendance
        and attendance.checked_out_at is None
        and (session.needs_checkout or session.mode == EventSession.Mode.ONLINE)
    )
    return {"attendance": attendance, "problem": problem, "may_leave": may_leave}


@dataclass(frozen=True)
class Name:
    learner_id: int
    name: str
    checked_in: bool
    client_id: str


def registered_names(session: EventSession) -> list[Name]:
    """The tick-list: the event's registered learners, checked in or not (1 query)."""
    rows = (
        Registration.objects.filter(
            event_id=session.event_id, status=Registration.Status.REGISTERED
        )
        .select_related("learner__profile")
        .annotate(
            here=Exists(
                Attendance.objects.filter(
                    session=session, learner_id=OuterRef("learner_id")
                )
            )
        )
    )
    names = [
        Name(row.learner_id, learner_name(row.learner), row.here, new_client_id())
        for row in rows
    ]
    return sorted(names, key=lambda item: item.name.casefold())


def new_client_id() -> str:
    return str(uuid.uuid4())


def screen_state(request: HttpRequest, session: EventSession) -> dict[str, Any]:
    token = codes.rotating_token(session.pk)
    # No language prefix: each attendee's phone is sent on to their own language.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(
            "attendance:check_in", kwargs={"session_id": session.pk, "token": token}
        )
    url = request.build_absolute_uri(path)
    state: dict[str, Any] = {
        "token": token,
        "url": url,
        "qr": qr_data_uri(url),
        "count": services.checked_in_count(session),
        "seconds_left": codes.seconds_left(),
        "rotation": codes.ROTATION_SECONDS,
    }
    if session.mode == EventSession.Mode.ONLINE:
        state["session_code"] = codes.session_code(session.pk)
    return state


def sessions_for_staff(
    user: User | AnonymousUser, now: datetime.datetime | None = None
) -> list[EventSession] | None:
    """Sessions of the week before and after now that ``user`` may run; None for
    a user with no events in scope at all (not a trainer or coordinator)."""
    events = scope.events_in_scope(user)
    if not events.exists():
        return None
    now = now or timezone.now()
    window = datetime.timedelta(days=STAFF_LIST_DAYS)
    return list(
        EventSession.objects.filter(
            event__in=events,
            starts_at__lte=now + window,
            ends_at__gte=now - window,
        )
        .exclude(event__status=Event.Status.DRAFT)
        .select_related("event")
        .order_by("starts_at")
    )


def personal_code_for(user: User) -> dict[str, str]:
    return {
        "display": codes.display_personal_code(user.pk),
        "qr": qr_data_uri(codes.personal_qr_text(user.pk)),
    }


def has_coming_sessions(user: User) -> bool:
    """Whether the learner is registered for an event with a session to come."""
    return Registration.objects.filter(
        learner=user,
        status=Registration.Status.REGISTERED,
        event__sessions__ends_at__gte=timezone.now(),
    ).exists()


def join_url(session: EventSession, learner: User) -> str:
    return reverse(
        "attendance:join", kwargs={"token": codes.join_token(session.pk, learner.pk)}
    )
