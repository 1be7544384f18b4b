"""Certificates earned by attendance, and word to those who fell short.

``award_event_certificates`` is the one entry point: the command (run from
cron after sessions end), its task and the staff page's button all call it.
It reads an event's registrations, sessions, attendance and course passes in
a handful of queries, then for each registered learner:

- who meets the event's attendance rule (and passed the linked course, when
  required) gets a workshop certificate of the event through the certificates
  app's own issuing (``issue_to_attendee``): exactly once, signed, verified and
  e-mailed like any other;
- who does not, once the event's last session has ended, is e-mailed (once,
  in their language) what is missing: the sessions, the time, the course.

Time at a session: from check-in to check-out when the session asks for a
check-out (none recorded counts nothing); from joining to leaving (or to the
end, with no leave recorded) for an online join link; the whole session for any
other check-in. Each is clipped to the session's own start and end.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from certificates.models import Certificate, Workshop
from certificates.services import template_for_programme
from certificates.workshops import Attendee, issue_to_attendee
from courses.models import Enrolment
from lms.background.retry import DATABASE_FAULTS, NETWORK_FAULTS, retried
from lms.background.services import enqueue_with_change

from ..models import Attendance, Event, EventSession, Registration

if TYPE_CHECKING:
    from lms.accounts.models import User

MAX_REASON_LENGTH = 500
REASON_REQUIRED = _("Give the reason for issuing the certificate despite the rule.")
NOT_REGISTERED = _("This learner is not registered for the event.")
NO_NAME = _("The learner's profile has no name for a certificate.")


class AwardRefused(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class SessionTime:
    session: EventSession
    attendance: Attendance | None
    seconds: int
    attended: bool
    missing_check_out: bool = False


@dataclass
class Standing:
    """Where one registered learner stands against the event's rule."""

    registration: Registration
    sessions: list[SessionTime]
    total_seconds: int
    needed_seconds: int
    course_needed: bool
    course_passed: bool
    certificate: Certificate | None = None

    @property
    def learner(self) -> User:
        return self.registration.learner

    @property
    def attended_seconds(self) -> int:
        return sum(item.seconds for item in self.sessions)

    @property
    def attended_count(self) -> int:
        return sum(1 for item in self.sessions if item.attended)

    @property
    def missing_sessions(self) -> list[SessionTime]:
        return [item for item in self.sessions if not item.attended]

    @property
    def attendance_met(self) -> bool:
        if self.registration.event.attendance_rule == Event.AttendanceRule.ALL_SESSIONS:
            return not self.missing_sessions
        return self.attended_seconds >= self.needed_seconds

    @property
    def meets_rule(self) -> bool:
        return self.attendance_met and (self.course_passed or not self.course_needed)

    @property
    def missing_minutes(self) -> int:
        return max(0, -(-(self.needed_seconds - self.attended_seconds) // 60))


@dataclass
class AwardReport:
    issued: list[Certificate] = field(default_factory=list)
    already: int = 0
    notified: int = 0
    waiting: int = 0


def seconds_attended(session: EventSession, attendance: Attendance | None) -> int:
    if attendance is None:
        return 0
    start, end = session.starts_at, session.ends_at
    if session.needs_checkout:
        if attendance.checked_out_at is None:
            return 0
        left = attendance.checked_out_at
    elif attendance.method == Attendance.Method.ONLINE_LINK:
        left = attendance.checked_out_at or end
    else:
        return int((end - start).total_seconds())
    came = max(attendance.checked_in_at, start)
    return max(0, int((min(left, end) - came).total_seconds()))


def standings(event: Event) -> list[Standing]:
    """Every registered learner's standing (5 queries, whatever their number)."""
    sessions = list(EventSession.objects.filter(event=event).order_by("starts_at"))
    registrations = list(
        Registration.objects.filter(
            event=event, status=Registration.Status.REGISTERED
        ).select_related("learner__profile", "event")
    )
    attendances: dict[tuple[int, int], Attendance] = {
        (item.session_id, item.learner_id): item
        for item in Attendance.objects.filter(session__event=event)
    }
    passed: set[int] = set()
    if event.course is not None:
        passed = set(
            Enrolment.objects.filter(
                course__translation_key=event.course.translation_key,
                completed_at__isnull=False,
                user_id__in=[item.learner_id for item in registrations],
            ).values_list("user_id", flat=True)
        )
    held: dict[str, Certificate] = {}
    if event.certificate_workshop_id:
        held = {
            item.email.lower(): item
            for item in Certificate.objects.filter(
                workshop_id=event.certificate_workshop_id, is_current=True
            )
        }
    total = sum(int(item.duration.total_seconds()) for item in sessions)
    needed = total
    if event.attendance_rule == Event.AttendanceRule.MIN_SHARE:
        needed = -(-total * event.attendance_percent // 100)
    result = []
    for registration in registrations:
        times = []
        for session in sessions:
            attendance = attendances.get((session.pk, registration.learner_id))
            seconds = seconds_attended(session, attendance)
            missing_out = bool(
                attendance and session.needs_checkout and not attendance.checked_out_at
            )
            times.append(
                SessionTime(
                    session,
                    attendance,
                    seconds,
                    attended=attendance is not None and not missing_out,
                    missing_check_out=missing_out,
                )
            )
        result.append(
            Standing(
                registration,
                times,
                total_seconds=total,
                needed_seconds=needed,
                course_needed=bool(event.course_id and event.course_required),
                course_passed=registration.learner_id in passed,
                certificate=held.get(registration.learner.email.lower()),
            )
        )
    return result


def workshop_for_event(event: Event) -> Workshop:
    """The certificates' workshop record of ``event``, made on first use."""
    if event.certificate_workshop is not None:
        return event.certificate_workshop
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.certificate_workshop_id is None:
            sessions = list(EventSession.objects.filter(event=event))
            last = max(sessions, key=lambda item: item.ends_at, default=None)
            online = sessions and all(
                item.mode == EventSession.Mode.ONLINE for item in sessions
            )
            workshop = Workshop.objects.create(
                slug=f"event-{event.pk}",
                title_en=event.title_en,
                title_ur=event.title_ur,
                programme=event.programme,
                held_on=timezone.localdate(last.ends_at)
                if last
                else timezone.localdate(),
                mode=Workshop.Mode.ONLINE if online else Workshop.Mode.IN_PERSON,
                cpd_hours=event.cpd_hours,
                template=event.certificate_template
                or template_for_programme(event.programme),
            )
            locked.certificate_workshop = workshop
            locked.save(update_fields=["certificate_workshop"])
        made = locked.certificate_workshop
    assert made is not None  # noqa: S101 - set just above when missing
    event.certificate_workshop = made
    return made


def _issue(
    event: Event, learner: User, *, actor: User | None, details: dict | None = None
) -> tuple[Certificate, bool]:
    profile = learner.profile
    if not (profile.certificate_name_en or profile.certificate_name_ur):
        raise AwardRefused(NO_NAME)
    workshop = workshop_for_event(event)
    outcome = issue_to_attendee(
        workshop,
        Attendee(
            0, profile.certificate_name_en, profile.certificate_name_ur, learner.email
        ),
        actor,
        details={"event": event.pk, **(details or {})},
    )
    if outcome.certificate is None:
        raise AwardRefused(outcome.problem)
    return outcome.certificate, outcome.issued


def last_session_ended(event: Event, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return not EventSession.objects.filter(event=event, ends_at__gt=now).exists()


def award_event_certificates(
    event: Event, *, actor: User | None = None, now: datetime.datetime | None = None
) -> AwardReport:
    """Issue the certificates the rule now grants; once the last session has
    ended, e-mail (once) everyone else what is missing. Safe to run again."""
    report = AwardReport()
    if event.status == Event.Status.CANCELLED:
        return report
    finished = last_session_ended(event, now)
    for standing in standings(event):
        if standing.certificate is not None:
            report.already += 1
        elif standing.meets_rule:
            try:
                certificate, issued = _issue(event, standing.learner, actor=actor)
            except AwardRefused:
                report.waiting += 1
                continue
            if issued:
                report.issued.append(certificate)
            else:
                report.already += 1
        elif finished:
            report.notified += _queue_shortfall_notice(standing.registration)
        else:
            report.waiting += 1
    return report


def _queue_shortfall_notice(registration: Registration) -> int:
    with transaction.atomic():
        updated = Registration.objects.filter(
            pk=registration.pk, shortfall_emailed_at__isnull=True
        ).update(shortfall_emailed_at=timezone.now())
        if updated:
            enqueue_with_change(email_attendance_shortfall, registration.pk)
    return updated


def override_certificate(
    event: Event, learner: User, *, actor: User, reason: str
) -> Certificate:
    """Staff issue a registered learner's certificate despite the rule; the
    reason and who gave it are kept in the certificate's audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise AwardRefused(REASON_REQUIRED)
    reason = reason[:MAX_REASON_LENGTH]
    if not Registration.objects.filter(
        event=event, learner=learner, status=Registration.Status.REGISTERED
    ).exists():
        raise AwardRefused(NOT_REGISTERED)
    certificate, _issued = _issue(
        event,
        learner,
        actor=actor,
        details={"override": True, "reason": reason},
    )
    return certificate


def send_shortfall_notice(registration_id: int) -> str:
    """Write to a learner what kept them from the event's certificate."""
    registration = Registration.objects.select_related("learner__profile", "event").get(
        pk=registration_id
    )
    event = registration.event
    standing = next(
        (item for item in standings(event) if item.registration.pk == registration.pk),
        None,
    )
    learner = registration.learner
    if standing is None or standing.meets_rule or not learner.email:
        return ""
    profile = getattr(learner, "profile", None)
    language = profile.preferred_language if profile is not None else "en"
    with translation.override(language):
        context = {
            "event": event,
            "standing": standing,
            "name": learner.get_full_name() or learner.email,
            "all_sessions": event.attendance_rule == Event.AttendanceRule.ALL_SESSIONS,
            "missing_minutes": standing.missing_minutes,
            "course": event.course.specific
            if event.course is not None and standing.course_needed
            else None,
        }
        subject = render_to_string("events/email/shortfall_subject.txt", context)
        body = render_to_string("events/email/shortfall_body.txt", context)
    EmailMessage(
        " ".join(subject.split()),
        body,
        None,
        [learner.email],
        headers={"Content-Language": language},
    ).send()
    return learner.email


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def email_attendance_shortfall(registration_id: int) -> str:
    """E-mail a learner what is missing for an event's certificate."""
    return send_shortfall_notice(registration_id)


def events_to_award(now: datetime.datetime, days: int = 3) -> QuerySet[Event]:
    """Published events with a session that ended in the last ``days`` days."""
    return Event.objects.filter(
        status=Event.Status.PUBLISHED,
        sessions__ends_at__lte=now,
        sessions__ends_at__gte=now - datetime.timedelta(days=days),
    ).distinct()


def award_ended_sessions(now: datetime.datetime | None = None, days: int = 3) -> int:
    """Run ``award_event_certificates`` for each event with a session just
    ended; return how many certificates were issued."""
    now = now or timezone.now()
    issued = 0
    for event in events_to_award(now, days):
        try:
            issued += len(award_event_certificates(event, now=now).issued)
        except IntegrityError:
            # A concurrent run issued meanwhile; the next run picks up the rest.
            continue
    return issued


@retried(*DATABASE_FAULTS)
@task()
def award_certificates_after_sessions() -> int:
    """The cron-free way: a worker task doing what the command does."""
    return award_ended_sessions()
