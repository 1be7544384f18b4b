"""Whose enrolments a person may count on the dashboard: the one gate.

Every figure, chart, table and export of the dashboard starts from
``visible_enrolments``; nothing else in this app decides who sees what.
It routes through the coordinators' scopes (``cohorts.scoping``): superusers
and programme managers see every enrolment; a programme, province, district or
cohort coordinator sees their own learners' and nobody else's, on every
figure, chart and export alike; everyone else sees none.
"""

from __future__ import annotations

from django.db.models import QuerySet

from cohorts import scoping
from courses.models import Enrolment
from lms.accounts.models import User


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def visible_enrolments(user: User) -> QuerySet[Enrolment]:
    """The enrolments ``user`` may count (an empty queryset for nobody). For
    those who see everything it is unfiltered, so the dashboard needs no
    subquery for them."""
    if not _active(user):
        return Enrolment.objects.none()
    return scoping.enrolments_in_scope(user, Enrolment.objects.all())


def can_see_dashboard(user: User) -> bool:
    """A person with any scope at all gets the dashboard (their part of it)."""
    return _active(user) and (
        scoping.sees_everything(user) or bool(scoping.areas(user))
    )
