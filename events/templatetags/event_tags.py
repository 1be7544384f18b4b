"""Session times for the reader: Pakistan time, months and digits of the
active language (Babel, through languages.text)."""

from __future__ import annotations

import datetime

from babel.dates import format_time
from django import template
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from languages.text import format_date, format_number, to_urdu_digits

register = template.Library()


def _clock(moment: datetime.datetime, language: str) -> str:
    text = format_time(moment, "HH:mm", locale="en")
    return to_urdu_digits(text) if language.startswith("ur") else text


@register.filter
def session_when(session) -> str:  # type: ignore[no-untyped-def]
    """ "5 December 2026, 10:00–13:00" in Pakistan time (the site's zone)."""
    language = get_language() or "en"
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    start = _clock(starts, language)
    if ends.date() != starts.date():
        start = _("%(date)s, %(time)s") % {
            "date": format_date(starts.date(), language),
            "time": start,
        }
        return _("%(start)s to %(end)s") % {
            "start": start,
            "end": _("%(date)s, %(time)s")
            % {
                "date": format_date(ends.date(), language),
                "time": _clock(ends, language),
            },
        }
    return _("%(date)s, %(start)s to %(end)s") % {
        "date": format_date(starts.date(), language),
        "start": start,
        "end": _clock(ends, language),
    }


@register.filter
def moment_when(moment: datetime.datetime | None) -> str:
    """ "5 December 2026, 10:00" in Pakistan time."""
    if moment is None:
        return ""
    language = get_language() or "en"
    local = timezone.localtime(moment)
    return _("%(date)s, %(time)s") % {
        "date": format_date(local.date(), language),
        "time": _clock(local, language),
    }


@register.filter
def hours(value) -> str:  # type: ignore[no-untyped-def]
    """CPD hours without a needless ".0", in the reader's digits."""
    if value is None:
        return ""
    places = 0 if value == value.to_integral_value() else 1
    return format_number(value, get_language() or "en", decimal_places=places)
