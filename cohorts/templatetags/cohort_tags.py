"""A learner's cohort deadlines on the dashboard and course pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import get_language

from languages.text import format_date, format_number

from .. import reads

register = template.Library()


@register.simple_tag
def cohort_deadlines(user) -> list[reads.CohortDeadline]:
    return reads.deadlines_for(user)


@register.simple_tag
def cohort_deadline(user, course) -> reads.CohortDeadline | None:
    return reads.deadline_for_course(user, course)


@register.filter
def local_date(value: datetime.date | None) -> str:
    """A date with month names and digits of the active language (Babel)."""
    if not value:
        return ""
    return format_date(value, get_language() or "en")


@register.filter
def local_number(value: int) -> str:
    """A whole number with the digits of the active language (Babel)."""
    return format_number(value, get_language() or "en")
