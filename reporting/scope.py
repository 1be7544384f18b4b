"""Whose enrolments a person may count on the dashboard: the one gate.

Every figure, chart, table and export of the dashboard starts from
``visible_enrolments``; nothing else in this app decides who sees what.
Today superusers and programme managers see every enrolment and everyone else
none. When cohorts arrive, this function routes through their coordinator
scopes (``cohorts.scoping.enrolments_in_scope(user, queryset)``), so a
province, district or cohort coordinator sees their own learners and nobody
else's, on every report and export alike.
"""

from __future__ import annotations

from django.db.models import QuerySet

from courses.models import Enrolment
from lms.accounts.models import User
from lms.accounts.services import PROGRAMME_MANAGERS_GROUP


def sees_whole_programme(user: User) -> bool:
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=PROGRAMME_MANAGERS_GROUP).exists()


def visible_enrolments(user: User) -> QuerySet[Enrolment]:
    """The enrolments ``user`` may count (an empty queryset for nobody)."""
    enrolments = Enrolment.objects.all()
    if sees_whole_programme(user):
        return enrolments
    return enrolments.none()


def can_see_dashboard(user: User) -> bool:
    """A person with any scope at all gets the dashboard (their part of it)."""
    return sees_whole_programme(user)
