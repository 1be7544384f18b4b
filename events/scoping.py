"""Which events a coordinator may see and act on, built on ``cohorts.scoping``.

- a superuser or a programme manager: every event;
- a programme assignment: the programme's events (its pages in every language);
- narrowed to a province: the programme's events held for that province (the
  event's province, or its district's);
- narrowed to a district: the programme's events held for that district;
- a cohort coordinator alone: no events (events are planned per programme and
  place, not per cohort).

Walk-ins follow the same narrowing: a district coordinator registers only
learners whose profile is in their district.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from cohorts.scoping import Area, areas, sees_everything
from lms.accounts.models import User

from .models import Event

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def _event_filter(area: Area) -> Q | None:
    if area.cohort_id is not None:
        return None
    which = Q(programme_id__in=area.programme_ids)
    if area.district_id:
        return which & Q(district_id=area.district_id)
    if area.province_id:
        return which & (
            Q(province_id=area.province_id) | Q(district__province_id=area.province_id)
        )
    return which


def events_in_scope(
    user: User | AnonymousUser, queryset: QuerySet[Event] | None = None
) -> QuerySet[Event]:
    """The events ``user`` may manage, narrowed from ``queryset`` if given."""
    queryset = Event.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    which = Q(pk__in=[])
    for area in areas(user):
        found = _event_filter(area)
        if found is not None:
            which |= found
    return queryset.filter(pk__in=Event.objects.filter(which).values("pk"))


def can_manage_event(user: User | AnonymousUser, event: Event) -> bool:
    return events_in_scope(user).filter(pk=event.pk).exists()


def may_register_walk_in(
    user: User | AnonymousUser, event: Event, learner: User
) -> bool:
    """Whether staff ``user`` may register ``learner`` for ``event``: the event
    is theirs, and a place-bound coordinator registers only their place's
    learners."""
    if sees_everything(user):
        return True
    profile = getattr(learner, "profile", None)
    district_id = profile.district_id if profile is not None else None
    province_id = profile.province_id if profile is not None else None
    for area in areas(user):
        found = _event_filter(area)
        if found is None or not Event.objects.filter(found, pk=event.pk).exists():
            continue
        if area.district_id and district_id != area.district_id:
            continue
        if area.province_id and province_id != area.province_id:
            continue
        return True
    return False
