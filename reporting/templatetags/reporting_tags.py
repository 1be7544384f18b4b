"""Numbers and dates on the dashboard, in the reader's language (Babel)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from languages.text import format_date, format_number

register = template.Library()


def number_text(value: int | float | Decimal | None) -> str:
    if value is None:
        return "—"
    language = get_language() or "en"
    if isinstance(value, float):
        return format_number(value, language, decimal_places=1)
    if isinstance(value, Decimal):
        places = 0 if value == value.to_integral_value() else 1
        return format_number(value, language, decimal_places=places)
    return format_number(value, language)


def date_text(value: datetime.date) -> str:
    return format_date(value, get_language() or "en")


@register.filter
def moment(value: datetime.datetime) -> str:
    """A date and time of day in the site's time zone, for the reader."""
    local = timezone.localtime(value)
    language = get_language() or "en"
    hours = format_number(local.hour, language).rjust(2, format_number(0, language))
    minutes = format_number(local.minute, language).rjust(2, format_number(0, language))
    return f"{date_text(local.date())}, {hours}:{minutes}"


@register.filter
def num(value):
    return number_text(value)


@register.filter
def cell(value):
    """A table cell: numbers and dates formatted, text as it is."""
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, datetime.date):
        return date_text(value)
    return number_text(value)
