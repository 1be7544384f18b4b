"""Where the dashboard's numbers come from, decided in one place.

Someone who sees everything and chose at most a programme or a course gets
the figures the refresh added up per course (``rollups``); any finer filter,
or a narrower scope, counts the summary rows themselves (``figures``). Both
give the same numbers with the same number of queries (tests compare them).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import figures, rollups
from .figures import Dashboard, Filters, Headline
from .scope import Visible


def _from_rollups(visible: Visible, filters: Filters) -> bool:
    return visible.everything and filters.programme_or_course_only


def build_dashboard(
    visible: Visible, filters: Filters, now: datetime.datetime | None = None
) -> Dashboard:
    """Every number of the dashboard: eight queries, however many rows."""
    now = now or timezone.now()
    if _from_rollups(visible, filters):
        return rollups.build_dashboard(filters, now)
    return figures.build_dashboard_from_summaries(visible, filters, now)


def build_headline(
    visible: Visible, filters: Filters, now: datetime.datetime | None = None
) -> Headline:
    """Only the headline figures (the admin home page's panel)."""
    now = now or timezone.now()
    if _from_rollups(visible, filters):
        return rollups.build_headline(filters, now)
    return figures.build_headline_from_summaries(visible, filters, now)
