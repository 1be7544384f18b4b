"""Calendar files (iCalendar, RFC 5545) for a learner's sessions.

Small enough to write by hand rather than take a dependency: a VCALENDAR with
one VEVENT per session, times in UTC, text escaped (backslash, semicolon,
comma, newline) and lines folded at 75 octets without splitting a UTF-8
character, each line ending in CRLF. A session's UID is stable per
registration and session, so a calendar that imports the file again (after a
reminder, say) updates the entry instead of adding a second one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .attendance.codes import join_token
from .models import EventSession, Registration

PRODID = "-//Alliance Teachers and Lecturers Forums//Events//EN"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value as RFC 5545 3.3.11 wants it."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 5545 3.1); a
    continuation starts with one space, which counts towards its 75."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += character
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def session_uid(registration: Registration, session: EventSession) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"event-registration-{registration.pk}-session-{session.pk}@{host}"


def personal_join_url(registration: Registration, session: EventSession) -> str:
    """The learner's own address for an online session: it records when they
    join, then sends them to the meeting (the meeting's bare link would not)."""
    token = join_token(session.pk, registration.learner_id)
    return settings.SITE_URL + reverse("attendance:join", kwargs={"token": token})


def _vevent(
    registration: Registration,
    session: EventSession,
    *,
    stamp: datetime.datetime,
    url: str,
) -> list[str]:
    event = registration.event
    summary = event.title
    if session.title:
        summary = f"{summary}: {session.title}"
    if session.mode == EventSession.Mode.ONLINE:
        location = personal_join_url(registration, session)
    else:
        location = ", ".join(
            part for part in (session.venue, str(session.district or "")) if part
        )
    lines = [
        "BEGIN:VEVENT",
        f"UID:{session_uid(registration, session)}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{utc_stamp(session.starts_at)}",
        f"DTEND:{utc_stamp(session.ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines += [f"URL:{url}", "STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT"]
    return lines


def calendar_for(
    registration: Registration,
    sessions: Iterable[EventSession],
    *,
    url: str,
    now: datetime.datetime | None = None,
) -> str:
    """The ``.ics`` text for ``registration``'s ``sessions`` (PUBLISH)."""
    stamp = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for session in sessions:
        lines += _vevent(registration, session, stamp=stamp, url=url)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
