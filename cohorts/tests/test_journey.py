"""From a coordinator's file to a reminder: the invited teacher chooses a
password, sees the deadline, stops, and is reminded (time moved, not waited)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cohorts import messages
from cohorts.bulk import enrolment
from cohorts.channels import TestChannel
from cohorts.models import ReminderRule
from courses import services as courses
from courses.models import LessonProgress
from lms.accounts.models import User

from .files import csv_bytes

pytestmark = pytest.mark.django_db


def test_invited_teacher_sets_a_password_sees_the_deadline_and_is_reminded(
    client, settings, two_districts, django_capture_on_commit_callbacks
):
    settings.COHORT_MESSAGE_CHANNEL = "cohorts.channels.TestChannel"
    TestChannel.outbox.clear()
    world = two_districts
    cohort = world.lahore_cohort
    cohort.ends_on = datetime.date(2030, 6, 30)
    cohort.save()
    ReminderRule.objects.create(cohort=cohort, kind="inactive", days=5)
    data = csv_bytes(
        "zara@example.org,Zara Khan,زارا خان,Punjab,Lahore,female,public,teacher,GGHS"
    )
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.start_enrolment_run(
            cohort, "t.csv", data, actor=world.lahore_coordinator
        )
    assert not mail.outbox  # the invitation went through the channel
    ((_email, invitation),) = TestChannel.outbox
    link = next(w for w in invitation.body.split() if "/password/reset/" in w)
    response = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    form_url = response.redirect_chain[-1][0]
    new_password = "a-new-long-password-77"
    client.post(
        form_url, {"new_password1": new_password, "new_password2": new_password}
    )
    signed_in = client.post(
        reverse("accounts:login"),
        {"username": "zara@example.org", "password": new_password},
    )
    assert signed_in.status_code == 302
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    assert "۳۰ جون ۲۰۳۰ تک مکمل کریں" in dashboard  # she prefers Urdu

    teacher = User.objects.get(email="zara@example.org")
    courses.record_lesson_complete(teacher, world.course.lessons()[0].pk)
    today = timezone.localdate()
    assert messages.queue_due_reminders(today + datetime.timedelta(days=4)) == 0
    LessonProgress.objects.filter(user=teacher).update(
        completed_at=timezone.now() - datetime.timedelta(days=6)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert messages.queue_due_reminders(today) == 1
    email, reminder = TestChannel.outbox[-1]
    assert email == "zara@example.org"
    assert "/cohorts/reminders/stop/" in reminder.body
    TestChannel.outbox.clear()
