"""Recording attendance: each way in ends in ``record_check_in``, once a learner.

An attendee checks in by scanning the session's rotating QR (``check_in_by_code``),
by their join link for an online session (``join_online``), or by the code the
trainer reads out (``check_in_by_session_code``); a trainer checks someone in by
their personal QR or by ticking their name (``staff_check_in``), online or from
the phone's queue later. Each refusal is a ``CheckInRefused`` with a message for
the learner (or trainer) and changes nothing; a second check-in of the same
learner at the same session returns the first one, unchanged.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User

from ..models import Attendance, Event, EventSession, Registration
from . import codes

# Check-in opens this long before a session starts and closes when it ends.
OPENS_BEFORE = datetime.timedelta(minutes=30)
# A trainer's phone may send a queued scan this long after it was made.
QUEUE_KEEPS = datetime.timedelta(days=2)
MAX_QUEUED_ITEMS = 50

FORGED = _("This check-in code is not valid. Scan the code on the trainer's screen.")
EXPIRED = _(
    "This check-in code has expired (it changes every 30 seconds). Scan the code "
    "on the trainer's screen again."
)
WRONG_SESSION_CODE = _("This session code is not right, or it has changed.")
NOT_REGISTERED = _("You are not registered for this event, so you cannot check in.")
WAITLISTED = _(
    "You are on the waiting list for this event, so you cannot check in yet. "
    "Please ask the trainer."
)
CANCELLED = _("Your registration for this event was cancelled, so you cannot check in.")
EVENT_CANCELLED = _("This event was cancelled.")
TOO_EARLY = _("Check-in opens 30 minutes before the session starts (at %(time)s).")
TOO_LATE = _("This session has ended; check-in is closed.")
NOT_ONLINE = _("This session is not held online.")
NO_CHECK_OUT = _("This session does not ask attendees to check out.")
NOT_CHECKED_IN = _("You have not checked in to this session.")
PERSONAL_CODE_UNKNOWN = _(
    "This personal code does not belong to anyone registered for this event."
)
BAD_QUEUE_ITEM = _("This saved check-in is not valid; it was not recorded.")
CLIENT_ID_REUSED = _("This saved check-in's id was used for another check-in.")


class CheckInRefused(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CheckInResult:
    attendance: Attendance
    created: bool


def _local_time(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def check_session_open(session: EventSession, at: datetime.datetime) -> None:
    """Refuse when ``at`` is outside the session's check-in time."""
    if session.event.status == Event.Status.CANCELLED:
        raise CheckInRefused(EVENT_CANCELLED)
    if at < session.starts_at - OPENS_BEFORE:
        raise CheckInRefused(
            TOO_EARLY % {"time": _local_time(session.starts_at - OPENS_BEFORE)}
        )
    if at > session.ends_at:
        raise CheckInRefused(TOO_LATE)


def check_registered(registration: Registration | None) -> Registration:
    if registration is None:
        raise CheckInRefused(NOT_REGISTERED)
    if registration.status == Registration.Status.WAITLISTED:
        raise CheckInRefused(WAITLISTED)
    if registration.status == Registration.Status.CANCELLED:
        raise CheckInRefused(CANCELLED)
    return registration


def record_check_in(
    session: EventSession,
    learner: User,
    *,
    method: str,
    at: datetime.datetime | None = None,
    recorded_by: User | None = None,
    client_id: str = "",
) -> CheckInResult:
    """Record ``learner`` at ``session`` once; refuse without a change when
    they may not check in. A learner already checked in gets their first
    check-in back (``created`` False)."""
    at = at or timezone.now()
    check_session_open(session, at)
    try:
        with transaction.atomic():
            registration = check_registered(
                Registration.objects.select_for_update()
                .filter(event_id=session.event_id, learner=learner)
                .first()
            )
            existing = Attendance.objects.filter(
                session=session, learner=learner
            ).first()
            if existing is not None:
                return CheckInResult(existing, created=False)
            attendance = Attendance.objects.create(
                session=session,
                learner=learner,
                registration=registration,
                checked_in_at=at,
                method=method,
                recorded_by=recorded_by,
                client_id=client_id,
            )
    except IntegrityError:
        # The same learner (or the same queued scan) arrived twice at once.
        existing = Attendance.objects.filter(session=session, learner=learner).first()
        if existing is None:
            raise CheckInRefused(CLIENT_ID_REUSED) from None
        return CheckInResult(existing, created=False)
    return CheckInResult(attendance, created=True)


def check_in_by_code(
    session: EventSession, learner: User, token: str, *, granted: bool = False
) -> CheckInResult:
    """An attendee's check-in from the rotating QR. ``granted``: the code was
    valid when the attendee first opened the link (they then signed in)."""
    if not granted:
        verdict = codes.check_rotating_token(session.pk, token)
        if verdict is codes.CodeCheck.FORGED:
            raise CheckInRefused(FORGED)
        if verdict is codes.CodeCheck.EXPIRED:
            raise CheckInRefused(EXPIRED)
    return record_check_in(session, learner, method=Attendance.Method.ROTATING_QR)


def check_in_by_session_code(
    session: EventSession, learner: User, code: str
) -> CheckInResult:
    if session.mode != EventSession.Mode.ONLINE:
        raise CheckInRefused(NOT_ONLINE)
    if not codes.check_session_code(session.pk, code):
        raise CheckInRefused(WRONG_SESSION_CODE)
    return record_check_in(session, learner, method=Attendance.Method.SESSION_CODE)


def join_online(session: EventSession, learner: User) -> CheckInResult:
    """Record the join time of an attendee who follows their join link (a
    second join keeps the first time, and clears a leave they recorded)."""
    if session.mode != EventSession.Mode.ONLINE:
        raise CheckInRefused(NOT_ONLINE)
    result = record_check_in(session, learner, method=Attendance.Method.ONLINE_LINK)
    if not result.created and result.attendance.checked_out_at is not None:
        # They left and came back: the time between is not counted as away,
        # which keeps the rule simple (see the README).
        Attendance.objects.filter(pk=result.attendance.pk).update(checked_out_at=None)
        result.attendance.checked_out_at = None
    return result


def check_out(
    session: EventSession, learner: User, at: datetime.datetime | None = None
) -> Attendance:
    """Record when an attendee left: for sessions that ask for a check-out,
    and for online sessions (the "leave" button). Once: a second check-out
    keeps the first time."""
    at = at or timezone.now()
    if not session.needs_checkout and session.mode != EventSession.Mode.ONLINE:
        raise CheckInRefused(NO_CHECK_OUT)
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update()
            .filter(session=session, learner=learner)
            .first()
        )
        if attendance is None:
            raise CheckInRefused(NOT_CHECKED_IN)
        if attendance.checked_out_at is None:
            attendance.checked_out_at = max(
                attendance.checked_in_at, min(at, session.ends_at)
            )
            attendance.save(update_fields=["checked_out_at"])
    return attendance


@dataclass(frozen=True)
class StaffCheckIn:
    """One check-in a trainer recorded: a scanned or typed personal code, or a
    ticked name; ``client_id`` makes a resend from the phone's queue harmless."""

    client_id: str
    personal_code: str = ""
    learner_id: int | None = None
    scanned_at: datetime.datetime | None = None


def read_staff_check_in(item: Any) -> StaffCheckIn:
    """Check one queued item's shape, or raise ``CheckInRefused``."""
    if not isinstance(item, dict):
        raise CheckInRefused(BAD_QUEUE_ITEM)
    try:
        client_id = str(uuid.UUID(str(item.get("id", ""))[:64]))
    except ValueError:
        raise CheckInRefused(BAD_QUEUE_ITEM) from None
    code = item.get("code", "")
    learner = item.get("learner")
    scanned = item.get("at")
    if not isinstance(code, str) or len(code) > 64:
        raise CheckInRefused(BAD_QUEUE_ITEM)
    if learner is not None and (not isinstance(learner, int) or learner is True):
        raise CheckInRefused(BAD_QUEUE_ITEM)
    if bool(code) == (learner is not None):
        raise CheckInRefused(BAD_QUEUE_ITEM)
    scanned_at = None
    if scanned is not None:
        scanned_at = parse_datetime(scanned) if isinstance(scanned, str) else None
        if scanned_at is None or timezone.is_naive(scanned_at):
            raise CheckInRefused(BAD_QUEUE_ITEM)
    return StaffCheckIn(client_id, code, learner, scanned_at)


def staff_check_in(
    session: EventSession, staff: User, item: StaffCheckIn
) -> CheckInResult:
    """A check-in the trainer made (the caller checked the session is in the
    trainer's scope). Only a registered learner of the event can be named, by
    id or by personal code; a queued scan keeps the time it was made."""
    existing = Attendance.objects.filter(client_id=item.client_id).first()
    if existing is not None:
        if existing.session_id != session.pk:
            raise CheckInRefused(CLIENT_ID_REUSED)
        return CheckInResult(existing, created=False)
    registered = list(
        Registration.objects.filter(event_id=session.event_id).values_list(
            "learner_id", flat=True
        )
    )
    if item.learner_id is not None:
        learner_id = item.learner_id if item.learner_id in registered else None
        if learner_id is None:
            raise CheckInRefused(NOT_REGISTERED)
    else:
        learner_id = codes.match_personal_code(item.personal_code, registered)
        if learner_id is None:
            raise CheckInRefused(PERSONAL_CODE_UNKNOWN)
    now = timezone.now()
    at = now
    if item.scanned_at is not None and now - QUEUE_KEEPS <= item.scanned_at <= now:
        at = item.scanned_at
    learner = User.objects.get(pk=learner_id)
    method = (
        Attendance.Method.LIST
        if item.learner_id is not None
        else Attendance.Method.PERSONAL_QR
    )
    return record_check_in(
        session,
        learner,
        method=method,
        at=at,
        recorded_by=staff,
        client_id=item.client_id,
    )


def checked_in_count(session: EventSession) -> int:
    return Attendance.objects.filter(session=session).count()
