"""Reminders with time moved (never waited for), the unsubscribe link, and
announcements, through the test channel."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from cohorts import messages
from cohorts.channels import TestChannel
from cohorts.models import CohortMembership, ReminderOptOut, ReminderRule, ReminderSent
from cohorts.services import join_cohort
from courses import services as courses
from courses.models import LessonProgress

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def test_channel(settings, django_capture_on_commit_callbacks):
    settings.COHORT_MESSAGE_CHANNEL = "cohorts.channels.TestChannel"
    TestChannel.outbox.clear()
    global capture
    capture = django_capture_on_commit_callbacks
    yield TestChannel.outbox
    TestChannel.outbox.clear()


def run_reminders(today=TODAY) -> int:
    with capture(execute=True):
        return messages.queue_due_reminders(today)


def joined_days_ago(user, cohort, days: int) -> None:
    moment = timezone.make_aware(
        datetime.datetime.combine(
            TODAY - datetime.timedelta(days=days), datetime.time(9)
        )
    )
    CohortMembership.objects.filter(user=user, cohort=cohort).update(joined_at=moment)


def did_lesson_days_ago(user, course, days: int) -> None:
    lesson = course.lessons()[0]
    courses.record_lesson_complete(user, lesson.pk)
    moment = timezone.make_aware(
        datetime.datetime.combine(
            TODAY - datetime.timedelta(days=days), datetime.time(9)
        )
    )
    LessonProgress.objects.filter(user=user).update(completed_at=moment)


@pytest.fixture
def cohort_with_learner(make_cohort, make_learner):
    cohort = make_cohort()
    learner = make_learner(preferred_language="ur")
    join_cohort(learner, cohort)
    return cohort, learner


def test_not_started_is_sent_once_after_n_days_in_the_learners_language(
    cohort_with_learner, test_channel
):
    cohort, learner = cohort_with_learner
    ReminderRule.objects.create(cohort=cohort, kind="not_started", days=7)
    joined_days_ago(learner, cohort, 6)
    assert run_reminders() == 0
    joined_days_ago(learner, cohort, 7)
    assert run_reminders() == 1
    ((email, message),) = test_channel
    assert email == learner.email
    assert "شروع" in message.body  # Urdu, the learner's language
    assert message.unsubscribe_url in message.body
    assert run_reminders(TODAY + datetime.timedelta(days=1)) == 0


def test_inactive_learners_are_reminded_once_per_pause(
    cohort_with_learner, test_channel
):
    cohort, learner = cohort_with_learner
    ReminderRule.objects.create(cohort=cohort, kind="inactive", days=10)
    did_lesson_days_ago(learner, cohort.courses.first(), 9)
    assert run_reminders() == 0
    assert run_reminders(TODAY + datetime.timedelta(days=1)) == 1
    assert run_reminders(TODAY + datetime.timedelta(days=5)) == 0
    assert len(test_channel) == 1


def test_deadline_reminder_comes_n_days_before_and_not_after_finishing(
    make_cohort, make_learner, test_channel
):
    cohort = make_cohort(ends_on=TODAY + datetime.timedelta(days=3))
    ReminderRule.objects.create(cohort=cohort, kind="deadline", days=3)
    late, done = make_learner(), make_learner()
    join_cohort(late, cohort)
    join_cohort(done, cohort)
    course = cohort.courses.first()
    for lesson in course.lessons():
        courses.record_lesson_complete(done, lesson.pk)
    assert run_reminders(TODAY - datetime.timedelta(days=1)) == 0
    assert run_reminders() == 1
    assert [email for email, _m in test_channel] == [late.email]
    assert run_reminders(TODAY + datetime.timedelta(days=1)) == 0


def test_at_most_one_reminder_per_learner_per_day(
    make_cohort, make_learner, test_channel
):
    first = make_cohort(ends_on=TODAY + datetime.timedelta(days=1))
    second = make_cohort(ends_on=TODAY + datetime.timedelta(days=2))
    learner = make_learner()
    for cohort in (first, second):
        ReminderRule.objects.create(cohort=cohort, kind="deadline", days=5)
        join_cohort(learner, cohort)
    assert run_reminders() == 1
    assert ReminderSent.objects.filter(user=learner).count() == 1
    assert run_reminders(TODAY + datetime.timedelta(days=1)) == 1
    assert len(test_channel) == 2


def test_the_unsubscribe_link_works_without_signing_in_and_stops_reminders(
    client, cohort_with_learner, test_channel
):
    cohort, learner = cohort_with_learner
    ReminderRule.objects.create(cohort=cohort, kind="not_started", days=1)
    url = reverse("cohorts:unsubscribe", args=[messages.unsubscribe_token(learner)])
    assert client.get(url).status_code == 200
    assert not ReminderOptOut.objects.exists()  # GET never writes
    assert client.post(url).status_code == 200
    joined_days_ago(learner, cohort, 3)
    assert run_reminders() == 0
    assert test_channel == []


def test_a_forged_unsubscribe_link_changes_nothing(client, cohort_with_learner):
    _cohort, learner = cohort_with_learner
    token = messages.unsubscribe_token(learner)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(reverse("cohorts:unsubscribe", args=[forged]))
    assert response.status_code == 404
    assert not ReminderOptOut.objects.exists()


def test_an_announcement_reaches_only_the_senders_area(two_districts, test_channel):
    world = two_districts
    from cohorts.services import join_cohort as join

    join(world.karachi_learners[0], world.lahore_cohort)
    with capture(execute=True):
        announcement = messages.announce(
            world.lahore_cohort, "Workshop", "Saturday at 10.", world.lahore_coordinator
        )
    received = {email for email, _m in test_channel}
    assert received == {u.email for u in world.lahore_learners}
    assert announcement.recipient_count == 2


def test_the_announcement_page_sends_to_the_cohort(client, two_districts, test_channel):
    world = two_districts
    client.force_login(world.lahore_coordinator)
    url = reverse("cohorts_admin:announce", args=[world.lahore_cohort.pk])
    with capture(execute=True):
        response = client.post(url, {"subject": "Hello", "body": "See you."})
    assert response.status_code == 302
    assert len(test_channel) == 2
    assert client.post(url, {"subject": "", "body": ""}).status_code == 200


def test_reminder_queries_stay_flat_as_members_grow(
    make_cohort, make_learner, django_assert_max_num_queries
):
    cohort = make_cohort()
    ReminderRule.objects.create(cohort=cohort, kind="inactive", days=3)
    for _ in range(6):
        join_cohort(make_learner(), cohort)
    with django_assert_max_num_queries(10):
        list(messages._due_in_cohort(cohort, TODAY))


@pytest.mark.parametrize(
    "template",
    ["invitation", "reminder_not_started", "reminder_inactive", "reminder_deadline"],
)
def test_a_cohort_name_with_an_ampersand_reads_plainly_in_subjects(
    make_cohort, make_learner, template
):
    """Mail is plain text: "&" and "'" in a cohort's name are not HTML-escaped."""
    cohort = make_cohort(name_en="Lahore & Kasur's teachers")
    learner = make_learner()
    message = messages._render(
        template,
        learner,
        {"cohort": cohort, "link": "x", "dashboard": "x", "unsubscribe": "x"},
    )
    assert "Lahore & Kasur's teachers" in message.subject
    assert "Lahore & Kasur's teachers" in message.body


def test_a_reminder_queued_before_the_learner_stopped_them_is_not_sent(
    cohort_with_learner, test_channel
):
    """The daily run queued it; the learner stopped reminders before the task
    ran (a busy queue, a retry): it is not sent."""
    cohort, learner = cohort_with_learner
    ReminderRule.objects.create(cohort=cohort, kind="not_started", days=1)
    joined_days_ago(learner, cohort, 3)
    with capture(execute=False):
        assert messages.queue_due_reminders(TODAY) == 1
    messages.stop_reminders(learner)
    messages.deliver_reminders.call([ReminderSent.objects.get().pk])
    assert test_channel == []


def finish_with_certificate(learner, course, expires_on):
    for lesson in course.lessons():
        courses.record_lesson_complete(learner, lesson.pk)
    certificate = Certificate.objects.get(user=learner, course=course, is_current=True)
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=expires_on)
    return certificate


def test_a_certificate_running_out_is_reminded_of_once_per_expiry_in_urdu(
    cohort_with_learner, test_channel
):
    cohort, learner = cohort_with_learner
    ReminderRule.objects.create(cohort=cohort, kind="expiring", days=30)
    course = cohort.courses.first()
    certificate = finish_with_certificate(
        learner, course, TODAY + datetime.timedelta(days=31)
    )
    assert run_reminders() == 0  # 31 days away: not yet
    assert run_reminders(TODAY + datetime.timedelta(days=1)) == 1
    ((email, message),) = test_channel
    assert email == learner.email
    assert "سند" in message.subject  # Urdu, the learner's language
    assert "۱ اپریل ۲۰۲۶" in message.body  # the expiry, in Urdu digits
    assert message.unsubscribe_url in message.body
    assert ReminderSent.objects.get().kind == "expiring"
    assert run_reminders(TODAY + datetime.timedelta(days=2)) == 0  # once
    # Renewed until next year: reminded again when that date nears.
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=TODAY + datetime.timedelta(days=400)
    )
    assert run_reminders(TODAY + datetime.timedelta(days=369)) == 0
    assert run_reminders(TODAY + datetime.timedelta(days=370)) == 1
    assert len(test_channel) == 2


@pytest.mark.parametrize("state", ["expired", "revoked", "none", "far"])
def test_no_expiry_reminder_without_a_current_certificate_running_out(
    cohort_with_learner, test_channel, state
):
    cohort, learner = cohort_with_learner
    ReminderRule.objects.create(cohort=cohort, kind="expiring", days=30)
    course = cohort.courses.first()
    if state != "none":
        days = {"expired": -1, "revoked": 10, "far": 31}[state]
        certificate = finish_with_certificate(
            learner, course, TODAY + datetime.timedelta(days=days)
        )
        if state == "revoked":
            Certificate.objects.filter(pk=certificate.pk).update(
                revoked_at=timezone.now()
            )
    assert run_reminders() == 0
    assert test_channel == []


def test_an_expiry_reminder_renewed_before_it_went_is_not_sent(
    cohort_with_learner, test_channel
):
    cohort, learner = cohort_with_learner
    ReminderRule.objects.create(cohort=cohort, kind="expiring", days=30)
    certificate = finish_with_certificate(
        learner, cohort.courses.first(), TODAY + datetime.timedelta(days=5)
    )
    with capture(execute=False):
        assert messages.queue_due_reminders(TODAY) == 1
    Certificate.objects.filter(pk=certificate.pk).update(is_current=False)
    messages.deliver_reminders.call([ReminderSent.objects.get().pk])
    assert test_channel == []


def test_expiry_and_deadline_together_still_make_one_reminder_a_day(
    make_cohort, make_learner, test_channel
):
    cohort = make_cohort(ends_on=TODAY + datetime.timedelta(days=2))
    second = make_cohort()
    learner = make_learner()
    ReminderRule.objects.create(cohort=cohort, kind="deadline", days=5)
    ReminderRule.objects.create(cohort=second, kind="expiring", days=30)
    join_cohort(learner, cohort)
    join_cohort(learner, second)
    finish_with_certificate(
        learner, second.courses.first(), TODAY + datetime.timedelta(days=9)
    )
    assert run_reminders() == 1
    assert run_reminders(TODAY + datetime.timedelta(days=1)) == 1
    assert sorted(ReminderSent.objects.values_list("kind", flat=True)) == [
        "deadline",
        "expiring",
    ]


def queue_without_sending(today=TODAY):
    """Run the reminders; return the delivery tasks queued, not yet run."""
    with capture(execute=False) as callbacks:
        count = messages.queue_due_reminders(today)
    return count, callbacks


@pytest.fixture
def not_started_learners(make_cohort, make_learner):
    def make(count: int):
        cohort = make_cohort()
        ReminderRule.objects.create(cohort=cohort, kind="not_started", days=1)
        ReminderRule.objects.create(cohort=cohort, kind="inactive", days=3)
        learners = [make_learner() for _ in range(count)]
        for learner in learners:
            join_cohort(learner, cohort)
            joined_days_ago(learner, cohort, 3)
        return learners

    return make


def test_reminders_are_delivered_in_batches_of_a_fixed_size(
    not_started_learners, test_channel, monkeypatch
):
    monkeypatch.setattr(messages, "REMINDERS_PER_TASK", 2)
    learners = not_started_learners(5)
    count, tasks = queue_without_sending()
    assert count == 5
    assert len(tasks) == 3  # ceil(5 / 2)
    for task in tasks:
        task()
    assert sorted(email for email, _m in test_channel) == sorted(
        learner.email for learner in learners
    )
    assert not ReminderSent.objects.filter(delivered_at__isnull=True).exists()


def test_a_retried_batch_sends_only_the_reminders_not_sent_yet(
    not_started_learners, test_channel, monkeypatch
):
    learners = not_started_learners(3)
    _count, _tasks = queue_without_sending()
    ids = list(ReminderSent.objects.values_list("pk", flat=True))
    send = TestChannel.send
    calls = []

    def fail_on_the_second(self, user, message):
        calls.append(user.email)
        if len(calls) == 2:
            raise OSError("the mail server hung up")
        send(self, user, message)

    monkeypatch.setattr(TestChannel, "send", fail_on_the_second)
    with pytest.raises(OSError, match="hung up"):
        messages.deliver_reminders.call(ids)
    assert len(test_channel) == 1
    assert ReminderSent.objects.filter(delivered_at__isnull=False).count() == 1
    assert messages.deliver_reminders.call(ids) == 2  # the retry
    assert messages.deliver_reminders.call(ids) == 0  # and once more
    assert sorted(email for email, _m in test_channel) == sorted(
        learner.email for learner in learners
    )


def test_learners_who_stopped_reminders_after_the_run_are_left_out_of_the_batch(
    not_started_learners, test_channel
):
    staying, stopping, also_staying = not_started_learners(3)
    _count, tasks = queue_without_sending()
    messages.stop_reminders(stopping)
    (task,) = tasks
    task()
    assert sorted(email for email, _m in test_channel) == sorted(
        [staying.email, also_staying.email]
    )
    assert not ReminderSent.objects.get(user=stopping).delivered_at
    assert run_reminders() == 0  # a rerun the same day queues nothing


def test_a_learner_reminded_today_by_another_run_is_not_queued_again(
    not_started_learners, make_cohort, test_channel
):
    first, second = not_started_learners(2)
    ReminderSent.objects.create(
        user=first, cohort=make_cohort(), kind="deadline", sent_on=TODAY
    )
    count, tasks = queue_without_sending()
    assert count == 1
    for task in tasks:
        task()
    assert [email for email, _m in test_channel] == [second.email]
    assert ReminderSent.objects.filter(user=first).count() == 1


@pytest.mark.parametrize("learners", [3, 30])
def test_the_reminder_run_makes_as_many_queries_for_30_learners_as_for_3(
    not_started_learners,
    make_cohort,
    make_learner,
    learners,
    django_assert_max_num_queries,
):
    not_started_learners(learners)
    other = make_cohort(ends_on=TODAY + datetime.timedelta(days=2))
    ReminderRule.objects.create(cohort=other, kind="deadline", days=5)
    join_cohort(make_learner(), other)
    with django_assert_max_num_queries(21):
        count, tasks = queue_without_sending()
    assert count == learners + 1
    assert len(tasks) == 2  # a batch a cohort


def test_a_batch_delivery_makes_a_fixed_number_of_reads(
    not_started_learners, test_channel, django_assert_max_num_queries
):
    not_started_learners(10)
    queue_without_sending()
    ids = list(ReminderSent.objects.values_list("pk", flat=True))
    # Three reads for the batch, then per reminder its mark (with the
    # savepoint of its transaction).
    with django_assert_max_num_queries(3 + 10 * 3):
        assert messages.deliver_reminders.call(ids) == 10
