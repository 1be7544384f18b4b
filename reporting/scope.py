"""Whose enrolments a person may count on the dashboard: the one gate.

Every figure, chart, table and export of the dashboard starts from a
``Visible``, worked out once per request (``for_request``) and handed to the
filter form and the figures; nothing else in this app decides who sees what.
It routes through the coordinators' scopes (``cohorts.scoping``): superusers
and programme managers see every enrolment; a programme, province, district or
cohort coordinator sees their own learners' and nobody else's, on every
figure, chart and export alike; everyone else sees none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

from cohorts import scoping
from cohorts.models import Cohort
from courses.models import Enrolment
from lms.accounts.models import User


@dataclass(frozen=True)
class Visible:
    """What one person may count: their enrolments and cohorts (lazy
    querysets, unfiltered for those who see everything, so the dashboard
    needs no subquery for them)."""

    enrolments: QuerySet[Enrolment]
    cohorts: QuerySet[Cohort]
    everything: bool = False

    @property
    def nothing(self) -> bool:
        return self.enrolments.query.is_empty()

    @property
    def may_see_dashboard(self) -> bool:
        """A person with any scope at all gets the dashboard (their part)."""
        return not self.nothing


def visible_to(user: User) -> Visible:
    """``user``'s scope, from the scoping module's reads (done here once)."""
    if not (user.is_authenticated and user.is_active):
        return Visible(Enrolment.objects.none(), Cohort.objects.none())
    if scoping.sees_everything(user):
        return Visible(Enrolment.objects.all(), Cohort.objects.all(), everything=True)
    found = scoping.areas(user)
    if not found:
        return Visible(Enrolment.objects.none(), Cohort.objects.none())
    return Visible(
        scoping.enrolments_in_scope(user, known=found),
        scoping.cohorts_in_scope(user, known=found),
    )


def for_request(request: HttpRequest) -> Visible:
    """The request's person's scope, worked out on first use and kept on the
    request (the admin menu, the view, the form and the figures share it)."""
    visible = getattr(request, "_dashboard_visible", None)
    if visible is None:
        visible = visible_to(request.user)  # type: ignore[arg-type]
        request._dashboard_visible = visible  # type: ignore[attr-defined]
    return visible
