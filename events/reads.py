"""What the public event pages read: a fixed number of queries per page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from courses.catalogue import programme_choices
from courses.models import ProgrammePage
from lms.accounts.models import District, User

from .messages import waiting_position
from .models import Event, EventSession, Registration

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

EVENTS_PER_PAGE = 12
HOME_EVENTS = 3


def listed_events(now: datetime.datetime | None = None) -> QuerySet[Event]:
    """Published events not yet over, soonest first, with their times and the
    number of places taken."""
    now = now or timezone.now()
    return (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .annotate(
            first_start=Min("sessions__starts_at"),
            last_end=Max("sessions__ends_at"),
            taken=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.REGISTERED),
                distinct=True,
            ),
        )
        .filter(last_end__gt=now)
        .select_related("programme", "district")
        .order_by("first_start", "pk")
    )


@dataclass(frozen=True)
class EventFilters:
    programme: int | None = None
    district: int | None = None


def events_page(filters: EventFilters, number: int | str | None) -> Page:
    events = listed_events()
    if filters.programme:
        # The programme in any of its languages.
        events = events.filter(
            programme__translation_key__in=ProgrammePage.objects.filter(
                pk=filters.programme
            ).values("translation_key")
        )
    if filters.district:
        events = events.filter(
            Q(district_id=filters.district) | Q(sessions__district_id=filters.district)
        ).distinct()
    page = Paginator(events, EVENTS_PER_PAGE).get_page(number)
    page.object_list = list(page.object_list)
    return page


def with_programme_titles(events: list[Event], language: str) -> list[Event]:
    """Set ``programme_title`` on each event: its programme's title in
    ``language`` when translated (one query for them all)."""
    titles = {
        programme.translation_key: programme.title
        for programme in programme_choices(language)
    }
    for event in events:
        event.programme_title = titles.get(
            event.programme.translation_key, event.programme.title
        )
    return events


def upcoming_events(limit: int = HOME_EVENTS) -> list[Event]:
    return with_programme_titles(list(listed_events()[:limit]), get_language() or "en")


def district_choices() -> QuerySet[District]:
    """Districts where listed events are held (one query)."""
    listed = listed_events().values("pk")
    return (
        District.objects.filter(
            Q(pk__in=Event.objects.filter(pk__in=listed).values("district_id"))
            | Q(
                pk__in=EventSession.objects.filter(event_id__in=listed).values(
                    "district_id"
                )
            )
        )
        .distinct()
        .order_by("name_en")
    )


@dataclass(frozen=True)
class EventView:
    event: Event
    sessions: list[EventSession]
    places_left: int
    registration: Registration | None
    position: int | None
    open_for_registration: bool
    over: bool


def event_view(event: Event, user: User | AnonymousUser) -> EventView:
    sessions = list(event.sessions.select_related("district"))
    taken = Registration.objects.filter(
        event=event, status=Registration.Status.REGISTERED
    ).count()
    registration = None
    if isinstance(user, User) and user.is_authenticated:
        registration = Registration.objects.filter(event=event, learner=user).first()
    now = timezone.now()
    over = not sessions or max(s.ends_at for s in sessions) <= now
    return EventView(
        event=event,
        sessions=sessions,
        places_left=max(event.capacity - taken, 0),
        registration=registration,
        position=waiting_position(registration) if registration else None,
        open_for_registration=event.status == Event.Status.PUBLISHED and not over,
        over=over,
    )
