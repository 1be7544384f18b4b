"""Invitations, reminders and announcements to a cohort's learners.

``queue_due_reminders`` (run daily by the ``send_cohort_reminders`` command or
its task) applies each cohort's rules and records one ``ReminderSent`` per
learner and day (a unique constraint, so a second run the same day sends
nothing); each reminder is then delivered by its own task through the channel,
in the learner's language, with a signed link that stops reminders without
signing in.

Which reminder a rule sends, and when it has been sent already:

- not started: N days after joining, no lesson done in the cohort's courses;
  sent once.
- inactive: the last lesson done N or more days ago; sent once per pause.
- deadline: the deadline N days or fewer away, not yet finished; sent once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

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
    due = []
    for user_id, joined_at in members:
        if course_ids and finished.get(user_id, 0) >= len(course_ids):
            continue
        joined = timezone.localdate(joined_at)
        last = last_done.get(user_id)
        for rule in sorted(rules, key=_urgency):
            if _rule_holds(rule, cohort, joined, last, today, sent, user_id):
                due.append(DueReminder(user_id, cohort.pk, rule.kind))
                break
    return due


def _urgency(rule: ReminderRule) -> int:
    order: list[str] = [ReminderRule.Kind.DEADLINE, ReminderRule.Kind.INACTIVE]
    return order.index(rule.kind) if rule.kind in order else len(order)


def _rule_holds(
    rule: ReminderRule,
    cohort: Cohort,
    joined: datetime.date,
    last: datetime.datetime | None,
    today: datetime.date,
    sent: dict[tuple[int, str], datetime.date],
    user_id: int,
) -> bool:
    previous = sent.get((user_id, rule.kind))
    days = datetime.timedelta(days=rule.days)
    if rule.kind == ReminderRule.Kind.NOT_STARTED:
        return last is None and today - joined >= days and previous is None
    if rule.kind == ReminderRule.Kind.INACTIVE:
        if last is None:
            return False
        last_day = timezone.localdate(last)
        return today - last_day >= days and (previous is None or previous <= last_day)
    deadline = cohort.deadline_for(joined)
    if deadline is None or deadline < today or deadline - today > days:
        return False
    return previous is None or previous < deadline - days


def queue_due_reminders(today: datetime.date | None = None) -> int:
    """Record and queue today's reminders for every cohort; return how many."""
    today = today or timezone.localdate()
    queued = 0
    cohorts = Cohort.objects.filter(reminder_rules__isnull=False).distinct()
    for cohort in cohorts.select_related("programme"):
        for due in _due_in_cohort(cohort, today):
            try:
                with transaction.atomic():
                    reminder = ReminderSent.objects.create(
                        user_id=due.user_id,
                        cohort_id=due.cohort_id,
                        kind=due.kind,
                        sent_on=today,
                    )
                    enqueue_with_change(deliver_reminder, reminder.pk)
            except IntegrityError:  # this learner had one today already
                continue
            queued += 1
    return queued


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def deliver_reminder(reminder_id: int) -> str:
    reminder = ReminderSent.objects.select_related("user__profile", "cohort").get(
        pk=reminder_id
    )
    user = reminder.user
    if ReminderOptOut.objects.filter(user=user).exists():
        return ""  # stopped since the reminder was queued
    membership = CohortMembership.objects.get(cohort=reminder.cohort, user=user)
    message = _render(
        f"reminder_{reminder.kind}",
        user,
        {
            "cohort": reminder.cohort,
            "deadline": membership.deadline,
            "unsubscribe": unsubscribe_url(user),
            "dashboard": settings.SITE_URL + reverse("courses:dashboard"),
        },
    )
    current_channel().send(user, message)
    return user.email


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
