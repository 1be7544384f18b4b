"""The .ics file: RFC 5545 folding, escaping, UTC times, stable UIDs."""

from __future__ import annotations

import datetime

from events.calendar import calendar_for, escape_text, fold
from events.models import Event, EventSession, Registration


def test_text_is_escaped():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "کمرۂ جماعت کا نظم " * 10
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    # Unfolding gives the line back (RFC 5545 3.1).
    assert folded.replace("\r\n ", "") == line


def test_a_calendar_has_one_event_per_session_in_utc(settings):
    settings.SITE_URL = "https://learn.example.org"
    event = Event(slug="w", title_en="Inclusive, practical; teaching", capacity=5)
    registration = Registration(pk=7, event=event)
    start = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=datetime.UTC)
    sessions = [
        EventSession(
            pk=pk,
            event=event,
            starts_at=start + datetime.timedelta(days=pk),
            ends_at=start + datetime.timedelta(days=pk, hours=3),
            venue="Hall 2, Lahore",
        )
        for pk in (1, 2)
    ]
    text = calendar_for(
        registration, sessions, url="https://learn.example.org/events/w/", now=start
    )
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert "METHOD:PUBLISH" in lines
    assert lines.count("BEGIN:VEVENT") == 2
    assert "DTSTART:20261206T100000Z" in lines
    assert "DTEND:20261206T130000Z" in lines
    assert "SUMMARY:Inclusive\\, practical\\; teaching" in lines
    assert "LOCATION:Hall 2\\, Lahore" in lines
    assert "UID:event-registration-7-session-1@learn.example.org" in lines
    assert "UID:event-registration-7-session-2@learn.example.org" in lines
