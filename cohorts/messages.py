"""Invitations, reminders and announcements to a cohort's learners.

``queue_due_reminders`` (run daily by the ``send_cohort_reminders`` command or
its task) applies each cohort's rules and records one ``ReminderSent`` per
learner and day (a unique constraint, so a second run the same day sends
nothing), a cohort's in one insert; they are then delivered by tasks of up
to ``REMINDERS_PER_TASK`` reminders through the channel, in the learner's
language, with a signed link that stops reminders without signing in.

Which reminder a rule sends, and when it has been sent already:

- not started: N days after joining, no lesson done in the cohort's courses;
  sent once.
- inactive: the last lesson done N or more days ago; sent once per pause.
- deadline: the deadline N days or fewer away, not yet finished; sent once.
- certificate expiring: a current certificate for one of the cohort's courses
  expires in N days or fewer (finished learners too); sent once per expiry
  date, so a renewed certificate is reminded of again when it runs out.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.db.models import Field, Max, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from courses import expiries as course_expiries
from courses.models import Enrolment, LessonProgress
from lms.accounts.models import User
from lms.background.retry import DATABASE_FAULTS, NETWORK_FAULTS, retried
from lms.background.services import enqueue_with_change

from .channels import Message, current_channel
from .models import (
    Announcement,
    Cohort,
    CohortMembership,
    ReminderOptOut,
    ReminderRule,
    ReminderSent,
)
from .scoping import cohort_courses, learners_in_scope

UNSUBSCRIBE_SALT = "cohorts.unsubscribe"


def _language(user: User) -> str:
    return getattr(getattr(user, "profile", None), "preferred_language", "") or "en"


def unsubscribe_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user: User) -> str:
    return settings.SITE_URL + reverse(
        "cohorts:unsubscribe", args=[unsubscribe_token(user)]
    )


def user_for_unsubscribe(token: str) -> User | None:
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=user_id).first()


def stop_reminders(user: User) -> None:
    ReminderOptOut.objects.get_or_create(user=user)


def _render(template: str, user: User, context: dict) -> Message:
    with translation.override(_language(user)):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"cohorts/email/{template}_subject.txt", context)
        body = render_to_string(f"cohorts/email/{template}_body.txt", context)
    return Message(" ".join(subject.split()), body, context.get("unsubscribe", ""))


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def send_invitation(user_id: int, cohort_id: int) -> str:
    """Invite an account made from a file to choose its password."""
    user = User.objects.select_related("profile").get(pk=user_id)
    cohort = Cohort.objects.get(pk=cohort_id)
    with translation.override(_language(user)):
        link = settings.SITE_URL + reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    message = _render("invitation", user, {"cohort": cohort, "link": link})
    current_channel().send(user, message)
    return user.email


@dataclass(frozen=True)
class DueReminder:
    user_id: int
    cohort_id: int
    kind: str


def _due_in_cohort(cohort: Cohort, today: datetime.date) -> Iterable[DueReminder]:
    """The reminders one cohort's rules call for today (a fixed number of queries)."""
    rules = list(cohort.reminder_rules.all())
    if not rules:
        return []
    course_ids = list(cohort_courses(cohort).values_list("pk", flat=True))
    members = list(
        CohortMembership.objects.filter(cohort=cohort)
        .exclude(user__in=ReminderOptOut.objects.values("user"))
        .exclude(user__is_active=False)
        .values_list("user_id", "joined_at")
    )
    last_done = dict(
        LessonProgress.objects.filter(
            course_id__in=course_ids, user_id__in=[m[0] for m in members]
        )
        .values("user_id")
        .annotate(last=Max("completed_at"))
        .values_list("user_id", "last")
    )
    finished: dict[int, int] = {}
    for user_id in Enrolment.objects.filter(
        course_id__in=course_ids,
        completed_at__isnull=False,
        user_id__in=[m[0] for m in members],
    ).values_list("user_id", flat=True):
        finished[user_id] = finished.get(user_id, 0) + 1
    sent: dict[tuple[int, str], datetime.date] = {
        (user_id, kind): last
        for user_id, kind, last in ReminderSent.objects.filter(cohort=cohort)
        .values("user_id", "kind")
        .annotate(last=Max("sent_on"))
        .values_list("user_id", "kind", "last")
    }
    expires = _soonest_expiries(rules, [m[0] for m in members], course_ids, today)
    due = []
    for user_id, joined_at in members:
        finished_all = bool(course_ids) and finished.get(user_id, 0) >= len(course_ids)
        member = _Member(
            user_id,
            timezone.localdate(joined_at),
            last_done.get(user_id),
            expires.get(user_id),
        )
        for rule in sorted(rules, key=_urgency):
            if finished_all and rule.kind != ReminderRule.Kind.CERTIFICATE_EXPIRING:
                continue  # a learner who finished needs only that reminder
            if _rule_holds(rule, cohort, member, today, sent):
                due.append(DueReminder(user_id, cohort.pk, rule.kind))
                break
    return due


@dataclass(frozen=True)
class _Member:
    user_id: int
    joined: datetime.date
    last_done: datetime.datetime | None
    certificate_expires: datetime.date | None


def _soonest_expiries(
    rules: list[ReminderRule],
    user_ids: list[int],
    course_ids: list[int],
    today: datetime.date,
) -> dict[int, datetime.date]:
    """Per member, the first day one of their certificates for the cohort's
    courses runs out, within the longest expiry rule's reach (one query, and
    none when the cohort has no such rule)."""
    reach = [
        rule.days
        for rule in rules
        if rule.kind == ReminderRule.Kind.CERTIFICATE_EXPIRING
    ]
    if not reach:
        return {}
    soonest: dict[int, datetime.date] = {}
    last = today + datetime.timedelta(days=max(reach))
    for expiry in course_expiries.expiring(user_ids, course_ids, today, last):
        known = soonest.get(expiry.user_id)
        if known is None or expiry.expires_on < known:
            soonest[expiry.user_id] = expiry.expires_on
    return soonest


def _urgency(rule: ReminderRule) -> int:
    order: list[str] = [
        ReminderRule.Kind.DEADLINE,
        ReminderRule.Kind.INACTIVE,
        ReminderRule.Kind.CERTIFICATE_EXPIRING,
    ]
    return order.index(rule.kind) if rule.kind in order else len(order)


def _rule_holds(
    rule: ReminderRule,
    cohort: Cohort,
    member: _Member,
    today: datetime.date,
    sent: dict[tuple[int, str], datetime.date],
) -> bool:
    previous = sent.get((member.user_id, rule.kind))
    days = datetime.timedelta(days=rule.days)
    joined, last = member.joined, member.last_done
    if rule.kind == ReminderRule.Kind.NOT_STARTED:
        return last is None and today - joined >= days and previous is None
    if rule.kind == ReminderRule.Kind.INACTIVE:
        if last is None:
            return False
        last_day = timezone.localdate(last)
        return today - last_day >= days and (previous is None or previous <= last_day)
    if rule.kind == ReminderRule.Kind.CERTIFICATE_EXPIRING:
        expires = member.certificate_expires
        if expires is None or expires < today or expires - today > days:
            return False
        return previous is None or previous < expires - days
    deadline = cohort.deadline_for(joined)
    if deadline is None or deadline < today or deadline - today > days:
        return False
    return previous is None or previous < deadline - days


# Reminders a delivery task sends: a few hundred tasks queued for a national
# run instead of one per reminder, each short enough to retry.
REMINDERS_PER_TASK = 200


def queue_due_reminders(today: datetime.date | None = None) -> int:
    """Record and queue today's reminders for every cohort; return how many."""
    today = today or timezone.localdate()
    queued = 0
    cohorts = Cohort.objects.filter(reminder_rules__isnull=False).distinct()
    for cohort in cohorts.select_related("programme"):
        due = list(_due_in_cohort(cohort, today))
        if not due:
            continue
        # One transaction a cohort: its reminders are recorded in one insert
        # and their delivery tasks queued with them, or none are.
        with transaction.atomic():
            new_ids = _record_reminders(due, today)
            for start in range(0, len(new_ids), REMINDERS_PER_TASK):
                batch = new_ids[start : start + REMINDERS_PER_TASK]
                enqueue_with_change(deliver_reminders, batch)
        queued += len(new_ids)
    return queued


# 5 parameters a row: well within SQLite's and PostgreSQL's limits.
_ROWS_PER_INSERT = 1000


def _record_reminders(due: list[DueReminder], today: datetime.date) -> list[int]:
    """Insert the reminders in one statement; return the ids of those written.

    A learner who had a reminder today already (from another cohort, or from a
    run at the same time) conflicts with the one-a-day constraint and is left
    out. ``bulk_create(ignore_conflicts=True)`` cannot say which rows it wrote,
    so the insert is written out: ``ON CONFLICT DO NOTHING RETURNING`` returns
    exactly the new rows, on PostgreSQL and on SQLite (3.35 or later), and a
    concurrent run's rows are never taken for ours.
    """
    meta = ReminderSent._meta
    columns = [
        cast(Field, meta.get_field(name))
        for name in ("user", "cohort", "kind", "sent_on", "sent_at")
    ]
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    now = timezone.now()
    new_ids: list[int] = []
    for start in range(0, len(due), _ROWS_PER_INSERT):
        chunk = due[start : start + _ROWS_PER_INSERT]
        values: list[object] = []
        for reminder in chunk:
            row = (reminder.user_id, reminder.cohort_id, reminder.kind, today, now)
            values.extend(
                field.get_db_prep_save(value, connection)
                for field, value in zip(columns, row, strict=True)
            )
        placeholders = ", ".join(
            ["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk)
        )
        unique = [columns[0].column, columns[3].column]  # user, sent_on
        sql = (
            f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608 - names from the model
            f"({', '.join(quote(field.column) for field in columns)}) "
            f"VALUES {placeholders} "
            f"ON CONFLICT ({', '.join(quote(column) for column in unique)}) "
            f"DO NOTHING RETURNING {quote(meta.pk.column)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            new_ids.extend(pk for (pk,) in cursor.fetchall())
    return sorted(new_ids)


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def deliver_reminders(reminder_ids: list[int]) -> int:
    """Send a batch of reminders through the channel; return how many went.

    Each reminder is marked delivered in the transaction that sends it, so a
    batch tried again (a network fault, a lost worker) sends only those not
    sent yet, and a second worker on the same batch waits on the row and then
    skips it. Reminders of learners who stopped them since they were queued,
    and expiry reminders of certificates renewed since, are not sent.
    """
    reminders = list(
        ReminderSent.objects.filter(pk__in=reminder_ids, delivered_at__isnull=True)
        .select_related("user__profile", "cohort")
        .order_by("pk")
    )
    user_ids = {reminder.user_id for reminder in reminders}
    stopped = set(
        ReminderOptOut.objects.filter(user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    deadlines = {
        (membership.cohort_id, membership.user_id): membership.deadline
        for membership in CohortMembership.objects.filter(
            user_id__in=user_ids,
            cohort_id__in={reminder.cohort_id for reminder in reminders},
        ).select_related("cohort")
    }
    channel = current_channel()
    sent = 0
    for reminder in reminders:
        if reminder.user_id in stopped:
            continue  # stopped since the reminder was queued
        key = (reminder.cohort_id, reminder.user_id)
        if key not in deadlines:
            continue  # left the cohort since
        message = _reminder_message(reminder, deadlines[key])
        if message is None:
            continue
        with transaction.atomic():
            claimed = ReminderSent.objects.filter(
                pk=reminder.pk, delivered_at__isnull=True
            ).update(delivered_at=timezone.now())
            if claimed:  # (a failed send rolls the mark back)
                channel.send(reminder.user, message)
                sent += 1
    return sent


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def deliver_reminder(reminder_id: int) -> int:
    """One reminder: tasks queued one a reminder before the batches."""
    return deliver_reminders.call([reminder_id])


def _reminder_message(
    reminder: ReminderSent, deadline: datetime.date | None
) -> Message | None:
    user = reminder.user
    context = {
        "cohort": reminder.cohort,
        "deadline": deadline,
        "unsubscribe": unsubscribe_url(user),
        "dashboard": settings.SITE_URL + reverse("courses:dashboard"),
    }
    if reminder.kind == ReminderRule.Kind.CERTIFICATE_EXPIRING:
        expiry = _soonest_expiry(user, reminder)
        if expiry is None:
            return None  # renewed (or revoked) since the reminder was queued
        context["course_title"] = expiry.title(_language(user))
        context["expires_on"] = expiry.expires_on
    return _render(f"reminder_{reminder.kind}", user, context)


def _soonest_expiry(
    user: User, reminder: ReminderSent
) -> course_expiries.Expiry | None:
    course_ids = list(cohort_courses(reminder.cohort).values_list("pk", flat=True))
    found = course_expiries.expiring(
        [user.pk], course_ids, reminder.sent_on, datetime.date.max
    )
    return min(found, key=lambda expiry: expiry.expires_on, default=None)


@retried(*DATABASE_FAULTS)
@task()
def send_due_reminders() -> int:
    """The daily reminder run, for a scheduler that queues tasks."""
    return queue_due_reminders()


def _recipients(announcement: Announcement) -> QuerySet[User]:
    """The cohort's members whom the sender may reach (their scope)."""
    if announcement.sent_by is None:
        return User.objects.none()
    return learners_in_scope(announcement.sent_by).filter(
        cohort_memberships__cohort=announcement.cohort, is_active=True
    )


@transaction.atomic
def announce(cohort: Cohort, subject: str, body: str, sender: User) -> Announcement:
    """Record a coordinator's announcement and queue its sending to the
    cohort's members within the sender's scope."""
    announcement = Announcement.objects.create(
        cohort=cohort, subject=subject, body=body, sent_by=sender
    )
    announcement.recipient_count = _recipients(announcement).count()
    announcement.save(update_fields=["recipient_count"])
    enqueue_with_change(deliver_announcement, announcement.pk)
    return announcement


@retried(*DATABASE_FAULTS)
@task()
def deliver_announcement(announcement_id: int) -> int:
    """Queue one message per recipient, all in one transaction: a failure here
    queues none, and a retried message goes again only to its own recipient."""
    announcement = Announcement.objects.select_related("cohort", "sent_by").get(
        pk=announcement_id
    )
    count = 0
    with transaction.atomic():
        for user_id in _recipients(announcement).values_list("pk", flat=True):
            enqueue_with_change(send_announcement, announcement.pk, user_id)
            count += 1
    return count


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def send_announcement(announcement_id: int, user_id: int) -> str:
    announcement = Announcement.objects.select_related("cohort").get(pk=announcement_id)
    user = User.objects.select_related("profile").get(pk=user_id)
    current_channel().send(
        user,
        _render(
            "announcement",
            user,
            {"announcement": announcement, "cohort": announcement.cohort},
        ),
    )
    return user.email
